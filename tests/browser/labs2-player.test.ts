/**
 * The SMTP conversation player in a real browser: a message sent here with nodemailer over STARTTLS to the
 * test server's SMTP port is played back in the lesson and in the inbox, step by step with the keyboard,
 * with the STARTTLS marker; the AUTH PLAIN panel encodes and decodes a made-up password in the page.
 */
import { AxeBuilder } from '@axe-core/playwright';
import nodemailer from 'nodemailer';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { sandboxEndpoints } from './harness/sandbox-endpoints.ts';

const browser = useBrowser();
const subject = `Player test ${Date.now()}`;
let messageId = '';

beforeAll(async () => {
	const sandbox = await sandboxEndpoints(browser);
	const transport = nodemailer.createTransport({
		host: '127.0.0.1',
		port: sandbox.ports.smtp,
		secure: false,
		requireTLS: true,
		tls: { ca: sandbox.certificate, servername: 'localhost' },
		auth: { user: 'student@example.com', pass: 'not-a-real-password' },
	});
	const info = await transport.sendMail({ from: 'app@example.com', to: 'reader@example.com', subject, text: 'Hello' });
	transport.close();
	messageId = /stored as (\S+)/.exec(info.response)?.[1] ?? '';
	expect(messageId).not.toBe('');
	// The complete conversation (up to QUIT) is saved once the connection closes.
	await until(async () => {
		const detail = (await (await fetch(browser.url(`/api/v1/messages/${messageId}`))).json()) as { session: { transcript: Array<{ event?: string }> } };
		return detail.session.transcript.some((entry) => entry.event === 'close');
	}, 'the stored transcript to reach the connection close');
});

/** Re-checks a condition until it holds (hooks cannot use expect.poll); fails with what it waited for. */
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

describe('SMTP conversation player', () => {
	it('plays the newest message in the lesson with the keyboard and marks where STARTTLS encrypts the wire', { timeout: 90_000 }, async () => {
		const page = await browser.newPage();
		await page.goto(browser.url('/en/what-is-smtp/'));
		const player = page.locator('[data-smtp-player]');
		await expect.poll(() => player.getAttribute('data-shown-id'), { timeout: 15_000 }).toBe(messageId);
		expect(await player.locator('[data-status]').textContent()).toContain(subject);
		const lines = player.locator('[data-lines]');
		await lines.focus();
		const current = () => player.locator('[data-lines] [aria-current="step"]').getAttribute('data-step');
		expect(await current()).toBe('0');
		await page.keyboard.press('ArrowRight');
		expect(await current()).toBe('1');
		expect(await player.locator('[data-current]').textContent()).toContain('220');
		expect(await player.locator('[data-current]').textContent()).toContain('RFC 5321');
		await page.keyboard.press('End');
		const total = await player.locator('[data-lines] [data-step]').count();
		expect(await current()).toBe(String(total - 1));
		await page.keyboard.press('Home');
		expect(await current()).toBe('0');
		expect(await player.locator('[data-wire]').getAttribute('data-encrypted')).toBe('false');

		// The marker sits right before the first encrypted line; stepping onto it says so.
		await player.locator('[data-tls-marker]').waitFor();
		const markerStep = await player.locator('[data-tls-marker] + li').getAttribute('data-step');
		const before = await player.locator('[data-tls-marker]').evaluate((node) => node.previousElementSibling?.textContent ?? '');
		expect(before).toMatch(/^S:\s*220/);
		for (let step = 0; step < Number(markerStep); step += 1) await page.keyboard.press('ArrowRight');
		expect(await current()).toBe(markerStep);
		expect(await player.locator('[data-current] .tls-now').textContent()).toContain('Encrypted from here');
		expect(await player.locator('[data-wire]').getAttribute('data-encrypted')).toBe('true');

		// The buttons do the same as the keys.
		await player.getByRole('button', { name: 'Previous' }).click();
		expect(await current()).toBe(String(Number(markerStep) - 1));

		// The password never reached the page: the AUTH line is redacted.
		expect(await lines.textContent()).toContain('AUTH PLAIN [redacted]');
		expect(await page.content()).not.toContain('not-a-real-password');

		const results = await new AxeBuilder({ page }).include('[data-smtp-player]').analyze();
		expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
		expect(consoleProblems(page)).toEqual([]);
	});

	it('shows AUTH PLAIN as base64 of a made-up login, decoded back in the page (Korean, dark theme)', { timeout: 90_000 }, async () => {
		const page = await browser.newPage({ locale: 'ko-KR', colorScheme: 'dark' });
		await page.goto(browser.url('/ko/what-is-smtp/'));
		const player = page.locator('[data-smtp-player]');
		await expect.poll(() => player.getAttribute('data-shown-id'), { timeout: 15_000 }).toBe(messageId);
		await player.getByRole('button', { name: /다음/ }).click();
		const results = await new AxeBuilder({ page }).include('[data-smtp-player]').analyze();
		expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
		const panel = page.locator('[data-auth-plain]');
		await panel.getByLabel('지어낸 아이디').fill('tim');
		await panel.getByLabel('지어낸 비밀번호').fill('tanstaaftanstaaf');
		// RFC 4616 §4's example.
		await expect.poll(() => panel.locator('[data-auth-line]').textContent()).toBe('AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm');
		expect(await panel.locator('[data-auth-decoded]').textContent()).toContain('tanstaaftanstaaf');
		expect(await panel.locator('[data-auth-bytes]').textContent()).toBe('␀tim␀tanstaaftanstaaf');
	});

	it('plays the conversation on the inbox message page', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url(`/en/sandbox/inbox/${messageId}/`));
		await page.getByRole('tab', { name: /SMTP/ }).click();
		const player = page.locator('[data-smtp-player]');
		await expect.poll(() => player.getAttribute('data-shown-id'), { timeout: 15_000 }).toBe(messageId);
		await player.getByRole('button', { name: /Next/ }).click();
		expect(await player.locator('[data-lines] [aria-current="step"]').getAttribute('data-step')).toBe('1');
		expect(await player.locator('[data-tls-marker]').count()).toBe(1);
		expect(await page.locator('[data-auth-plain]').count()).toBe(0);
		expect(consoleProblems(page)).toEqual([]);
	});
});
