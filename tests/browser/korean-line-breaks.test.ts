/**
 * Korean text wraps between words (word-break: keep-all), long tokens still wrap, and on a 360 px
 * phone screen no Korean page scrolls sideways: lessons (with their tables and code), the inbox with
 * a long-winded message, the forum and the mail settings. Every table of every lesson, at 1280 and
 * 390 px, keeps its words whole and fits its box. Measured with a real Korean font, or not at all
 * (harness/korean-font.ts).
 */
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { sandboxEndpoints } from './harness/sandbox-endpoints.ts';
import { assertKoreanFont } from './harness/korean-font.ts';
import { LANGS, LESSON_SLUGS, lessonPath } from './harness/pages.ts';
import { measureTables } from './harness/table-layout.ts';

const browser = useBrowser();
const PHONE = { width: 360, height: 740 };

/** How far the page can be scrolled sideways, in CSS pixels (0 when it fits). */
function sidewaysScroll(page: Page): Promise<number> {
	return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('Korean line breaking', () => {
	beforeAll(async () => {
		const page = await browser.newPage();
		await page.goto(browser.url('/ko/'));
		await assertKoreanFont(page);
	});

	it('every lesson table keeps its words whole and fits its box, at 1280 and 390 px, in both languages', async () => {
		const problems: string[] = [];
		let tables = 0;
		let words = 0;
		for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
			const page = await browser.newPage({ viewport });
			for (const lang of LANGS) {
				for (const path of [`/${lang}/`, ...LESSON_SLUGS.map((slug) => lessonPath(lang, slug))]) {
					await page.goto(browser.url(path));
					await page.evaluate(() => document.fonts.ready.then(() => undefined));
					const layout = await measureTables(page);
					tables += layout.tables;
					words += layout.words;
					problems.push(...layout.problems.map((problem) => `${path} at ${viewport.width} px: ${problem}`));
				}
			}
		}
		expect(problems).toEqual([]);
		// The lessons hold 19 tables per language (with the .env playgrounds'): pages that lost their tables,
		// or a measurement that found no words, must not pass for tables that keep their words whole.
		expect(tables).toBeGreaterThanOrEqual(2 * 2 * 15);
		expect(words).toBeGreaterThan(2 * 2 * 1000);
	});
	it('keeps Korean words whole in text but not in code blocks, and leaves English alone', async () => {
		const page = await browser.newPage();
		const wordBreak = (selector: string) => page.locator(selector).first().evaluate((element) => getComputedStyle(element).wordBreak);
		await page.goto(browser.url(lessonPath('ko', 'settings-py')));
		expect(await wordBreak('main .sl-markdown-content p')).toBe('keep-all');
		expect(await wordBreak('main .expressive-code pre')).toBe('normal');
		await page.goto(browser.url(lessonPath('en', 'settings-py')));
		expect(await wordBreak('main .sl-markdown-content p')).toBe('normal');
	});

	it('no Korean lesson scrolls sideways at 360 px', async () => {
		const page = await browser.newPage({ viewport: PHONE });
		const wide: string[] = [];
		for (const slug of ['', ...LESSON_SLUGS]) {
			const path = slug ? lessonPath('ko', slug) : '/ko/';
			await page.goto(browser.url(path));
			const overflow = await sidewaysScroll(page);
			if (overflow > 0) wide.push(`${path}: ${overflow}px`);
		}
		expect(wide).toEqual([]);
	});

	describe('sandbox pages', () => {
		let smtpPort = 0;
		beforeAll(async () => {
			smtpPort = (await sandboxEndpoints(browser)).ports.smtp;
		});

		it('the inbox, a message, the forum and the settings do not scroll sideways at 360 px', async () => {
			const subject = `비밀번호 재설정 안내: 아래 링크를 눌러 새 비밀번호를 설정하세요 ${Date.now()}`;
			const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
			const info = await transport.sendMail({
				from: '아주 긴 이름을 가진 포럼 관리자 <forum-administrator-with-a-long-address@very-long-domain-name.example>',
				to: 'student-with-a-rather-long-mailbox-name@example.com',
				subject,
				text: `다음 링크로 이동하세요: http://127.0.0.1:8000/accounts/reset/${'MQ'.repeat(20)}/${'c0ffee'.repeat(12)}/`,
			});
			transport.close();
			const id = /stored as (\w+)/.exec(info.response)?.[1];
			expect(id).toBeTruthy();

			const page = await browser.newPage({ viewport: PHONE });
			const wide: string[] = [];
			const check = async (name: string) => {
				const overflow = await sidewaysScroll(page);
				if (overflow > 0) wide.push(`${name}: ${overflow}px`);
			};
			await page.goto(browser.url('/ko/sandbox/inbox/'));
			await page.locator('[data-list] li', { hasText: subject }).waitFor();
			await check('inbox');
			await page.goto(browser.url(`/ko/sandbox/inbox/${id}`));
			await page.locator('[data-field="subject"]', { hasText: subject }).waitFor();
			await check('message');
			for (const path of ['/ko/sandbox/forum/', '/ko/sandbox/forum/login/', '/ko/sandbox/forum/password_reset/', '/ko/sandbox/settings/']) {
				await page.goto(browser.url(path));
				await check(path);
			}
			expect(wide).toEqual([]);
		});
	});
});
