/**
 * The mail settings panel in sandbox mode (the test server reads no .env): it says mail goes to the sandbox,
 * shows the capture ports the server really listens on (as /api/v1/health reports them), names the .env path
 * it tried, offers no connection check, refuses a check posted from another site, and axe-core finds no
 * serious or critical violation. The forum and the inbox link to it.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { sandboxEndpoints } from './harness/sandbox-endpoints.ts';
import { LANGS } from './harness/pages.ts';

const browser = useBrowser();

async function capturePorts(): Promise<{ smtp: number; smtps: number }> {
	return (await sandboxEndpoints(browser)).ports;
}

describe('mail settings page, sandbox mode', () => {
	it.each(LANGS)('%s: says the sandbox and shows its ports', { timeout: 60_000 }, async (lang) => {
		const ports = await capturePorts();
		const page = await browser.newPage();
		const response = await page.goto(browser.url(`/${lang}/sandbox/settings/`));
		expect(response?.status()).toBe(200);
		// Server-rendered: the attribute is in the HTML as loaded.
		expect(await page.locator('[data-destination]').getAttribute('data-destination')).toBe('sandbox');
		const text = await page.locator('main').innerText();
		expect(text.toLowerCase()).toContain(lang === 'ko' ? '샌드박스' : 'sandbox');
		const portsText = await page.locator('[data-sandbox-ports]').innerText();
		expect(portsText).toContain(`127.0.0.1:${ports.smtp}`);
		expect(portsText).toContain(`127.0.0.1:${ports.smtps}`);
		// No real server: no password line, no check button.
		expect(await page.locator('[data-real-settings]').count()).toBe(0);
		expect(await page.locator('form[method="post"] button').count()).toBe(0);
		expect(await page.locator('[data-env-path]').innerText()).toMatch(/\.env$/);
		expect(consoleProblems(page)).toEqual([]);
	});

	it.each(['light', 'dark'] as const)('has no serious accessibility violations, %s theme', { timeout: 60_000 }, async (colorScheme) => {
		{
			const page = await browser.newPage({ colorScheme });
			await page.goto(browser.url('/en/sandbox/settings/'));
			// The theme script runs after load; on a busy machine that can take a few seconds.
			await expect.poll(() => page.locator('html').getAttribute('data-theme'), { timeout: 15_000 }).toBe(colorScheme);
			const results = await new AxeBuilder({ page }).analyze();
			const serious = results.violations
				.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
				.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
			expect(serious).toEqual([]);
		}
	});

	it('refuses a connection check posted from another site', async () => {
		const response = await fetch(browser.url('/en/sandbox/settings/'), {
			method: 'POST',
			headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
			body: 'csrfmiddlewaretoken=x',
			redirect: 'manual',
		});
		// Astro's own origin check may answer first (403 as well); either way nothing runs.
		expect(response.status).toBe(403);
	});

	it('is linked from the inbox and the forum', { timeout: 60_000 }, async () => {
		const page = await browser.newPage();
		for (const path of ['/en/sandbox/inbox/', '/en/sandbox/forum/']) {
			await page.goto(browser.url(path));
			await page.locator('a[href="/en/sandbox/settings/"]').first().click();
			await page.waitForURL('**/en/sandbox/settings/');
		}
	});
});
