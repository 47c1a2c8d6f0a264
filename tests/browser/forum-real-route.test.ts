/**
 * Real SMTP mode in a real browser: Postlab runs as `npm start` does, with a `.env` that points at a
 * local Gmail-like server (STARTTLS, then AUTH; 535 for a wrong password). Its self-signed certificate
 * is trusted through NODE_EXTRA_CA_CERTS, the way a learner's Node would trust a private CA; nothing
 * turns verification off. On the forum's "Forgot your password?" form the learner picks the real
 * server: the email arrives there, and the inbox shows Postlab's copy with the redacted conversation.
 * Then the app password is revoked on the server and the same form explains the 535 in plain words.
 * The password is in no page.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { useRealModeServer } from './harness/own-server.ts';

const USER = 'learner@gmail.com';
const APP_PASSWORD = 'qzxwvutsrqponmlk';

const real = useRealModeServer({ user: USER, password: APP_PASSWORD, fromEmail: `'Forum <${USER}>'`, envLines: ['EMAIL_TIMEOUT=20'] });
const browser = useBrowser({ baseUrl: real.url });

/** Every form in which the password could leak: as is, grouped as Google shows it, and base64 (alone and in AUTH PLAIN). */
function leakedForms(password: string): string[] {
	return [
		password,
		password.replace(/(.{4})(?=.)/g, '$1 '),
		Buffer.from(password).toString('base64'),
		Buffer.from(`\0${USER}\0${password}`).toString('base64'),
	];
}

async function expectNoPassword(page: Page): Promise<void> {
	const html = await page.content();
	for (const form of leakedForms(APP_PASSWORD)) expect(html).not.toContain(form);
}

async function submit(page: Page, fields: Record<string, string>, button: string): Promise<void> {
	for (const [name, value] of Object.entries(fields)) await page.locator(`form [name="${name}"]:visible`).fill(value);
	await Promise.all([page.waitForEvent('load'), page.locator('form button[type="submit"]').filter({ hasText: button }).click()]);
}

/** A forum account, logged out again, whose address the reset form knows. */
async function newAccount(page: Page): Promise<string> {
	const tag = randomBytes(4).toString('hex');
	const email = `learner.${tag}@example.com`;
	const password = `tulip-orbit-${tag}`;
	await page.goto(browser.url('/en/sandbox/forum/signup/'));
	await submit(page, { username: `learner_${tag}`, email, password1: password, password2: password }, 'Sign up');
	await page.goto(browser.url('/en/sandbox/forum/logout/'));
	await submit(page, {}, 'Log out');
	return email;
}

async function requestResetThroughRealServer(page: Page, email: string): Promise<void> {
	await page.goto(browser.url('/en/sandbox/forum/password_reset/'));
	await expectNoPassword(page);
	await page.locator('input[name="route"][value="real"]').check();
	await submit(page, { email }, 'Reset my password');
}

describe('the forum password reset through the real server', () => {
	it('sends through the Gmail-like server and shows the copy with the redacted conversation', async () => {
		const page = await browser.newPage();
		const email = await newAccount(page);
		await requestResetThroughRealServer(page, email);
		expect(new URL(page.url()).pathname).toBe('/en/sandbox/forum/password_reset/done/');
		await expectNoPassword(page);

		// It really went to the other server, logged in, over TLS.
		const received = await real.gmail().nextMessage();
		expect(received.rcptTo).toEqual([email]);
		expect(received.authUser).toBe(USER);
		expect(received.secure).toBe(true);

		// Postlab's copy of it, marked as sent for real, with the conversation.
		await page.goto(browser.url(`/en/sandbox/inbox/?q=${encodeURIComponent(email)}`));
		const row = page.locator('[data-list] li', { hasText: 'Password reset on Postlab' });
		await row.locator('a').first().click();
		await page.locator('[data-outbound]:not([hidden])').waitFor();
		expect(await page.locator('[data-outbound-summary]').textContent()).toContain(`Sent for real through localhost:${real.gmail().port}`);
		const transcript = await page.locator('[data-transcript]').textContent();
		expect(transcript).toContain('STARTTLS');
		expect(transcript).toContain('AUTH');
		expect(transcript).toContain('[redacted]');
		await expectNoPassword(page);
	});

	it('explains a refused password (535) in plain words and keeps the form', async () => {
		const page = await browser.newPage();
		const email = await newAccount(page);
		real.gmailOptions().password = 'a-new-app-password';
		try {
			await requestResetThroughRealServer(page, email);
		} finally {
			real.gmailOptions().password = APP_PASSWORD;
		}
		expect(new URL(page.url()).pathname).toBe('/en/sandbox/forum/password_reset/');
		const explanation = page.locator('.forum-real-failure [data-explanation="auth-rejected"]');
		await explanation.waitFor();
		expect(await explanation.textContent()).toContain('The server refused the user name or password (535 5.7.8)');
		expect(await page.locator('.forum-real-failure').textContent()).toContain('Nothing was changed');
		expect(await page.locator('form [name="email"]').inputValue()).toBe(email);
		await expectNoPassword(page);
	});
});
