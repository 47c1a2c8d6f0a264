/**
 * The port/TLS lab in a real browser against the real sandbox: a right pair succeeds with STARTTLS in the
 * transcript, a wrong pair shows the real "wrong version number" error with its explanation and the right
 * pair, everything is read out through a live region, and axe finds nothing serious.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { consoleProblems, useBrowser } from './harness/browser.ts';

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
		expect(shown).toMatch(/wrong version number/i);
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
