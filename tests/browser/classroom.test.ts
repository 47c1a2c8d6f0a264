/**
 * Classroom mode in Chromium against its own `node sandbox/main.ts` (SANDBOX_CLASSROOM=1): two learners
 * join in two browser contexts (one in Korean with JavaScript off), each sends mail through STARTTLS with
 * the personal login and the certificate their classroom page gives them, and each inbox shows only
 * their own. The instructor logs in with the token, sees both learners, watches a new message arrive,
 * and opens it. A learner is refused the dashboard and its API. axe and the console stay clean.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { AxeBuilder } from '@axe-core/playwright';
import { parse } from 'dotenv';
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';

const TOKEN = randomBytes(16).toString('hex');
const browser = useBrowser({ serverEnv: { SANDBOX_CLASSROOM: '1', INSTRUCTOR_TOKEN: TOKEN } });

type Lang = 'ko' | 'en';
const STRINGS = Object.fromEntries(
	(['ko', 'en'] as const).map((lang) => [lang, JSON.parse(readFileSync(new URL(`../../src/content/i18n/${lang}.json`, import.meta.url), 'utf8')) as Record<string, string>]),
) as Record<Lang, Record<string, string>>;
function s(lang: Lang, key: string, values: Record<string, string | number> = {}): string {
	const text = STRINGS[lang][key];
	if (text === undefined) throw new Error(`UI string ${key} is missing`);
	return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? `{{${name}}}`));
}

interface Learner {
	page: Page;
	lang: Lang;
	name: string;
	user: string;
	password: string;
	env: Record<string, string>;
}

let certificate = '';
beforeAll(async () => {
	const response = await fetch(browser.url('/en/classroom/sandbox-cert.pem'));
	expect(response.status).toBe(200);
	certificate = await response.text();
	expect(certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
	expect(certificate).not.toMatch(/PRIVATE KEY/);
});

/** Presses the form's submit button and waits for the next document (after a 303, the page redirected to). */
async function submit(page: Page, label: string): Promise<void> {
	await Promise.all([page.waitForEvent('load'), page.locator('form button[type="submit"]', { hasText: label }).click()]);
}

async function join(lang: Lang, name: string, javaScriptEnabled: boolean): Promise<Learner> {
	const page = await browser.newPage({ javaScriptEnabled, locale: lang === 'ko' ? 'ko-KR' : 'en-US' });
	await page.goto(browser.url(`/${lang}/classroom/`));
	await page.locator('#classroom-name').fill(name);
	await submit(page, s(lang, 'classroom.join.submit'));
	// Post/Redirect/Get: back on the same address, now as a learner.
	expect(new URL(page.url()).pathname).toBe(`/${lang}/classroom/`);
	await expect.poll(() => page.locator('#classroom-you').textContent()).toBe(s(lang, 'classroom.you', { name }));
	const user = (await page.locator('[data-smtp-user]').textContent()) ?? '';
	const password = (await page.locator('[data-smtp-password]').textContent()) ?? '';
	const env = parse((await page.locator('[data-env-block]').textContent()) ?? '');
	expect(env['EMAIL_HOST_USER']).toBe(user);
	expect(env['EMAIL_HOST_PASSWORD']).toBe(password);
	expect(env['EMAIL_USE_TLS']).toBe('True');
	expect(env['EMAIL_HOST']).toBe('127.0.0.1');
	return { page, lang, name, user, password, env };
}

/** Sends like the learner's Django would with that `.env`: STARTTLS required, the certificate checked, then AUTH. */
async function sendAs(learner: Learner, subject: string): Promise<string> {
	const transport = nodemailer.createTransport({
		host: learner.env['EMAIL_HOST'],
		port: Number(learner.env['EMAIL_PORT']),
		secure: false,
		requireTLS: true,
		tls: { ca: certificate },
		auth: { user: learner.env['EMAIL_HOST_USER'] ?? '', pass: learner.env['EMAIL_HOST_PASSWORD'] ?? '' },
	});
	try {
		const info = await transport.sendMail({ from: 'webmaster@localhost', to: 'friend@example.com', subject, text: `${subject} body` });
		const id = /stored as (\w+)/.exec(info.response)?.[1];
		if (!id) throw new Error(`unexpected reply: ${info.response}`);
		return id;
	} finally {
		transport.close();
	}
}

async function axeSerious(page: Page): Promise<string[]> {
	const results = await new AxeBuilder({ page }).analyze();
	return results.violations
		.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
		.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}

async function instructorPage(lang: Lang, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
	const page = await browser.newPage({ locale: lang === 'ko' ? 'ko-KR' : 'en-US', colorScheme });
	await page.goto(browser.url(`/${lang}/classroom/instructor/`));
	await page.locator('#classroom-token').fill(TOKEN);
	await submit(page, s(lang, 'classroom.instructor.submit'));
	await page.locator('[data-dashboard][data-live="true"]').waitFor();
	return page;
}

describe('classroom mode', () => {
	const tag = randomBytes(3).toString('hex');
	let ada: Learner;
	let jisoo: Learner;
	const subjects = { ada: `Ada's first mail ${tag}`, jisoo: `지수의 첫 메일 ${tag}`, live: `Ada arrives live ${tag}` };
	const ids: Record<string, string> = {};

	it('two learners join (one without JavaScript) and get their own SMTP login and .env block', async () => {
		ada = await join('en', 'Ada Lovelace', true);
		jisoo = await join('ko', '김지수', false);
		expect(ada.user).not.toBe(jisoo.user);
		expect(ada.password).not.toBe(jisoo.password);
		// The page tells each learner who they are, and nothing about the other.
		expect(await ada.page.content()).not.toContain(jisoo.password);
		expect(await jisoo.page.content()).not.toContain(ada.password);
	});

	it('each sends with their own login and sees only their own mail', async () => {
		ids['ada'] = await sendAs(ada, subjects.ada);
		ids['jisoo'] = await sendAs(jisoo, subjects.jisoo);

		await ada.page.goto(browser.url('/en/sandbox/inbox/'));
		await ada.page.locator('[data-inbox][data-live="true"]').waitFor();
		await ada.page.locator('[data-list] li', { hasText: subjects.ada }).waitFor();
		expect(await ada.page.locator('[data-list] li').count()).toBe(1);
		expect(await ada.page.locator('[data-classroom-badge="learner"]').textContent()).toContain(s('en', 'classroom.badge.learner', { name: 'Ada Lovelace' }));

		// Another learner's message is missing, through the page and through the API.
		await ada.page.goto(browser.url(`/en/sandbox/inbox/${ids['jisoo']}`));
		await expect.poll(() => ada.page.locator('.message [data-error]').textContent()).toBe(s('en', 'message.notFound'));
		const apiStatus = await ada.page.evaluate(async (id) => (await fetch(`/api/v1/messages/${id}`)).status, ids['jisoo']);
		expect(apiStatus).toBe(404);
		expect(consoleProblems(ada.page).filter((line) => !line.includes('404'))).toEqual([]);

		// Without JavaScript the inbox list cannot draw, but the page names the mailbox, server-side.
		await jisoo.page.goto(browser.url('/ko/sandbox/inbox/'));
		expect(await jisoo.page.locator('[data-classroom-badge="learner"]').textContent()).toContain(s('ko', 'classroom.badge.learner', { name: '김지수' }));
		const jisooApi = await jisoo.page.context().request.get(browser.url('/api/v1/messages'));
		const jisooMail = (await jisooApi.json()) as { messages: Array<{ subject: string }> };
		expect(jisooMail.messages.map((message) => message.subject)).toEqual([subjects.jisoo]);
	});

	it('the instructor logs in with the token, sees both learners, a new message arrive live, and opens it', async () => {
		const page = await instructorPage('en');
		const adaRow = page.locator('tr[data-learner-row]', { hasText: 'Ada Lovelace' });
		const jisooRow = page.locator('tr[data-learner-row]', { hasText: '김지수' });
		await expect.poll(() => adaRow.locator('[data-count]').textContent()).toBe('1');
		await expect.poll(() => jisooRow.locator('[data-count]').textContent()).toBe('1');
		expect(await page.locator('[data-summary]').getAttribute('data-sent')).toBe('2');

		await adaRow.locator('button[data-learner]').click();
		await page.locator('[data-messages] li', { hasText: subjects.ada }).waitFor();

		// Live: the count, the "sent" state and the open learner's list follow a new message, no reload.
		ids['live'] = await sendAs(ada, subjects.live);
		await expect.poll(() => adaRow.locator('[data-count]').textContent()).toBe('2');
		await page.locator('[data-messages] li', { hasText: subjects.live }).waitFor();
		expect(await page.locator('[data-messages] li', { hasText: subjects.jisoo }).count()).toBe(0);

		await Promise.all([page.waitForEvent('load'), page.locator('[data-messages] a', { hasText: subjects.live }).click()]);
		await expect.poll(() => page.locator('[data-field="subject"]').textContent()).toBe(subjects.live);
		expect(await page.locator('[data-learner-name]').textContent()).toBe(s('en', 'classroom.dashboard.messagesOf', { name: 'Ada Lovelace' }));
		await Promise.all([page.waitForEvent('load'), page.locator('[data-back-link]').click()]);
		// Back on the dashboard with the same learner still open.
		await page.locator('[data-messages] li', { hasText: subjects.live }).waitFor();
		expect(consoleProblems(page)).toEqual([]);

		// The instructor only looked: Ada's message is still unread in her inbox.
		await ada.page.goto(browser.url('/en/sandbox/inbox/'));
		await ada.page.locator('[data-list] li', { hasText: subjects.live }).waitFor();
		expect(await ada.page.locator('[data-list] li', { hasText: subjects.live }).getAttribute('class')).toContain('unread');
	});

	it('a new learner appears on the dashboard the moment they join, as "not yet"', async () => {
		const page = await instructorPage('ko');
		const before = Number(await page.locator('[data-summary]').getAttribute('data-total'));
		const grace = await join('en', `Grace ${tag}`, true);
		const row = page.locator('tr[data-learner-row]', { hasText: grace.name });
		await row.waitFor();
		expect(await row.getAttribute('data-sent')).toBe('false');
		expect(await row.textContent()).toContain(s('ko', 'classroom.dashboard.notYet'));
		await expect.poll(() => page.locator('[data-summary]').getAttribute('data-total')).toBe(String(before + 1));
		expect(consoleProblems(page)).toEqual([]);
	});

	it('refuses the dashboard to a learner and to a wrong token', async () => {
		const response = await ada.page.goto(browser.url('/en/classroom/instructor/'));
		expect(response?.status()).toBe(403);
		expect(await ada.page.locator('[data-dashboard]').count()).toBe(0);
		expect(await ada.page.locator('.classroom-refused').textContent()).toBe(s('en', 'classroom.instructor.learnerRefused', { name: 'Ada Lovelace' }));
		const rosterStatus = await ada.page.evaluate(async () => (await fetch('/api/v1/classroom/roster')).status);
		expect(rosterStatus).toBe(403);
		// A learner's own message page under the instructor's path sends them to the token form.
		await ada.page.goto(browser.url(`/en/classroom/instructor/${ids['jisoo']}/`));
		expect(new URL(ada.page.url()).pathname).toBe('/en/classroom/instructor/');

		const stranger = await browser.newPage();
		await stranger.goto(browser.url('/en/classroom/instructor/'));
		await stranger.locator('#classroom-token').fill(`${TOKEN}x`);
		await submit(stranger, s('en', 'classroom.instructor.submit'));
		expect(await stranger.locator('.classroom-error').textContent()).toBe(s('en', 'classroom.instructor.wrongToken'));
		expect(await stranger.locator('[data-dashboard]').count()).toBe(0);
		// Someone who has not joined is sent to join before any inbox.
		await stranger.goto(browser.url('/en/sandbox/inbox/'));
		expect(new URL(stranger.url()).pathname).toBe('/en/classroom/');
	});

	it('the instructor logs in and out without JavaScript', async () => {
		const page = await browser.newPage({ javaScriptEnabled: false });
		await page.goto(browser.url('/en/classroom/instructor/'));
		await page.locator('#classroom-token').fill(TOKEN);
		await submit(page, s('en', 'classroom.instructor.submit'));
		expect(await page.locator('[data-dashboard]').count()).toBe(1);
		expect(await page.locator('[data-join-address]').first().textContent()).toMatch(/^http:\/\/.+\/en\/classroom\/$/);
		await submit(page, s('en', 'classroom.instructor.logout'));
		expect(await page.locator('[data-dashboard]').count()).toBe(0);
		expect(await page.locator('#classroom-token').count()).toBe(1);
	});

	it('refuses a join posted without the page’s CSRF token', async () => {
		const status = await ada.page.evaluate(async () => {
			const body = new URLSearchParams({ name: 'Mallory', intent: 'join', csrfmiddlewaretoken: 'forged' });
			return (await fetch('/en/classroom/', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status;
		});
		// Ada is a learner already, yet the forged token is refused before anything else.
		expect(status).toBe(403);
	});
});

describe('classroom pages pass axe', () => {
	for (const lang of ['ko', 'en'] as const) {
		it(`the join page and a learner's page in ${lang}`, async () => {
			const page = await browser.newPage({ locale: lang === 'ko' ? 'ko-KR' : 'en-US' });
			await page.goto(browser.url(`/${lang}/classroom/`));
			await page.locator('#classroom-name').waitFor();
			expect(await axeSerious(page)).toEqual([]);
			await page.locator('#classroom-name').fill(`Axe ${lang}`);
			await submit(page, s(lang, 'classroom.join.submit'));
			await page.locator('[data-env-block]').waitFor();
			expect(await axeSerious(page)).toEqual([]);
			expect(consoleProblems(page)).toEqual([]);
		}, 180_000);

		it(`the dashboard in ${lang}, dark theme`, async () => {
			const page = await instructorPage(lang, 'dark');
			await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
			await page.locator('tr[data-learner-row]').first().waitFor();
			await page.locator('tr[data-learner-row] button').first().click();
			await page.locator('[data-messages] li').first().waitFor();
			expect(await axeSerious(page)).toEqual([]);
			expect(consoleProblems(page)).toEqual([]);
		}, 120_000);
	}
});
