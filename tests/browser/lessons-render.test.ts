/**
 * Every lesson of the outline renders in both languages: the page answers 200, carries the page's
 * language and shows its title, the outcomes and the exercise from its front matter.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { LESSON_SLUGS as slugs } from './harness/pages.ts';

const browser = useBrowser();

describe('every lesson renders', () => {
	it('has the ten lessons of the outline', () => {
		expect(slugs).toHaveLength(10);
	});
	for (const lang of ['ko', 'en'] as const) {
		it.each(slugs)(`/${lang}/%s/`, async (slug) => {
			const page = await browser.newPage();
			const response = await page.goto(browser.url(`/${lang}/${slug}/`));
			expect(response?.status()).toBe(200);
			await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
			expect((await page.locator('main h1').first().textContent())?.trim()).not.toBe('');
			expect(await page.locator('main .postlab-outcomes li').count()).toBeGreaterThan(0);
			expect((await page.locator('main .postlab-exercise p').first().textContent())?.trim()).not.toBe('');
			expect(await page.locator(`main button[data-mark-done="${slug}"]`).count()).toBe(1);
		});
	}
});
