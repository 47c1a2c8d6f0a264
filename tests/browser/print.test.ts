/** A printed lesson is the lesson only: no sidebar, header, search or buttons. */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { LESSON_SLUGS, lessonPath } from './harness/pages.ts';

const browser = useBrowser();

describe('print', () => {
	it('hides the site chrome and keeps the lesson', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url(lessonPath('en', LESSON_SLUGS[0] ?? '')));
		await page.emulateMedia({ media: 'print' });
		for (const selector of ['#starlight__sidebar', 'header.header', 'site-search', 'button[data-mark-done]', '.pagination-links']) {
			expect(await page.locator(selector).first().isVisible(), selector).toBe(false);
		}
		expect(await page.locator('main h1').isVisible()).toBe(true);
		expect(await page.locator('main .sl-markdown-content').isVisible()).toBe(true);
	});

	it('prints the address of every outside link and wraps code', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url(lessonPath('en', LESSON_SLUGS[0] ?? '')));
		await page.emulateMedia({ media: 'print' });
		// Checked on elements added for the test, so it does not depend on what the lesson contains.
		const printed = await page.locator('main .sl-markdown-content').evaluate((content) => {
			const link = Object.assign(document.createElement('a'), { href: 'https://docs.djangoproject.com/', textContent: 'Django' });
			const code = document.createElement('div');
			code.className = 'expressive-code';
			code.innerHTML = '<pre><code><div class="ec-line">x</div></code></pre>';
			content.append(link, code);
			return {
				link: getComputedStyle(link, '::after').content,
				wrap: getComputedStyle(code.querySelector('.ec-line')!).whiteSpace,
			};
		});
		expect(printed.link).toContain('https://docs.djangoproject.com/');
		expect(printed.wrap).toBe('pre-wrap');
	});
});
