/**
 * Every page of the site, at 1280 and 390 px, in Korean and English, in the light and the dark theme: the
 * lessons, the instructors' walk-through, the .env playground, the inbox empty and with a message, a
 * message, every forum page, the mail settings, the classroom pages (local mode) and the 404 page. Each must
 * not scroll sideways, keep its text readable on its background, keep tab labels on one line and log no
 * error. A few known regressions are checked where they happened: the inbox's two buttons in one line, the
 * home hero's picture beside its title on a desktop.
 *
 * With POSTLAB_SCREENSHOTS=<folder> it also saves a full-page screenshot of each, as
 * <folder>/<lang>-<width>-<theme>/<page>.png, for a person to look through (`test-results/` is ignored by
 * git); without it, it only measures. The file runs its own server, so the inbox starts empty.
 */
import nodemailer from 'nodemailer';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { sandboxEndpoints } from './harness/sandbox-endpoints.ts';
import { assertKoreanFont } from './harness/korean-font.ts';
import { checkThemes, newConsoleProblems, openAndSettle } from './harness/page-check.ts';
import { LANGS, LESSON_SLUGS, type Lang } from './harness/pages.ts';

const browser = useBrowser({ serverEnv: {} });
const WIDTHS = [1280, 390] as const;

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
	];
}

describe('every page at 1280 and 390 px, both languages, light and dark', () => {
	beforeAll(async () => {
		const page = await browser.newPage();
		await page.goto(browser.url('/ko/'));
		await assertKoreanFont(page);
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
		let messageId = '';
		beforeAll(async () => {
			const { ports } = await sandboxEndpoints(browser);
			const transport = nodemailer.createTransport({ host: '127.0.0.1', port: ports.smtp, secure: false, ignoreTLS: true });
			// Django's reset mail is text only, with a long unbroken link: the message page's hardest case.
			const info = await transport.sendMail({
				from: 'ForumWithDjango <admin-with-a-long-address@forum-with-django.example>',
				to: 'learner-with-a-rather-long-mailbox-name@example.com',
				subject: 'Password reset on 127.0.0.1:8000 · 비밀번호 재설정 안내',
				text: `You're receiving this email because you requested a password reset.\nhttp://127.0.0.1:8000/accounts/reset/${'MQ'.repeat(8)}/${'c0ffee'.repeat(8)}/\n`,
			});
			transport.close();
			messageId = /stored as (\w+)/.exec(info.response)?.[1] ?? '';
		});

		for (const lang of LANGS) {
			for (const width of WIDTHS) {
				it(`${lang} at ${width} px`, { timeout: 600_000 }, async () => {
					const page = await browser.newPage({ viewport: { width, height: 800 }, locale: lang === 'ko' ? 'ko-KR' : 'en-US', timezoneId: 'Asia/Seoul' });
					const problems: string[] = [];
					for (const [name, path] of pages(lang, messageId)) {
						const logged = consoleProblems(page).length;
						await openAndSettle(page, browser.url(path));
						problems.push(...(await checkThemes(page, lang, width, name)).map((problem) => `${path}: ${problem}`));
						problems.push(...newConsoleProblems(page, logged, name).map((problem) => `${path}: ${problem}`));
						if (name === 'home' && width === 1280) {
							const [title, picture] = await Promise.all([page.locator('.hero h1').boundingBox(), page.locator('.hero .hero-html img').boundingBox()]);
							expect(picture, 'the home hero has its picture').not.toBeNull();
							expect(picture!.x, 'the picture sits right of the title').toBeGreaterThan(title!.x + title!.width);
						}
					}
					expect(problems).toEqual([]);
				});
			}
		}
	});
});
