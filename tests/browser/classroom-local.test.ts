/**
 * Without classroom mode (the shared test server runs in local mode) the classroom pages explain how an
 * instructor turns it on, nothing asks anyone to join or log in, and the inbox shows no classroom badge.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';

const browser = useBrowser();

describe('classroom pages in local mode', () => {
	it.each(['ko', 'en'] as const)('/%s/classroom/ explains how to start classroom mode', async (lang) => {
		const page = await browser.newPage();
		const response = await page.goto(browser.url(`/${lang}/classroom/`));
		expect(response?.status()).toBe(200);
		const local = page.locator('[data-classroom="local"]');
		await local.waitFor();
		const text = (await local.textContent()) ?? '';
		for (const needed of ['SANDBOX_CLASSROOM', 'INSTRUCTOR_TOKEN', 'HOST=0.0.0.0', 'openssl rand -hex 16', `/${lang}/classroom/instructor/`]) {
			expect(text).toContain(needed);
		}
		expect(await page.locator('form[method="post"]').count()).toBe(0);
		const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
		expect(serious.map((v) => v.id)).toEqual([]);
		expect(consoleProblems(page)).toEqual([]);
	}, 120_000);

	it('the dashboard address explains too, and a POST changes nothing', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url('/en/classroom/instructor/'));
		await page.locator('[data-classroom="local"]').waitFor();
		expect(await page.locator('#classroom-token').count()).toBe(0);
		const status = await page.evaluate(async () => (await fetch('/en/classroom/', { method: 'POST', body: new URLSearchParams({ name: 'x' }), redirect: 'manual' })).type);
		// A 303 back to the page (an opaque redirect to fetch), never a join.
		expect(status).toBe('opaqueredirect');
	});

	it('the inbox shows no classroom badge', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url('/en/sandbox/inbox/'));
		await page.locator('[data-inbox][data-live="true"]').waitFor();
		expect(await page.locator('[data-classroom-badge]').count()).toBe(0);
	});
});
