/**
 * The port/TLS lab in a real browser against the real sandbox: the choices name the ports the sandbox
 * really runs on, a right pair succeeds with STARTTLS in the transcript, a wrong pair shows what Django
 * (Python's smtplib) prints for it with its explanation and the right pair (the lab client's own error
 * behind a disclosure), everything is read out through a live region, and axe finds nothing serious.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { sandboxEndpoints } from './harness/sandbox-endpoints.ts';

const browser = useBrowser();

async function openLab(path: string): Promise<Page> {
	const page = await browser.newPage();
	await page.goto(browser.url(path));
	// The script enables the Run button once it is wired up.
	await page.locator('[data-port-tls-lab] [data-run]:enabled').waitFor();
	return page;
}

describe('port/TLS lab', () => {
	it('587-style with EMAIL_USE_TLS: success, STARTTLS in the transcript, a link to the captured message', { timeout: 90_000 }, async () => {
		const page = await openLab('/en/settings-py/');
		const lab = page.locator('[data-port-tls-lab]');
		await lab.getByLabel(/587-style/).check();
		await lab.getByLabel('EMAIL_USE_TLS = True').check();
		await lab.getByRole('button', { name: 'Run' }).click();
		const result = lab.locator('[data-result]');
		await lab.locator('[data-result][data-outcome]').waitFor();
		expect(`${await result.getAttribute('data-outcome')}: ${await result.textContent()}`).toMatch(/^ok: /);
		expect(await lab.locator('[data-result]').getAttribute('aria-live')).toBe('polite');
		expect(await result.textContent()).toContain('encrypted after STARTTLS');
		expect(await result.textContent()).toContain('This is the right pair for this port.');
		expect(await result.locator('.lab-transcript li', { hasText: /^C STARTTLS$/ }).count()).toBe(1);
		const href = await result.getByRole('link', { name: 'Open this message in the inbox' }).getAttribute('href');
		expect(href).toMatch(/^\/en\/sandbox\/inbox\/[^/]+\/$/);
		const results = await new AxeBuilder({ page }).include('[data-port-tls-lab]').analyze();
		expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
		expect(consoleProblems(page)).toEqual([]);
	});

	it('names the ports the running sandbox uses, not the defaults the page was built with', async () => {
		const { ports } = await sandboxEndpoints(browser);
		// The test server runs on free ports, so a label showing 2525 or 2465 would be the built default.
		expect([ports.smtp, ports.smtps]).not.toContain(2525);
		for (const lang of ['en', 'ko'] as const) {
			const page = await openLab(`/${lang}/settings-py/`);
			const lab = page.locator('[data-port-tls-lab]');
			await page.locator('[data-port-tls-lab][data-ports="live"]').waitFor();
			const label = (value: string) => lab.locator(`label[for="port-tls-lab-port-${value}"]`).textContent();
			expect(await label('587')).toContain(`${ports.smtp})`);
			expect(await label('465')).toContain(`${ports.smtps})`);
			expect(await label('25')).toContain(`${ports.smtp})`);
			expect(await lab.locator('[data-port25-note]').textContent()).toContain(String(ports.smtp));
		}
	});

	it('465-style without EMAIL_USE_SSL: Django\'s SMTPServerDisconnected, with and without EMAIL_TIMEOUT', { timeout: 90_000 }, async () => {
		const page = await openLab('/en/settings-py/');
		const lab = page.locator('[data-port-tls-lab]');
		await lab.getByLabel(/465-style/).check();
		await lab.getByLabel('EMAIL_USE_TLS = True').check();
		await lab.getByRole('button', { name: 'Run' }).click();
		const result = lab.locator('[data-result][data-outcome]');
		await result.waitFor();
		expect(await result.getAttribute('data-outcome')).toBe('failed');
		expect(await result.locator('[data-django] pre').allTextContents()).toEqual([
			'smtplib.SMTPServerDisconnected: Connection unexpectedly closed: timed out',
			'smtplib.SMTPServerDisconnected: Connection unexpectedly closed',
		]);
		expect(await result.locator('[data-django]').textContent()).toContain('EMAIL_TIMEOUT unset');
		// nodemailer's own words are there for the curious, folded away.
		const raw = result.locator('details.raw-error');
		expect(await raw.getAttribute('open')).toBeNull();
		expect(await raw.locator('[data-raw-error]').textContent()).toMatch(/greeting/i);
	});

	it('587-style with EMAIL_USE_SSL (keyboard only, Korean): the real TLS error, its explanation and the right pair', async () => {
		const page = await openLab('/ko/settings-py/');
		const lab = page.locator('[data-port-tls-lab]');
		await lab.locator('input[name="port"][value="587"]').focus();
		await page.keyboard.press('Tab');
		await page.keyboard.press('Tab');
		await page.keyboard.press('Space');
		expect(await lab.locator('input[name="useSsl"]').isChecked()).toBe(true);
		await page.keyboard.press('Tab');
		await page.keyboard.press('Enter');
		const result = lab.locator('[data-result]');
		await lab.locator('[data-result][data-outcome]').waitFor();
		expect(await result.getAttribute('data-outcome')).toBe('failed');
		const shown = (await result.textContent()) ?? '';
		expect(await result.locator('[data-django] pre').textContent()).toBe('ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:…)');
		expect(shown).toContain('EMAIL_PORT = 587, EMAIL_USE_TLS = True, EMAIL_USE_SSL = False');
		expect(shown).toContain('평문 인사');
		expect(consoleProblems(page)).toEqual([]);
	});

	it('has no serious axe violation in the dark theme, before and after a run', { timeout: 90_000 }, async () => {
		const page = await browser.newPage({ colorScheme: 'dark' });
		await page.goto(browser.url('/en/settings-py/'));
		const lab = page.locator('[data-port-tls-lab]');
		await lab.locator('[data-run]:enabled').waitFor();
		const serious = async () =>
			(await new AxeBuilder({ page }).include('[data-port-tls-lab]').analyze()).violations
				.filter((v) => v.impact === 'serious' || v.impact === 'critical')
				.map((v) => `${v.id}: ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`);
		expect(await serious()).toEqual([]);
		await lab.getByLabel(/465-style/).check();
		await lab.getByLabel('EMAIL_USE_SSL = True').check();
		await lab.getByRole('button', { name: 'Run' }).click();
		await lab.locator('[data-result][data-outcome]').waitFor();
		expect(await serious()).toEqual([]);
	});

	it('25-style explains why port 25 is not for apps', async () => {
		const page = await openLab('/en/settings-py/');
		const lab = page.locator('[data-port-tls-lab]');
		expect(await lab.locator('[data-port25-note]').isHidden()).toBe(true);
		await lab.getByLabel(/25-style/).check();
		await lab.locator('[data-port25-note]').waitFor();
		expect(await lab.locator('[data-port25-note]').textContent()).toMatch(/ISPs/);
	});
});
