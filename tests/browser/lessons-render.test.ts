/**
 * Every lesson of the outline renders in both languages: the page answers 200, carries the page's
 * language and shows a heading.
 */
import { describe, expect, it } from 'vitest';
import { sidebar } from '../../src/sidebar.mjs';
import { useBrowser } from './harness/browser.ts';

const slugs = sidebar.flatMap((group) =>
	typeof group === 'object' && 'items' in group ? group.items.filter((item) => typeof item === 'string') : [],
);

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
		});
	}
});
