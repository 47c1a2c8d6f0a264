/**
 * Full-text search (Pagefind, served by Postlab itself, so it works offline) finds a lesson by a word
 * of its title, and speaks the page's language: counts, "no results", the clear and "more" buttons.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { LESSON_SLUGS, lessonPath } from './harness/pages.ts';

const browser = useBrowser();

type Strings = Record<string, string>;
const strings = (lang: 'ko' | 'en'): Strings =>
	JSON.parse(readFileSync(new URL(`../../src/content/i18n/${lang}.json`, import.meta.url), 'utf8')) as Strings;

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

	it('speaks Korean on a Korean page and English on an English one', async () => {
		for (const lang of ['ko', 'en'] as const) {
			const t = strings(lang);
			const other = strings(lang === 'ko' ? 'en' : 'ko');
			const page = await browser.newPage({ locale: lang === 'ko' ? 'ko-KR' : 'en-US' });
			await page.goto(browser.url(`/${lang}/`));
			await page.locator('button[data-open-modal]').click();
			const search = page.locator('#starlight__search');
			const input = search.locator('input.pagefind-ui__search-input');
			// Enough lessons mention SMTP for a count, a second page of results and so a "more" button.
			await input.fill('SMTP');
			const message = search.locator('.pagefind-ui__message');
			await expect.poll(() => message.textContent()).toMatch(new RegExp(`^${t['pagefind.many_results']!.replace('[SEARCH_TERM]', 'SMTP').replace('[COUNT]', '\\d+')}$`));
			expect(await search.locator('.pagefind-ui__button').textContent()).toBe(t['pagefind.load_more']);
			expect(await search.locator('.pagefind-ui__search-clear').textContent()).toBe(t['pagefind.clear_search']);
			expect(await search.locator('form[role="search"]').getAttribute('aria-label')).toBe(t['pagefind.search_label']);
			await input.fill('zzqxv');
			await expect.poll(() => message.textContent()).toBe(t['pagefind.zero_results']!.replace('[SEARCH_TERM]', 'zzqxv'));
			const shown = await search.innerText();
			for (const key of ['pagefind.clear_search', 'pagefind.load_more'] as const) expect(shown).not.toContain(other[key]);
		}
	});
});
