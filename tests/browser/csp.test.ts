/**
 * No console errors (a blocked script under the Content-Security-Policy is one) while searching and switching
 * the theme. Reading each page is checked for them in the sweep of every page (every-page.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { LESSON_SLUGS, lessonPath } from './harness/pages.ts';

const browser = useBrowser();

describe('no console errors or CSP violations while using the page', () => {
	it('search and the theme switch', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url(lessonPath('en', LESSON_SLUGS[0] ?? '')));
		await page.locator('button[data-open-modal]').click();
		await page.locator('#starlight__search input.pagefind-ui__search-input').fill('SMTP');
		await page.locator('#starlight__search .pagefind-ui__message').waitFor();
		await page.keyboard.press('Escape');
		const theme = page.locator('header starlight-theme-select select');
		for (const value of ['dark', 'light'] as const) {
			await theme.selectOption(value);
			await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(value);
		}
		await page.reload();
		expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
		expect(consoleProblems(page)).toEqual([]);
	});
});
