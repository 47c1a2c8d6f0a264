/**
 * The classroom mode's pages, with the same checks as every-page.test.ts (1280 and 360 px, Korean and
 * English, light and dark; no sideways scrolling, readable text, one-line tabs, no console error): the join
 * form and the instructor's token form as a newcomer sees them, a learner's classroom page and inbox (empty,
 * then with their message), and the instructor's dashboard and message page. Its own server runs in
 * classroom mode. POSTLAB_SCREENSHOTS=<folder> saves them as classroom-*.png.
 */
import { randomBytes } from 'node:crypto';
import { parse } from 'dotenv';
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { checkThemes, newConsoleProblems, openAndSettle, WIDTHS } from './harness/page-check.ts';
import { LANGS } from './harness/pages.ts';

const TOKEN = randomBytes(16).toString('hex');
const browser = useBrowser({ serverEnv: { SANDBOX_CLASSROOM: '1', INSTRUCTOR_TOKEN: TOKEN } });

async function submitForm(page: Page): Promise<void> {
	await Promise.all([page.waitForEvent('load'), page.locator('main form button[type="submit"]').first().click()]);
}

describe('classroom pages at 1280 and 360 px, both languages, light and dark', () => {
	for (const lang of LANGS) {
		for (const width of WIDTHS) {
			it(`${lang} at ${width} px`, { timeout: 300_000 }, async () => {
				const viewport = { width, height: 800 };
				const locale = lang === 'ko' ? 'ko-KR' : 'en-US';
				const problems: string[] = [];
				const check = async (page: Page, name: string, path: string | null) => {
					const logged = consoleProblems(page).length;
					if (path) await openAndSettle(page, browser.url(path));
					problems.push(...(await checkThemes(page, lang, width, `classroom-${name}`)).map((problem) => `${name}: ${problem}`));
					problems.push(...newConsoleProblems(page, logged, name).map((problem) => `${name}: ${problem}`));
				};

				const learner = await browser.newPage({ viewport, locale });
				await check(learner, 'join', `/${lang}/classroom/`);
				await check(learner, 'instructor-login', `/${lang}/classroom/instructor/`);
				await learner.goto(browser.url(`/${lang}/classroom/`));
				await learner.locator('#classroom-name').fill(`${lang === 'ko' ? '김지수' : 'Ada Lovelace'} ${width}`);
				await submitForm(learner);
				await check(learner, 'learner', null);
				await check(learner, 'learner-inbox-empty', `/${lang}/sandbox/inbox/`);

				// The learner's own Django would send like this, with the classroom page's .env and certificate.
				await learner.goto(browser.url(`/${lang}/classroom/`));
				const env = parse((await learner.locator('[data-env-block]').textContent()) ?? '');
				const certificate = await (await fetch(browser.url('/en/classroom/sandbox-cert.pem'))).text();
				const transport = nodemailer.createTransport({
					host: env['EMAIL_HOST'],
					port: Number(env['EMAIL_PORT']),
					requireTLS: true,
					tls: { ca: certificate },
					auth: { user: env['EMAIL_HOST_USER'] ?? '', pass: env['EMAIL_HOST_PASSWORD'] ?? '' },
				});
				const info = await transport.sendMail({ from: 'learner@example.com', to: 'me@example.com', subject: `Reset ${lang} ${width}`, text: 'A reset link.' });
				transport.close();
				const id = /stored as (\w+)/.exec(info.response)?.[1] ?? '';
				await check(learner, 'learner-inbox', `/${lang}/sandbox/inbox/`);
				await check(learner, 'learner-message', `/${lang}/sandbox/inbox/${id}/`);

				const instructor = await browser.newPage({ viewport, locale });
				await instructor.goto(browser.url(`/${lang}/classroom/instructor/`));
				await instructor.locator('#classroom-token').fill(TOKEN);
				await submitForm(instructor);
				await instructor.locator('[data-dashboard][data-live="true"]').waitFor();
				await check(instructor, 'dashboard', null);
				await check(instructor, 'instructor-message', `/${lang}/classroom/instructor/${id}/`);
				expect(problems).toEqual([]);
			});
		}
	}
});
