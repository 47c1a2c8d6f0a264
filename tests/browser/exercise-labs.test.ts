/**
 * Exercises whose evidence is recorded by a lab, in Chromium against the real server: the port/TLS lab
 * passes settings-py's exercise only once both right pairs really connected (a wrong pair records
 * nothing), the POP3/IMAP check passes pop3-and-imap's once the sandbox saw a real POP3 client fetch a
 * message, and progress then shows those lessons as checked by the site (✓✓ in the sidebar, a count
 * on the home page).
 */
import { connect } from 'node:tls';
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { sandboxEndpoints } from './harness/sandbox-endpoints.ts';
import type {} from '../../src/progress/progress-api.ts';

const browser = useBrowser();
/** This machine can be busy; the waits are for conditions, not speed checks. */
const WAIT = { timeout: 30_000 } as const;

const status = (page: Page) => page.locator('[data-exercise-status]');

async function runPair(page: Page, port: '587' | '465' | '25', setting: 'useTls' | 'useSsl' | null): Promise<void> {
	const lab = page.locator('[data-port-tls-lab]');
	await lab.locator(`input[name="port"][value="${port}"]`).check();
	for (const name of ['useTls', 'useSsl'] as const) await lab.locator(`input[name="${name}"]`).setChecked(name === setting);
	const result = lab.locator('[data-result]');
	const before = await result.textContent();
	await lab.getByRole('button', { name: 'Run' }).click();
	// A run replaces the result; wait until this one is shown.
	await expect.poll(async () => (await result.getAttribute('aria-busy')) === 'false' && (await result.textContent()) !== before, WAIT).toBe(true);
}

/**
 * A POP3 client over TLS, trusting only the sandbox certificate: it logs in, fetches message 1 and quits,
 * sending each command once the reply to the one before is complete.
 */
async function fetchOverPop3s(port: number, ca: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = connect({ host: '127.0.0.1', port, ca });
		const commands = ['USER student', 'PASS anything', 'RETR 1', 'QUIT'];
		let pending = '';
		let transcript = '';
		/** The command whose reply is awaited: null for the greeting. */
		let awaiting: string | null = null;
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			pending += chunk;
			transcript += chunk;
			for (;;) {
				const multiLine = awaiting === 'RETR 1' && pending.startsWith('+OK');
				const end = multiLine ? pending.indexOf('\r\n.\r\n') : pending.indexOf('\r\n');
				if (end < 0) return;
				pending = pending.slice(end + (multiLine ? 5 : 2));
				awaiting = commands.shift() ?? null;
				if (awaiting === null) return;
				socket.write(`${awaiting}\r\n`);
			}
		});
		socket.on('end', () => resolve(transcript));
		socket.on('error', reject);
	});
}

describe('a port-tls exercise', () => {
	it('passes once both right pairs connected, not on a wrong one, and shows the lesson as checked', { timeout: 90_000 }, async () => {
		const page = await browser.newPage();
		await page.goto(browser.url('/en/settings-py/'));
		await page.locator('[data-port-tls-lab] [data-run]:enabled').waitFor(WAIT);
		await expect.poll(() => status(page).textContent(), WAIT).toContain('Not passed yet');

		await runPair(page, '587', 'useSsl');
		await runPair(page, '587', 'useTls');
		expect(await page.evaluate(() => localStorage.getItem('postlab:porttls:settings-py:587'))).toBe('connected');
		expect(await page.locator('[data-exercise]').getAttribute('data-passed')).toBeNull();

		await runPair(page, '465', 'useSsl');
		await page.locator('[data-exercise][data-passed="true"]').waitFor(WAIT);
		expect(await status(page).textContent()).toContain('both right pairs connected');
		expect(await page.evaluate(() => localStorage.getItem('postlab:exercise:settings-py'))).toBe('passed');

		// Progress: the sidebar marks the lesson ✓✓ (checked), a lesson the learner only marked done ✓; the
		// home page counts the checked one.
		await page.evaluate(() => window.PostlabProgress?.setDone('what-is-smtp', true));
		await page.goto(browser.url('/en/try-the-reset/'));
		const mark = (slug: string) => page.locator(`#starlight__sidebar a[href="/en/${slug}/"]`).evaluate((link) => getComputedStyle(link, '::after').content);
		expect(await mark('settings-py')).toContain('✓✓');
		expect(await mark('what-is-smtp')).not.toContain('✓✓');
		expect(await mark('what-is-smtp')).toContain('✓');
		await page.goto(browser.url('/en/'));
		expect(await page.locator('.postlab-progress-checked span:visible').textContent()).toBe('1 of them checked by the site (✓✓ in the list)');
		expect(consoleProblems(page)).toEqual([]);
	});
});

describe('a mail-read exercise', () => {
	it('passes once the sandbox saw a POP3 client fetch a message', { timeout: 60_000 }, async () => {
		const sandbox = await sandboxEndpoints(browser);
		const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sandbox.ports.smtp, secure: false, ignoreTLS: true });
		await transport.sendMail({ from: 'admin@fwd.example', to: 'student@example.com', subject: `To read over POP3 ${Date.now()}`, text: 'read me' });
		transport.close();

		const page = await browser.newPage();
		await page.goto(browser.url('/ko/pop3-and-imap/'));
		await expect.poll(() => status(page).textContent(), WAIT).toContain('아직 성공하지 않았습니다');
		const transcript = await fetchOverPop3s(sandbox.ports.pop3s, sandbox.certificate);
		expect(transcript).toContain('\r\n.\r\n');

		await page.locator('[data-mailread-check] [data-check]').click();
		await page.locator('[data-exercise][data-passed="true"]').waitFor(WAIT);
		expect(await status(page).textContent()).toContain('POP3나 IMAP 클라이언트가 메일을 가져가는 것을 샌드박스가 확인했습니다');
		// The time is in the page's language, though this browser speaks English.
		expect(await page.locator('[data-mailread-check] [data-result]').textContent()).toMatch(/^통과: (오전|오후) \d{1,2}:\d{2}:\d{2}에 /);
		expect(await page.evaluate(() => localStorage.getItem('postlab:exercise:pop3-and-imap'))).toBe('passed');
		expect(consoleProblems(page)).toEqual([]);
	});
});
