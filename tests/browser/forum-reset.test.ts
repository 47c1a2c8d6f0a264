/**
 * The chapter's reset exercise in a real browser against `npm start`'s server: sign up, log out,
 * "Forgot your password?", read the reset email through the sandbox's JSON API, follow its link, set a
 * new password, log in with it; the old one fails and the link is dead afterwards. Once per language,
 * the Korean run with JavaScript off (the forms must work without it). Plus the rules a browser can
 * see: same page for unknown addresses, CSRF refusal, no token in the address bar or the Referer.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { consoleProblems, useBrowser } from './harness/browser.ts';

const browser = useBrowser();

interface ApiMessage {
	id: string;
	subject: string;
	to: Array<{ address: string }>;
}
interface ApiDetail extends ApiMessage {
	text: string | null;
	links: Array<{ href: string }>;
	session: { tls: string } | null;
}

/** A name and address no other test (or earlier run on the same server) uses. */
function newLearner() {
	const tag = randomBytes(4).toString('hex');
	return { username: `learner_${tag}`, email: `learner.${tag}@example.com` };
}

async function api<T>(path: string): Promise<T> {
	const response = await fetch(browser.url(path));
	if (!response.ok) throw new Error(`${path} answered ${response.status}`);
	return (await response.json()) as T;
}

/** Messages to this address in the sandbox inbox, newest first. */
async function mailTo(address: string): Promise<ApiMessage[]> {
	const page = await api<{ messages: ApiMessage[] }>(`/api/v1/messages?query=${encodeURIComponent(address)}`);
	return page.messages.filter((m) => m.to.some((to) => to.address === address));
}

async function submit(page: Page, fields: Record<string, string>, button: string): Promise<void> {
	for (const [name, value] of Object.entries(fields)) await page.locator(`form [name="${name}"]:visible`).fill(value);
	// The next document's load event: after a 303 that is the page redirected to, after a 200 the form shown again.
	await Promise.all([page.waitForEvent('load'), page.locator('form button[type="submit"]').filter({ hasText: button }).click()]);
}

const STRINGS = {
	en: { signup: 'Sign up', logout: 'Log out', login: 'Log in', reset: 'Reset my password', change: 'Change my password', invalidLogin: 'Please enter a correct username and password', subject: 'Password reset on Postlab', invalidLink: 'Password reset unsuccessful' },
	ko: { signup: '가입하기', logout: '로그아웃', login: '로그인', reset: '비밀번호 재설정', change: '비밀번호 변경', invalidLogin: '올바른 사용자 이름과 비밀번호를 입력하세요', subject: 'Postlab 비밀번호 재설정', invalidLink: '비밀번호 재설정 실패' },
} as const;

describe.each([
	{ lang: 'en' as const, javaScriptEnabled: true },
	{ lang: 'ko' as const, javaScriptEnabled: false },
])('the reset exercise in $lang (JavaScript $javaScriptEnabled)', ({ lang, javaScriptEnabled }) => {
	it('sign up → forgot password → email → link → new password → log in; the old password and the used link fail', { timeout: 120_000 }, async () => {
		const s = STRINGS[lang];
		const learner = newLearner();
		const oldPassword = `tulip-orbit-${randomBytes(2).toString('hex')}`;
		const newPassword = `maple-river-${randomBytes(2).toString('hex')}`;
		const base = `/${lang}/sandbox/forum/`;
		const page = await browser.newPage({ javaScriptEnabled });

		await page.goto(browser.url(`${base}signup/`));
		await submit(page, { username: learner.username, email: learner.email, password1: oldPassword, password2: oldPassword }, s.signup);
		expect(new URL(page.url()).pathname).toBe(base);
		await expect.poll(() => page.locator('.forum-welcome').textContent(), { timeout: 10_000 }).toContain(learner.username);

		await page.goto(browser.url(`${base}logout/`));
		await submit(page, {}, s.logout);
		expect(new URL(page.url()).pathname).toBe(`${base}login/`);

		await page.goto(browser.url(`${base}password_reset/`));
		await submit(page, { email: learner.email.toUpperCase() }, s.reset);
		expect(new URL(page.url()).pathname).toBe(`${base}password_reset/done/`);

		// The email, as the sandbox captured it: over STARTTLS, to the stored address, with the link.
		await expect.poll(async () => (await mailTo(learner.email)).length, { timeout: 10_000 }).toBe(1);
		const [summary] = await mailTo(learner.email);
		const mail = await api<ApiDetail>(`/api/v1/messages/${summary!.id}`);
		expect(mail.subject).toBe(s.subject);
		expect(mail.session?.tls).toBe('starttls');
		const link = mail.links.map((l) => l.href).find((href) => href.includes('/sandbox/forum/reset/'));
		expect(link).toBeDefined();
		expect(mail.text).toContain(link);
		const token = new URL(link!).pathname.split('/').at(-2)!;

		// The confirm step moves the token into the session: the page is shown at …/set-password/.
		const shown = await page.goto(link!);
		expect(new URL(page.url()).pathname).toMatch(new RegExp(`^${base}reset/[A-Za-z0-9_-]+/set-password/$`));
		expect(page.url()).not.toContain(token);
		const redirect = await shown!.request().redirectedFrom()?.response();
		expect(redirect?.status()).toBe(302);
		expect(redirect?.headers()['referrer-policy']).toBe('no-referrer');
		expect(shown?.headers()['referrer-policy']).toBe('same-origin');
		expect(await page.content()).not.toContain(token);

		await submit(page, { new_password1: newPassword, new_password2: newPassword }, s.change);
		expect(new URL(page.url()).pathname).toBe(`${base}reset/done/`);

		await page.goto(browser.url(`${base}login/`));
		await submit(page, { username: learner.username, password: oldPassword }, s.login);
		expect(await page.locator('.forum-errors').textContent()).toContain(s.invalidLogin);
		await submit(page, { username: learner.username, password: newPassword }, s.login);
		expect(new URL(page.url()).pathname).toBe(base);
		await expect.poll(() => page.locator('.forum-welcome').textContent(), { timeout: 10_000 }).toContain(learner.username);

		// Used once, and voided by the login too: the link now gives the invalid-link page.
		await page.goto(link!);
		expect(await page.locator('main h1').textContent()).toContain(s.invalidLink);
		// The owner was told about the change.
		await expect.poll(async () => (await mailTo(learner.email)).length, { timeout: 10_000 }).toBe(2);
		// No script errors or CSP violations on any forum page (the live inbox beside the form included).
		expect(consoleProblems(page)).toEqual([]);
	});
});

// The machine running the tests may be busy (other builds): the journeys get generous time limits.
describe('what a stranger can learn', { timeout: 120_000 }, () => {
	it('gets the same page for an unknown address as for a known one, and no mail is sent', async () => {
		const known = newLearner();
		const page = await browser.newPage({ javaScriptEnabled: false });
		const password = `tulip-orbit-${randomBytes(2).toString('hex')}`;
		await page.goto(browser.url('/en/sandbox/forum/signup/'));
		await submit(page, { username: known.username, email: known.email, password1: password, password2: password }, 'Sign up');

		const mainText = async (email: string) => {
			const stranger = await browser.newPage({ javaScriptEnabled: false });
			await stranger.goto(browser.url('/en/sandbox/forum/password_reset/'));
			await submit(stranger, { email }, 'Reset my password');
			return { url: stranger.url(), text: await stranger.locator('main .sl-markdown-content > p').allTextContents() };
		};
		const unknownAddress = newLearner().email;
		const forUnknown = await mainText(unknownAddress);
		const forKnown = await mainText(known.email);
		expect(forUnknown).toEqual(forKnown);
		await expect.poll(async () => (await mailTo(known.email)).length, { timeout: 10_000 }).toBe(1);
		expect(await mailTo(unknownAddress)).toEqual([]);
	});

	it('refuses a form posted without the CSRF token, keeping what was typed', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url('/en/sandbox/forum/password_reset/'));
		await page.locator('input[name="csrfmiddlewaretoken"]').evaluate((input) => input.setAttribute('value', 'forged'));
		const email = newLearner().email;
		await page.locator('input[name="email"]').fill(email);
		const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Reset my password' }).click()]);
		expect(response.status()).toBe(403);
		expect(await page.locator('.forum-errors').textContent()).toContain('CSRF');
		expect(await page.locator('input[name="email"]').inputValue()).toBe(email);
		expect(await mailTo(email)).toEqual([]);
	});

	it('shows a clear invalid-link page for a tampered token', async () => {
		const page = await browser.newPage();
		const response = await page.goto(browser.url('/en/sandbox/forum/reset/MQ/diwmp3-00000000000000000000000000000000/'));
		expect(response?.status()).toBe(200);
		expect(response?.headers()['referrer-policy']).toBe('no-referrer');
		expect(await page.locator('main h1').textContent()).toContain('Password reset unsuccessful');
	});
});
