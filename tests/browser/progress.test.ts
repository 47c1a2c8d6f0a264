/**
 * Lesson progress lives in the browser: a lesson marked done stays done after a reload, shows a
 * mark in the sidebar in both languages, and the home page offers to continue with the lesson
 * opened last and says how many lessons are done.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { LESSON_SLUGS, lessonPath, type Lang } from './harness/pages.ts';

const browser = useBrowser();
const slug = LESSON_SLUGS[2] ?? 'gmail-app-password';

/** The done mark is generated content after the sidebar link (see ProgressBoot.astro). */
function sidebarMark(page: Page, lang: Lang, lessonSlug: string): Promise<string> {
	return page
		.locator(`#starlight__sidebar a[href="${lessonPath(lang, lessonSlug)}"]`)
		.evaluate((link) => getComputedStyle(link, '::after').content);
}

describe('lesson progress', () => {
	it('marks a lesson done, keeps it after a reload and shows it in the sidebar', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url(lessonPath('en', slug)));
		const button = page.locator(`button[data-mark-done="${slug}"]`);
		expect(await button.getAttribute('aria-pressed')).toBe('false');
		expect(await sidebarMark(page, 'en', slug)).toBe('none');

		await button.click();
		await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
		expect(await sidebarMark(page, 'en', slug)).toContain('✓');

		await page.reload();
		expect(await button.getAttribute('aria-pressed')).toBe('true');
		expect(await sidebarMark(page, 'en', slug)).toContain('✓');
		// Only that lesson is marked.
		expect(await sidebarMark(page, 'en', LESSON_SLUGS[0] ?? '')).toBe('none');

		// Progress belongs to the lesson, not to one language.
		await page.goto(browser.url(lessonPath('ko', LESSON_SLUGS[0] ?? '')));
		expect(await sidebarMark(page, 'ko', slug)).toContain('✓');
	});

	it('unmarks a lesson with the same button', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url(lessonPath('ko', slug)));
		const button = page.locator(`button[data-mark-done="${slug}"]`);
		await button.click();
		await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
		await button.click();
		await expect.poll(() => button.getAttribute('aria-pressed')).toBe('false');
		await page.reload();
		expect(await button.getAttribute('aria-pressed')).toBe('false');
		expect(await sidebarMark(page, 'ko', slug)).toBe('none');
	});

	it('offers "start from the beginning" on a first visit and "continue" with the last lesson after', async () => {
		const page = await browser.newPage();
		for (const lang of ['ko', 'en'] as const) {
			await page.goto(browser.url(`/${lang}/`));
			const visible = page.locator('.postlab-continue a:visible');
			expect(await visible.count()).toBe(1);
			expect(await visible.getAttribute('href')).toBe(lessonPath(lang, LESSON_SLUGS[0] ?? ''));
		}
		await page.goto(browser.url(lessonPath('en', slug)));
		for (const lang of ['ko', 'en'] as const) {
			await page.goto(browser.url(`/${lang}/`));
			const visible = page.locator('.postlab-continue a:visible');
			expect(await visible.count()).toBe(1);
			expect(await visible.getAttribute('href')).toBe(lessonPath(lang, slug));
		}
	});
	it('says how many of the lessons are done on both home pages, and follows marking and unmarking', async () => {
		const page = await browser.newPage();
		const summary = () => page.locator('.postlab-progress-summary span:visible');
		const total = LESSON_SLUGS.length;
		await page.goto(browser.url('/en/'));
		expect(await summary().count()).toBe(1);
		expect(await summary().textContent()).toBe(`0 of ${total} lessons done`);

		const [firstSlug = '', secondSlug = ''] = LESSON_SLUGS;
		for (const lessonSlug of [firstSlug, secondSlug]) {
			await page.goto(browser.url(lessonPath('en', lessonSlug)));
			const button = page.locator(`button[data-mark-done="${lessonSlug}"]`);
			await button.click();
			await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
		}
		await page.goto(browser.url('/en/'));
		expect(await summary().textContent()).toBe(`2 of ${total} lessons done`);
		await page.goto(browser.url('/ko/'));
		expect(await summary().textContent()).toBe(`${total}개 중 2개 완료`);

		// A slug that is no lesson (say, one renamed since) is not counted.
		await page.evaluate(() => {
			const saved = JSON.parse(localStorage.getItem('postlab:progress') ?? '{}') as { done: string[] };
			localStorage.setItem('postlab:progress', JSON.stringify({ ...saved, done: [...saved.done, 'no-such-lesson'] }));
		});
		await page.reload();
		expect(await summary().textContent()).toBe(`${total}개 중 2개 완료`);

		await page.goto(browser.url(lessonPath('ko', secondSlug)));
		const button = page.locator(`button[data-mark-done="${secondSlug}"]`);
		await button.click();
		await expect.poll(() => button.getAttribute('aria-pressed')).toBe('false');
		await page.goto(browser.url('/ko/'));
		expect(await summary().textContent()).toBe(`${total}개 중 1개 완료`);
	});
});
