/**
 * The going-live lesson's exercise, checked from Postlab's own evidence: with a `.env` that points at a
 * local Gmail-like server (STARTTLS, AUTH, a self-signed CA trusted through NODE_EXTRA_CA_CERTS), a message
 * the sandbox only received does not count; the forum's reset sent through the real server does, once
 * that server answered 250, and the box says which server and what it answered.
 */
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { sandboxEndpoints } from './harness/sandbox-endpoints.ts';
import { useRealModeServer } from './harness/own-server.ts';

const USER = 'learner@gmail.com';
const APP_PASSWORD = 'qzxwvutsrqponmlk';
/** This machine can be busy; the waits are for conditions, not speed checks. */
const WAIT = { timeout: 30_000 } as const;

const real = useRealModeServer({ user: USER, password: APP_PASSWORD, fromEmail: `'Forum <${USER}>'` });
const browser = useBrowser({ baseUrl: real.url });

async function submit(page: Page, fields: Record<string, string>, button: string): Promise<void> {
	for (const [name, value] of Object.entries(fields)) await page.locator(`form [name="${name}"]:visible`).fill(value);
	await Promise.all([page.waitForEvent('load'), page.locator('form button[type="submit"]').filter({ hasText: button }).click()]);
}

describe('the going-live exercise', () => {
	it('refuses mail the sandbox merely received and passes on a reset Gmail accepted', { timeout: 90_000 }, async () => {
		const lesson = await browser.newPage();
		await lesson.goto(browser.url('/en/going-live-with-gmail/'));
		await lesson.getByRole('button', { name: 'Start checking' }).click(WAIT);
		await lesson.locator('[data-exercise][data-checking="true"]').waitFor(WAIT);
		const status = lesson.locator('[data-exercise-status]');

		const { ports } = await sandboxEndpoints(browser);
		const transport = nodemailer.createTransport({ host: '127.0.0.1', port: ports.smtp, secure: false, ignoreTLS: true });
		const local = `Only captured ${Date.now()}`;
		await transport.sendMail({ from: 'admin@fwd.example', to: 'student@example.com', subject: local, text: 'local' });
		transport.close();
		await expect.poll(() => status.textContent(), WAIT).toContain(`“${local}” arrived in the sandbox; it was not sent for real.`);

		const tag = randomBytes(4).toString('hex');
		const email = `learner.${tag}@example.com`;
		const forum = await browser.newPage();
		await forum.goto(browser.url('/en/sandbox/forum/signup/'));
		await submit(forum, { username: `learner_${tag}`, email, password1: `tulip-orbit-${tag}`, password2: `tulip-orbit-${tag}` }, 'Sign up');
		await forum.goto(browser.url('/en/sandbox/forum/logout/'));
		await submit(forum, {}, 'Log out');
		await forum.goto(browser.url('/en/sandbox/forum/password_reset/'));
		await forum.locator('input[name="route"][value="real"]').check();
		await submit(forum, { email }, 'Reset my password');
		expect((await real.gmail().nextMessage()).rcptTo).toEqual([email]);

		await lesson.locator('[data-exercise][data-passed="true"]').waitFor(WAIT);
		const said = (await status.textContent()) ?? '';
		expect(said).toContain(`went out for real through localhost:${real.gmail().port}, which answered 250`);
		expect(said).not.toContain(APP_PASSWORD);
		expect(await lesson.evaluate(() => localStorage.getItem('postlab:exercise:going-live-with-gmail'))).toBe('passed');
		expect(consoleProblems(lesson)).toEqual([]);
	});
});
