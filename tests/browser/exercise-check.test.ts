/**
 * Lesson exercises that check themselves, in Chromium against the real server: a sandbox-mail
 * exercise passes when mail sent over SMTP arrives after "Start checking" with the property the lesson
 * asks for (envelope recipients that differ from To:, TLS with a login, the reset email), says what it
 * saw on mail that does not fit, a missing sandbox API is said plainly, and a .env exercise passes when
 * its playground's goals are met.
 */
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { sandboxEndpoints } from './harness/sandbox-endpoints.ts';
import type {} from '../../src/progress/progress-api.ts';

const browser = useBrowser();
/** This machine can be busy; the waits are for conditions, not speed checks. */
const WAIT = { timeout: 30_000 } as const;
let smtpPort = 0;
let certificate = '';

beforeAll(async () => {
	const sandbox = await sandboxEndpoints(browser);
	smtpPort = sandbox.ports.smtp;
	certificate = sandbox.certificate;
});

interface SendOptions {
	/** Envelope recipients (RCPT TO); by default the To: header's. */
	rcptTo?: string[];
	/** STARTTLS with the sandbox certificate, then AUTH, as Django does with Gmail. */
	tlsLogin?: boolean;
}

async function send(subject: string, options: SendOptions = {}): Promise<string> {
	const transport = options.tlsLogin
		? nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, requireTLS: true, tls: { ca: certificate }, auth: { user: 'me@example.com', pass: 'anything' } })
		: nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
	const info = await transport.sendMail({
		from: 'Forum <admin@fwd.example>',
		to: 'student@example.com',
		subject,
		text: 'exercise',
		...(options.rcptTo ? { envelope: { from: 'bounce@fwd.example', to: options.rcptTo } } : {}),
	});
	transport.close();
	const id = /stored as (\w+)/.exec(info.response)?.[1];
	if (!id) throw new Error(`unexpected reply: ${info.response}`);
	return id;
}

/** Opens a lesson and starts the mail check; resolves once the live stream is connected. */
async function startChecking(path: string, button: string): Promise<Page> {
	const page = await browser.newPage();
	await page.goto(browser.url(path));
	await page.getByRole('button', { name: button }).click(WAIT);
	await page.locator('[data-exercise][data-checking="true"]').waitFor(WAIT);
	return page;
}

const status = (page: Page) => page.locator('[data-exercise-status]');

describe('a sandbox-mail exercise', () => {
	it('in what-is-smtp, names the addresses of a message whose envelope equals its To:, then passes on one that differs', async () => {
		const page = await startChecking('/en/what-is-smtp/', 'Start checking');
		expect(await page.locator('[data-exercise]').getAttribute('data-passed')).toBeNull();
		const same = `Envelope equals header ${Date.now()}`;
		await send(same);
		await expect.poll(() => status(page).textContent(), WAIT).toContain(same);
		expect(await status(page).textContent()).toContain('(student@example.com) are its To: header’s (student@example.com)');
		expect(await page.locator('[data-exercise]').getAttribute('data-passed')).toBeNull();

		const subject = `Exercise arrival ${Date.now()}`;
		const id = await send(subject, { rcptTo: ['me@example.com'] });

		await page.locator('[data-exercise][data-passed="true"]').waitFor(WAIT);
		expect(await status(page).textContent()).toContain(subject);
		expect(await status(page).textContent()).toContain('delivered to me@example.com (RCPT TO) while its To: header says student@example.com');
		expect(await status(page).getAttribute('aria-live')).toBe('polite');
		expect(await page.locator(`[data-exercise-message="${id}"]`).getAttribute('href')).toBe(`/en/sandbox/inbox/${id}`);
		expect(await page.evaluate(() => localStorage.getItem('postlab:exercise:what-is-smtp'))).toBe('passed');
		expect(await page.evaluate(() => window.PostlabProgress?.read().done)).toContain('what-is-smtp');
		expect(await page.locator('button[data-mark-done="what-is-smtp"]').getAttribute('aria-pressed')).toBe('true');
		expect(consoleProblems(page)).toEqual([]);

		// The message link opens that message in the inbox.
		await page.locator(`[data-exercise-message="${id}"]`).click();
		await page.getByText(subject).first().waitFor(WAIT);
	});

	it('in the journey lesson, refuses plain mail and passes on mail sent over TLS with a login', { timeout: 60_000 }, async () => {
		const page = await startChecking('/ko/journey-of-a-reset-email/', '확인 시작');
		const plain = `평문 메일 ${Date.now()}`;
		await send(plain);
		await expect.poll(() => status(page).textContent(), WAIT).toContain(`“${plain}”가 TLS 없는 연결로 도착했습니다.`);
		expect(await page.locator('[data-exercise]').getAttribute('data-passed')).toBeNull();

		const secure = `TLS와 로그인 ${Date.now()}`;
		await send(secure, { tlsLogin: true });
		await page.locator('[data-exercise][data-passed="true"]').waitFor(WAIT);
		expect(await status(page).textContent()).toContain(secure);
		expect(await page.evaluate(() => localStorage.getItem('postlab:exercise:journey-of-a-reset-email'))).toBe('passed');
	});

	it('in the reset lesson, waits past other mail for the password reset email', async () => {
		const page = await startChecking('/ko/try-the-reset/', '확인 시작');
		const other = `다른 메일 ${Date.now()}`;
		await send(other);
		await expect.poll(() => status(page).textContent(), WAIT).toContain(other);
		expect(await page.locator('[data-exercise]').getAttribute('data-passed')).toBeNull();

		const reset = `ForumWithDjango 비밀번호 재설정 ${Date.now()}`;
		await send(reset);
		await page.locator('[data-exercise][data-passed="true"]').waitFor(WAIT);
		expect(await status(page).textContent()).toContain(reset);
		expect(await page.evaluate(() => localStorage.getItem('postlab:exercise:try-the-reset'))).toBe('passed');
	});

	it('says plainly when the sandbox API is not there (static hosting)', async () => {
		const page = await browser.newPage();
		await page.route('**/api/v1/messages*', (route) => route.fulfill({ status: 404, contentType: 'text/html', body: 'Not found' }));
		await page.goto(browser.url('/en/what-is-smtp/'));
		await page.getByRole('button', { name: 'Start checking' }).click(WAIT);
		await expect.poll(() => status(page).textContent(), WAIT).toContain('npm start');
		expect(await status(page).textContent()).toContain('HTTP 404');
		expect(await page.getByRole('button', { name: 'Start checking' }).isEnabled()).toBe(true);
		expect(await page.locator('[data-exercise]').getAttribute('data-passed')).toBeNull();
	});
});

describe('an env-parse exercise', () => {
	it('passes when the playground on the page reads every key as intended', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url('/en/env-parsing/'));
		await expect.poll(() => status(page).textContent(), WAIT).toContain('Not passed yet');
		const fixed = 'EMAIL_HOST_USER=me@example.com\nEMAIL_HOST_PASSWORD=abcdefghijklmnop\nDB_PASSWORD="Tr0ub#dor"\nEMAIL_USE_TLS=True\n';
		await page.locator('[data-env-lab][data-lab="env-parsing-lab"] [data-input]').fill(fixed);
		await page.locator('[data-exercise][data-passed="true"]').waitFor(WAIT);
		expect(await page.evaluate(() => localStorage.getItem('postlab:exercise:env-parsing'))).toBe('passed');

		// Back later: the box remembers.
		await page.reload();
		await expect.poll(() => status(page).textContent(), WAIT).toContain('before');
	});
});
