/**
 * Full-text search (Pagefind, served by Postlab itself, so it works offline) finds a lesson by a word
 * of its title.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { LESSON_SLUGS, lessonPath } from './harness/pages.ts';

const browser = useBrowser();

describe('search', () => {
	it('finds a lesson by a word of its title, with no request leaving the site', async () => {
		const page = await browser.newPage();
		const offsite: string[] = [];
		page.on('request', (request) => {
			if (!request.url().startsWith(browser.url('/'))) offsite.push(request.url());
		});
		const slug = LESSON_SLUGS[3] ?? 'settings-py';
		await page.goto(browser.url(lessonPath('en', slug)));
		const title = (await page.locator('main h1').textContent()) ?? '';
		// The longest word of the title is the least likely to match every lesson.
		const word = title.split(/[^\p{L}\p{N}]+/u).reduce((a, b) => (b.length > a.length ? b : a), '');
		expect(word.length).toBeGreaterThan(2);

		await page.locator('button[data-open-modal]').click();
		await page.locator('#starlight__search input.pagefind-ui__search-input').fill(word);
		const hit = page.locator(`#starlight__search a[href^="${lessonPath('en', slug)}"]`).first();
		await hit.waitFor();
		expect(offsite).toEqual([]);
	});
});
