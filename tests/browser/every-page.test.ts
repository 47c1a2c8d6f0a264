/**
 * Every page of the site, opened once for each width (1280 and 360 px) and language, and checked in that one
 * visit for everything a page is tested for, in the light and the dark theme: the lessons, the home page, the
 * instructors' walk-through, the .env playground, the inbox empty and with a message, a message, every forum
 * page, the mail settings, the classroom pages (local mode) and the 404 page.
 *
 * Every page: the status it should answer; no sideways scrolling (360 px is a small phone); text readable on its
 * background; tab labels on one line; no console error or CSP violation; tables that fit their box and keep their
 * words whole (measured with a real Korean font, or not at all: harness/korean-font.ts).
 * Every lesson also: its language, title, outcomes, exercise and "done" button from the front matter; Korean
 * words kept whole in text but not in code; a copy button on every code block and the file name on a titled one;
 * the copy buttons' and heading anchors' labels in the lesson's language.
 * The home page, a lesson and the 404 page at 1280 px: no serious or critical axe-core finding, in either theme.
 * And where a regression once happened: the inbox's two buttons in one line, the home hero's picture beside its
 * title on a desktop.
 *
 * One visit does it all, so the browser time is one page load per page, width and language, whatever is
 * checked. With POSTLAB_SCREENSHOTS=<folder> it also saves a full-page screenshot of each, as
 * <folder>/<lang>-<width>-<theme>/<page>.png, for a person to look through (`test-results/` is ignored by git).
 * The file runs its own server, so the inbox starts empty.
 */
import { AxeBuilder } from '@axe-core/playwright';
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { sandboxEndpoints } from './harness/sandbox-endpoints.ts';
import { assertKoreanFont } from './harness/korean-font.ts';
import { checkThemes, newConsoleProblems, openAndSettle, WIDTHS, type Theme } from './harness/page-check.ts';
import { LANGS, LESSON_SLUGS, type Lang } from './harness/pages.ts';
import { measureTables } from './harness/table-layout.ts';

const browser = useBrowser({ serverEnv: {} });

/** Every page a reader can reach, by a short name for the screenshot file. */
function pages(lang: Lang, messageId: string): Array<[name: string, path: string]> {
	const forum = `/${lang}/sandbox/forum`;
	return [
		['home', `/${lang}/`],
		...LESSON_SLUGS.map((slug): [string, string] => [slug, `/${lang}/${slug}/`]),
		['teaching', `/${lang}/teaching/`],
		['labs-env', `/${lang}/labs/env/`],
		['inbox', `/${lang}/sandbox/inbox/`],
		['message', `/${lang}/sandbox/inbox/${messageId}/`],
		['forum', `${forum}/`],
		['forum-login', `${forum}/login/`],
		['forum-signup', `${forum}/signup/`],
		['forum-logout', `${forum}/logout/`],
		['forum-reset', `${forum}/password_reset/`],
		['forum-reset-sent', `${forum}/password_reset/done/`],
		['forum-reset-bad-link', `${forum}/reset/MQ/not-a-token/`],
		['forum-reset-done', `${forum}/reset/done/`],
		['settings', `/${lang}/sandbox/settings/`],
		['classroom', `/${lang}/classroom/`],
		['classroom-instructor', `/${lang}/classroom/instructor/`],
		['not-found', `/${lang}/no-such-page/`],
		// A path in no language: the server picks the 404 page's language itself.
		...(lang === 'en' ? [['not-found-bare', '/no-such-page/'] as [string, string]] : []),
	];
}

const AXE_PAGES = new Set(['home', LESSON_SLUGS[3] ?? 'settings-py', 'not-found', 'not-found-bare']);

/** axe-core's serious and critical findings on the page as it is drawn now. */
async function axeProblems(page: Page, theme: Theme): Promise<string[]> {
	const results = await new AxeBuilder({ page }).analyze();
	return results.violations
		.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
		.map((violation) => `axe, ${theme}: ${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}

/** What a lesson page must show from its front matter, in its language, and how its text wraps. */
async function lessonProblems(page: Page, lang: Lang, slug: string): Promise<string[]> {
	const problems: string[] = [];
	const text = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();
	if ((await page.locator('html').getAttribute('lang')) !== lang) problems.push(`html lang is not ${lang}`);
	if ((await text('main h1')) === '') problems.push('no title');
	if ((await page.locator('main .postlab-outcomes li').count()) === 0) problems.push('no outcomes');
	if ((await text('main .postlab-exercise p')) === '') problems.push('no exercise');
	if ((await page.locator(`main button[data-mark-done="${slug}"]`).count()) !== 1) problems.push('not one "done" button');

	const wordBreaks = await page.evaluate(() => ({
		text: [...document.querySelectorAll('main .sl-markdown-content p')].map((p) => getComputedStyle(p).wordBreak),
		code: [...document.querySelectorAll('main .expressive-code pre')].map((pre) => getComputedStyle(pre).wordBreak),
	}));
	const textBreak = lang === 'ko' ? 'keep-all' : 'normal';
	if (wordBreaks.text.length === 0) problems.push('no paragraphs');
	if (wordBreaks.text.some((value) => value !== textBreak)) problems.push(`a paragraph's word-break is not ${textBreak}`);
	if (wordBreaks.code.some((value) => value !== 'normal')) problems.push("a code block's word-break is not normal");
	return problems;
}

/**
 * The labels Starlight and Expressive Code write into a lesson, in the lesson's language (lessons live outside
 * src/content/docs, where Starlight cannot tell their language by itself: src/integrations/lesson-languages.ts).
 */
const LESSON_LABELS: Record<Lang, { copy: string; copied: string; anchorPrefix: string }> = {
	en: { copy: 'Copy to clipboard', copied: 'Copied!', anchorPrefix: 'Section titled “' },
	ko: { copy: '클립보드로 복사', copied: '복사 완료!', anchorPrefix: '섹션 제목: “' },
};

/**
 * Which code blocks lack a copy button, have one labelled in another language, or have a title frame with no
 * file name in it; which heading anchors are labelled in another language. Counts the buttons and anchors, so
 * a lesson that lost them all cannot pass for one whose labels are right.
 */
async function codeAndAnchorProblems(page: Page, lang: Lang): Promise<{ problems: string[]; copyButtons: number; anchors: number }> {
	const expected = LESSON_LABELS[lang];
	const blocks = await page.locator('main .expressive-code').evaluateAll((figures) =>
		figures.map((figure) => {
			const button = figure.querySelector('.copy button');
			return {
				copy: button && { title: button.getAttribute('title'), copied: button.getAttribute('data-copied') },
				frame: figure.querySelector('figure')?.classList.contains('has-title') ?? false,
				title: figure.querySelector('figcaption .title')?.textContent?.trim() ?? '',
			};
		}),
	);
	const problems = blocks.flatMap((block, index) => {
		const name = `code block ${index + 1}`;
		return [
			...(block.copy ? [] : [`${name}: no copy button`]),
			...(block.copy && block.copy.title !== expected.copy ? [`${name}: copy button title ${JSON.stringify(block.copy.title)}`] : []),
			...(block.copy && block.copy.copied !== expected.copied ? [`${name}: copied text ${JSON.stringify(block.copy.copied)}`] : []),
			...(block.frame && block.title === '' ? [`${name}: empty file name`] : []),
		];
	});
	const anchors = await page.locator('main .sl-anchor-link .sr-only').allTextContents();
	problems.push(...anchors.filter((label) => !label.startsWith(expected.anchorPrefix)).map((label) => `anchor label ${JSON.stringify(label)}`));
	return { problems, copyButtons: blocks.filter((block) => block.copy).length, anchors: anchors.length };
}

describe('every page at 1280 and 360 px, both languages, light and dark', () => {
	beforeAll(async () => {
		const page = await browser.newPage();
		await page.goto(browser.url('/ko/'));
		await assertKoreanFont(page);
	});

	it('has the ten lessons of the outline', () => {
		expect(LESSON_SLUGS).toHaveLength(10);
	});

	it('the empty inbox fits, its snippets wrap, and its two buttons sit in one line', async () => {
		const problems: string[] = [];
		for (const lang of LANGS) {
			for (const width of WIDTHS) {
				const page = await browser.newPage({ viewport: { width, height: 800 }, locale: lang === 'ko' ? 'ko-KR' : 'en-US' });
				await openAndSettle(page, browser.url(`/${lang}/sandbox/inbox/`));
				await page.locator('[data-empty]:not([hidden])').waitFor();
				problems.push(...(await checkThemes(page, lang, width, 'inbox-empty')).map((problem) => `${lang} ${width}px: ${problem}`));
				if (width === 1280) {
					const [search, clear] = await Promise.all([
						page.locator('.inbox-search button').boundingBox(),
						page.locator('[data-delete-all]').boundingBox(),
					]);
					expect(Math.abs((search?.y ?? 0) - (clear?.y ?? -99)), `${lang}: the buttons' tops`).toBeLessThanOrEqual(1);
				}
				problems.push(...newConsoleProblems(page, 0, 'inbox').map((problem) => `${lang} ${width}px: ${problem}`));
			}
		}
		expect(problems).toEqual([]);
	});

	describe('with a message in the inbox', () => {
		// Django's reset mail is text only, with a long unbroken link; with a long Korean subject and long
		// addresses it is the inbox's and the message page's hardest case.
		const subject = `비밀번호 재설정 안내: 아래 링크를 눌러 새 비밀번호를 설정하세요 · Password reset on 127.0.0.1:8000`;
		let messageId = '';
		beforeAll(async () => {
			const { ports } = await sandboxEndpoints(browser);
			const transport = nodemailer.createTransport({ host: '127.0.0.1', port: ports.smtp, secure: false, ignoreTLS: true });
			const info = await transport.sendMail({
				from: '아주 긴 이름을 가진 포럼 관리자 <forum-administrator-with-a-long-address@very-long-domain-name.example>',
				to: 'student-with-a-rather-long-mailbox-name@example.com',
				subject,
				text: `You're receiving this email because you requested a password reset.\n다음 링크로 이동하세요: http://127.0.0.1:8000/accounts/reset/${'MQ'.repeat(20)}/${'c0ffee'.repeat(12)}/\n`,
			});
			transport.close();
			messageId = /stored as (\w+)/.exec(info.response)?.[1] ?? '';
			expect(messageId).not.toBe('');
		});

		for (const lang of LANGS) {
			for (const width of WIDTHS) {
				it(`${lang} at ${width} px`, { timeout: 600_000 }, async () => {
					const page = await browser.newPage({ viewport: { width, height: 800 }, locale: lang === 'ko' ? 'ko-KR' : 'en-US', timezoneId: 'Asia/Seoul' });
					const problems: string[] = [];
					let tables = 0;
					let words = 0;
					let copyButtons = 0;
					let anchors = 0;
					for (const [name, path] of pages(lang, messageId)) {
						const found: string[] = [];
						const logged = consoleProblems(page).length;
						const response = await openAndSettle(page, browser.url(path));
						const status = name.startsWith('not-found') ? 404 : 200;
						if (response?.status() !== status) found.push(`answered ${response?.status()}, not ${status}`);
						if (name === 'inbox') await page.locator('[data-list] li', { hasText: subject }).waitFor();
						if (name === 'message') await page.locator('[data-field="subject"]', { hasText: subject }).waitFor();
						const lesson = (LESSON_SLUGS as readonly string[]).includes(name);
						// Scripts that load late (search, the labs) must have run before the console is read; the sandbox
						// pages keep an event stream open, so only the lessons and the home page ever go quiet.
						if ((lesson || name === 'home') && width === 1280) await page.waitForLoadState('networkidle');
						if (lesson) found.push(...(await lessonProblems(page, lang, name)));
						if (lesson && width === 1280) {
							const labelled = await codeAndAnchorProblems(page, lang);
							found.push(...labelled.problems);
							copyButtons += labelled.copyButtons;
							anchors += labelled.anchors;
						}
						const axe = width === 1280 && AXE_PAGES.has(name) ? (theme: Theme) => axeProblems(page, theme) : undefined;
						found.push(...(await checkThemes(page, lang, width, name, axe)));
						const layout = await measureTables(page);
						tables += layout.tables;
						words += layout.words;
						found.push(...layout.problems);
						found.push(...newConsoleProblems(page, logged, name));
						problems.push(...found.map((problem) => `${path}: ${problem}`));
						if (name === 'home' && width === 1280) {
							const [title, picture] = await Promise.all([page.locator('.hero h1').boundingBox(), page.locator('.hero .hero-html img').boundingBox()]);
							expect(picture, 'the home hero has its picture').not.toBeNull();
							expect(picture!.x, 'the picture sits right of the title').toBeGreaterThan(title!.x + title!.width);
						}
					}
					expect(problems).toEqual([]);
					// The lessons hold 19 tables per language (with the .env playground's): pages that lost their tables,
					// or a measurement that found no words, must not pass for tables that keep their words whole.
					expect(tables).toBeGreaterThanOrEqual(15);
					expect(words).toBeGreaterThan(1000);
					if (width === 1280) {
						expect(copyButtons, 'copy buttons in the lessons').toBeGreaterThan(0);
						expect(anchors, 'heading anchors in the lessons').toBeGreaterThan(0);
					}
				});
			}
		}
	});
});
