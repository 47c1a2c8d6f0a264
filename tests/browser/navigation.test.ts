/**
 * Finding your way: language switch keeps the lesson, sidebar groups and previous/next, the labs and
 * the instructors' pages in the sidebar, the skip link moves focus to the page title, keyboard reaches
 * the sidebar, the header links to the sandbox.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { LESSON_SLUGS, lessonPath } from './harness/pages.ts';

const browser = useBrowser();
const slug = LESSON_SLUGS[3] ?? 'settings-py';

describe('navigation', () => {
	it('switching the language keeps the lesson', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url(lessonPath('ko', slug)));
		await Promise.all([
			page.waitForURL(browser.url(lessonPath('en', slug))),
			page.locator('header starlight-lang-select select').selectOption({ label: 'English' }),
		]);
		await page.locator('header starlight-lang-select select').selectOption({ label: '한국어' });
		await page.waitForURL(browser.url(lessonPath('ko', slug)));
		expect(await page.locator('html').getAttribute('lang')).toBe('ko');
	});

	it('remembers the language last read in and opens it from /', async () => {
		// A Korean browser that switched to English lands on English next time.
		const page = await browser.newPage({ locale: 'ko-KR' });
		await page.goto(browser.url('/'));
		expect(page.url()).toBe(browser.url('/ko/'));
		await page.goto(browser.url(lessonPath('en', slug)));
		await page.goto(browser.url('/'));
		expect(page.url()).toBe(browser.url('/en/'));
	});

	it('shows the sidebar in chapters with the current lesson marked, and its title in the page language', async () => {
		const page = await browser.newPage();
		for (const lang of ['ko', 'en'] as const) {
			await page.goto(browser.url(lessonPath(lang, slug)));
			const current = page.locator('#starlight__sidebar a[aria-current="page"]');
			await expect.poll(() => current.getAttribute('href')).toBe(lessonPath(lang, slug));
			expect((await current.textContent())?.trim()).toBe((await page.locator('main h1').textContent())?.trim());
			// Four chapters, then the labs and the instructors' pages.
			expect(await page.locator('#starlight__sidebar details summary').count()).toBe(6);
		}
	});

	it('links each lesson to the previous and the next one in course order', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url(lessonPath('en', slug)));
		const prev = LESSON_SLUGS[LESSON_SLUGS.indexOf(slug) - 1];
		const next = LESSON_SLUGS[LESSON_SLUGS.indexOf(slug) + 1];
		expect(await page.locator('.pagination-links a[rel="prev"]').getAttribute('href')).toBe(`/en/${prev}/`);
		expect(await page.locator('.pagination-links a[rel="next"]').getAttribute('href')).toBe(`/en/${next}/`);
	});

	it('reaches the .env playground, the instructors\' walk-through and the classroom from the sidebar, in both languages', async () => {
		const page = await browser.newPage();
		const titles = { ko: ['.env 실험실', 'Postlab으로 수업하기', '교실'], en: ['.env playground', 'Teaching with Postlab', 'Classroom'] };
		for (const lang of ['ko', 'en'] as const) {
			const paths = [`/${lang}/labs/env/`, `/${lang}/teaching/`, `/${lang}/classroom/`];
			for (const [index, path] of paths.entries()) {
				await page.goto(browser.url(lessonPath(lang, slug)));
				await page.locator(`#starlight__sidebar a[href="${path}"]`).click();
				await page.waitForURL(browser.url(path));
				expect((await page.locator('main h1').textContent())?.trim()).toBe(titles[lang][index]);
				expect(await page.locator(`#starlight__sidebar a[href="${path}"]`).getAttribute('aria-current')).toBe('page');
				// Previous and next stay within the course: these pages are not part of it.
				expect(await page.locator('.pagination-links a').count()).toBe(0);
			}
		}
	});

	it('ends the course at the last lesson: its "next" leads nowhere beyond the lessons', async () => {
		const page = await browser.newPage();
		const last = LESSON_SLUGS[LESSON_SLUGS.length - 1]!;
		await page.goto(browser.url(lessonPath('en', last)));
		expect(await page.locator('.pagination-links a[rel="next"]').count()).toBe(0);
		expect(await page.locator('.pagination-links a[rel="prev"]').getAttribute('href')).toBe(lessonPath('en', LESSON_SLUGS[LESSON_SLUGS.length - 2]!));
	});

	it('the skip link is the first stop of the keyboard and moves focus to the page title', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url(lessonPath('en', slug)));
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.className)).toContain('sl-skip-link');
		await page.keyboard.press('Enter');
		await expect
			.poll(() => page.evaluate(() => document.activeElement?.closest('main') !== null && document.activeElement?.tagName))
			.toBe('H1');
	});

	it('reaches the lessons in the sidebar with the keyboard alone', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url(lessonPath('en', slug)));
		const reached = [];
		// Tab stops before the sidebar: skip link, site title, search, sandbox links, theme, language.
		for (let stop = 0; stop < 20; stop++) {
			await page.keyboard.press('Tab');
			const href = await page.evaluate(() => document.activeElement?.closest('#starlight__sidebar a')?.getAttribute('href'));
			if (href) {
				reached.push(href);
				break;
			}
		}
		expect(reached).toEqual([lessonPath('en', LESSON_SLUGS[0] ?? '')]);
	});

	it('links the header to the sandbox inbox and forum in the page language', async () => {
		const page = await browser.newPage();
		for (const lang of ['ko', 'en'] as const) {
			await page.goto(browser.url(lessonPath(lang, slug)));
			const links = page.locator('header .postlab-sandbox-links a');
			expect(await links.evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')))).toEqual([
				`/${lang}/sandbox/inbox/`,
				`/${lang}/sandbox/forum/`,
			]);
		}
	});

	it('shows the table of contents of the lesson', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url(lessonPath('en', slug)));
		const headings = await page
			.locator('main .sl-markdown-content > .sl-heading-wrapper > h2, main .sl-markdown-content > h2')
			.count();
		// Starlight's TOC lists "Overview" and every h2 (and h3) of the text; ours adds the exercise.
		const toc = page.locator('.right-sidebar starlight-toc a');
		expect(await toc.count()).toBeGreaterThanOrEqual(headings + 2);
		expect(await toc.evaluateAll((links) => links.map((link) => link.getAttribute('href')))).toContain(
			'#postlab-exercise-title',
		);
	});
});
