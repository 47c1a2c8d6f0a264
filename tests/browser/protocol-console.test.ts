/**
 * The protocol console in a real browser, by keyboard alone: a full SMTP session typed into the lesson's
 * console over STARTTLS and AUTH (the login helper), each reply explained, the goals ticked by the sandbox's
 * evidence, and the message in the inbox with this very conversation, the password nowhere on either page.
 */
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { sandboxEndpoints } from './harness/sandbox-endpoints.ts';

const browser = useBrowser();
const PASSWORD = 'typed-by-hand-pw-42';

/** Types one line into the console and presses Enter, then waits for the server's answer matching `reply`. */
async function say(page: Page, line: string, reply?: RegExp): Promise<void> {
	const screen = page.locator('[data-protocol-console] [data-screen]');
	const before = await screen.locator('li.from-server').count();
	await page.keyboard.type(line);
	await page.keyboard.press('Enter');
	if (!reply) return;
	await expect
		.poll(async () => (await screen.locator('li.from-server code').allTextContents()).slice(before).some((text) => reply.test(text)), { timeout: 10_000 })
		.toBe(true);
}

describe('protocol console', () => {
	it('delivers a message typed by hand over STARTTLS and AUTH, and the inbox shows it with its dialogue', { timeout: 90_000 }, async () => {
		const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
		await page.goto(browser.url('/en/what-is-smtp/'));
		const console_ = page.locator('[data-protocol-console]');
		await console_.locator('[data-connect]').focus();
		await page.keyboard.press('Enter');
		const screen = console_.locator('[data-screen]');
		await expect.poll(() => screen.locator('li.from-server code').first().textContent(), { timeout: 10_000 }).toMatch(/^220 /);
		// The focus went to the line input: everything from here is typed.
		expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-input'))).toBe(true);
		expect(await screen.getAttribute('role')).toBe('log');

		await say(page, 'EHLO django.local', /^250 /);
		// Each reply carries its explanation (the inbox's own tables): the STARTTLS keyword of EHLO.
		expect(await screen.locator('li.from-server', { hasText: 'STARTTLS' }).first().locator('.explain').textContent()).toMatch(/TLS/);
		await say(page, 'STARTTLS', /^220 /);
		await expect.poll(() => console_.locator('[data-wire]').getAttribute('data-encrypted')).toBe('true');
		expect(await screen.locator('li.tls').textContent()).toMatch(/TLSv1\.[23]/);
		// ↑ brings back the EHLO typed before.
		await page.keyboard.press('ArrowUp');
		await page.keyboard.press('ArrowUp');
		expect(await console_.locator('[data-input]').inputValue()).toBe('EHLO django.local');
		await page.keyboard.press('Enter');
		await expect.poll(async () => (await screen.locator('li.from-server code').allTextContents()).filter((t) => /^250 /.test(t)).length).toBe(2);

		// The login helper, by keyboard: open it, fill user and password, send.
		await console_.locator('[data-login] summary').focus();
		await page.keyboard.press('Enter');
		await console_.locator('[data-login-user]').fill('learner@example.com');
		await console_.locator('[data-login-password]').focus();
		await page.keyboard.type(PASSWORD);
		expect(await console_.locator('[data-login-preview]').textContent()).toContain('AUTH PLAIN ');
		await page.keyboard.press('Enter');
		await expect.poll(async () => (await screen.locator('li.from-server code').allTextContents()).some((t) => t.startsWith('235 '))).toBe(true);
		expect(await screen.locator('li.from-client code').allTextContents()).toContain('AUTH PLAIN [redacted]');

		await console_.locator('[data-input]').focus();
		const subject = `Typed in the console ${Date.now()}`;
		await say(page, 'MAIL FROM:<learner@example.com>', /^250 /);
		await say(page, 'RCPT TO:<bcc@example.com>', /^250 /);
		await say(page, 'DATA', /^354 /);
		for (const line of ['From: learner@example.com', 'To: everyone@example.com', `Subject: ${subject}`, '', 'Hello from the console.']) await say(page, line);
		await say(page, '.', /stored as/);
		const stored = (await screen.locator('li.from-server code').allTextContents()).find((t) => /stored as/.test(t)) ?? '';
		const id = /stored as (\S+)/.exec(stored)?.[1] ?? '';
		expect(id).not.toBe('');

		for (const goal of ['smtp-deliver', 'smtp-envelope', 'smtp-starttls-auth']) {
			await expect.poll(() => console_.locator(`[data-goal="${goal}"]`).getAttribute('data-done')).toBe('true');
		}
		expect(await console_.locator('[data-goal="smtp-refusal"]').getAttribute('data-done')).toBe('false');
		expect(await page.evaluate(() => localStorage.getItem('postlab:console:what-is-smtp:smtp-deliver'))).toBe('done');
		expect(await page.content()).not.toContain(PASSWORD);
		const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
		expect(scrollWidth).toBeLessThanOrEqual(390);
		expect(consoleProblems(page)).toEqual([]);

		// The inbox shows the message and the capture server's own record of this conversation.
		await page.goto(browser.url(`/en/sandbox/inbox/${id}`));
		await page.locator('[data-message][aria-busy="false"]').waitFor();
		expect(await page.locator('[data-message]').textContent()).toContain(subject);
		const transcript = await page.locator('[data-transcript]').textContent();
		expect(transcript).toContain('STARTTLS');
		expect(transcript).toContain('RCPT TO:<bcc@example.com>');
		expect(transcript).toContain('AUTH PLAIN [redacted]');
		expect(await page.content()).not.toContain(PASSWORD);
	});

	it('explains a provoked refusal in Korean and ticks the refusal goal', { timeout: 60_000 }, async () => {
		const page = await browser.newPage();
		await page.goto(browser.url('/ko/what-is-smtp/'));
		const console_ = page.locator('[data-protocol-console]');
		await console_.locator('[data-connect]').click();
		await expect.poll(() => console_.locator('[data-screen] li.from-server code').first().textContent(), { timeout: 10_000 }).toMatch(/^220 /);
		await say(page, 'EHLO django.local', /^250 /);
		// "What can I type?" fills the input with the next command.
		await console_.locator('[data-suggestions] button', { hasText: 'RCPT TO' }).first().click();
		expect(await console_.locator('[data-input]').inputValue()).toMatch(/^RCPT TO:/);
		await page.keyboard.press('Enter');
		await expect.poll(() => console_.locator('[data-goal="smtp-refusal"]').getAttribute('data-done')).toBe('true');
		const explained = await console_.locator('[data-screen] li.from-server', { hasText: '503' }).locator('.explain').textContent();
		expect(explained).toContain('순서');
		expect(await console_.locator('[data-goal="smtp-refusal"] [data-goal-hint]').textContent()).toContain('503');
	});
});

describe('protocol console: reading back', () => {
	it('reads the newest subject over IMAP with BODY.PEEK in the Korean lesson, after STARTTLS and the login helper', { timeout: 60_000 }, async () => {
		// A message of its own to read, whatever else this server holds.
		const sandbox = await sandboxEndpoints(browser);
		const transport = nodemailer.createTransport({
			host: '127.0.0.1',
			port: sandbox.ports.smtp,
			requireTLS: true,
			tls: { ca: sandbox.certificate, servername: 'localhost' },
		});
		const subject = `Read me over IMAP ${Date.now()}`;
		await transport.sendMail({ from: 'app@example.com', to: 'reader@example.com', subject, text: 'Hello' });
		transport.close();
		const page = await browser.newPage();
		await page.goto(browser.url('/ko/pop3-and-imap/'));
		const imap = page.locator('[data-protocol-console][data-protocol="imap"]');
		await imap.locator('[data-connect]').click();
		const screen = imap.locator('[data-screen]');
		await expect.poll(() => screen.locator('li.from-server code').first().textContent(), { timeout: 10_000 }).toMatch(/^\* OK/);
		const typed = async (line: string, reply: RegExp) => {
			await imap.locator('[data-input]').fill(line);
			await imap.locator('[data-input]').press('Enter');
			await expect.poll(async () => (await screen.locator('li.from-server code').allTextContents()).some((t) => reply.test(t)), { timeout: 10_000 }).toBe(true);
		};
		await typed('a1 STARTTLS', /^a1 OK/);
		await expect.poll(() => imap.locator('[data-wire]').getAttribute('data-encrypted')).toBe('true');
		await imap.locator('[data-login] summary').click();
		await imap.locator('[data-login-password]').fill('anything');
		await imap.locator('[data-login-password]').press('Enter');
		await expect.poll(async () => (await screen.locator('li.from-server code').allTextContents()).some((t) => /^L1 OK/.test(t))).toBe(true);
		await typed('a2 SELECT INBOX', /^a2 OK/);
		await expect.poll(() => imap.locator('[data-goal="imap-select"]').getAttribute('data-done')).toBe('true');
		// The list suggests the PEEK fetch of the newest message (the EXISTS count) with the next tag.
		const peek = imap.locator('[data-suggestions] button', { hasText: 'BODY.PEEK' }).first();
		await peek.click();
		expect(await imap.locator('[data-input]').inputValue()).toMatch(/^a3 FETCH \d+ \(BODY\.PEEK\[HEADER\.FIELDS \(SUBJECT FROM\)\]\)$/);
		await imap.locator('[data-input]').press('Enter');
		await expect.poll(() => imap.locator('[data-goal="imap-peek-subject"]').getAttribute('data-done')).toBe('true');
		expect((await screen.locator('li.from-server code').allTextContents()).includes(`Subject: ${subject}`)).toBe(true);
		expect(await screen.locator('li.from-client', { hasText: 'FETCH' }).locator('.explain').textContent()).toContain('PEEK');
		expect(await page.content()).not.toContain('L1 LOGIN "me@example.com" "anything"');
		expect(consoleProblems(page)).toEqual([]);
	});
});

describe('protocol console: look', () => {
	it('dresses its buttons and mechanism picker as the SMTP player dresses its own, not as a bare button', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url('/en/what-is-smtp/'));
		const look = (selector: string) =>
			page.locator(selector).first().evaluate((element) => {
				const style = getComputedStyle(element);
				return [style.padding, style.border, style.borderRadius, style.backgroundColor, style.color, style.fontSize, style.cursor].join(' | ');
			});
		await page.evaluate(() => document.body.append(Object.assign(document.createElement('button'), { id: 'bare-button' })));
		const player = await look('[data-smtp-player] [data-go="next"]');
		expect(player).not.toBe(await look('#bare-button'));
		expect(await look('[data-protocol-console] [data-copy]')).toBe(player);
		expect(await look('[data-protocol-console] [data-login-mechanism]')).toBe(player);
	});
});
