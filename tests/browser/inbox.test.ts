/**
 * The web inbox in Chromium against the real server (`node sandbox/main.ts`): mail sent over SMTP shows
 * up live, a hostile HTML email is inert, a text-only one opens on its text, and the raw, headers,
 * transcript and attachment views work.
 */
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { sandboxEndpoints } from './harness/sandbox-endpoints.ts';
import { runPython } from '../../sandbox/testing/pop3-imap-fixtures.ts';

const browser = useBrowser();
let smtpPort = 0;
let imapPort = 0;

beforeAll(async () => {
	const { ports } = await sandboxEndpoints(browser);
	smtpPort = ports.smtp;
	imapPort = ports.imap;
});

async function send(message: SendMailOptions): Promise<string> {
	const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
	const info = await transport.sendMail({ from: 'Forum <admin@fwd.example>', to: 'student@example.com', ...message });
	transport.close();
	const id = /stored as (\w+)/.exec(info.response)?.[1];
	if (!id) throw new Error(`unexpected reply: ${info.response}`);
	return id;
}

async function openInbox(page: Page): Promise<void> {
	await page.goto(browser.url('/en/sandbox/inbox/'));
	// The list is live once its EventSource has connected.
	await page.locator('[data-inbox][data-live="true"]').waitFor();
}

describe('inbox', () => {
	it('shows a message the moment it arrives, unread, without reloading', async () => {
		const page = await browser.newPage();
		await openInbox(page);
		const subject = `Live arrival ${Date.now()}`;
		await send({ subject, text: 'Arrived while you were watching.' });
		const row = page.locator('[data-list] li', { hasText: subject });
		await row.waitFor();
		expect(await row.getAttribute('class')).toContain('unread');
		expect(await row.textContent()).toContain('Arrived while you were watching.');
		expect(page.url()).toBe(browser.url('/en/sandbox/inbox/'));
	});

	it('follows a mail client: read over IMAP turns the row read, \\Deleted + EXPUNGE removes it, without reloading', async () => {
		const page = await browser.newPage();
		await openInbox(page);
		const subject = `Read elsewhere ${Date.now()}`;
		await send({ subject, text: 'Read on another device.' });
		const row = page.locator('[data-list] li', { hasText: subject });
		await row.waitFor();
		expect(await row.getAttribute('class')).toContain('unread');
		// Python's imaplib as "another device": find the message by subject, read it whole (no PEEK sets \\Seen).
		const imap = (step: string) =>
			runPython(
				`
import imaplib, sys
imap = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=20)
imap.login('student', 'any')
imap.select('INBOX')
uid = imap.uid('SEARCH', 'SUBJECT', '"%s"' % sys.argv[2])[1][0].split()[-1]
if sys.argv[3] == 'read':
    imap.uid('FETCH', uid, '(BODY[])')
else:
    imap.uid('STORE', uid, '+FLAGS', '(\\\\Deleted)')
    imap.uid('EXPUNGE', uid)
imap.logout()
`,
				[String(imapPort), subject, step],
			);
		await imap('read');
		await expect.poll(async () => row.getAttribute('class')).not.toContain('unread');
		await imap('delete');
		await expect.poll(async () => row.count()).toBe(0);
	});

	it('finds messages with the search box', async () => {
		const subject = `Searchable ${Date.now()}`;
		await send({ subject, text: 'find me' });
		const page = await browser.newPage();
		await page.goto(browser.url(`/en/sandbox/inbox/?q=${encodeURIComponent(subject)}`));
		await page.locator('[data-list] li', { hasText: subject }).waitFor();
		expect(await page.locator('[data-list] li').count()).toBe(1);
	});
});

describe('a hostile HTML email', () => {
	it('renders without running anything: no script, no handler, no javascript: link, no refresh, no form', async () => {
		const marker = `Hostile ${Date.now()}`;
		const id = await send({
			subject: marker,
			text: 'plain part',
			html: `
				<meta http-equiv="refresh" content="0;url=https://example.invalid/refreshed">
				<h1>${marker} content</h1>
				<script>parent.postMessage('pwned:script', '*'); fetch('/api/v1/messages', { method: 'DELETE' });</script>
				<img src="/does-not-exist.png" onerror="parent.postMessage('pwned:onerror', '*')">
				<img src="https://tracker.example.invalid/open.gif">
				<a id="jslink" href="javascript:parent.postMessage('pwned:link', '*')">click me</a>
				<svg onload="parent.postMessage('pwned:svg', '*')"></svg>
				<form action="/api/v1/messages" method="post"><input name="x" value="y"><button id="submit">Send</button></form>
				<div onmouseover="parent.postMessage('pwned:hover', '*')" id="hover">hover me</div>`,
		});
		const page = await browser.newPage();
		// Anything the mail manages to run would report here.
		const pwned: string[] = [];
		await page.exposeFunction('reportPwned', (what: string) => pwned.push(what));
		await page.addInitScript(() => {
			window.addEventListener('message', (event) => {
				if (typeof event.data === 'string' && event.data.startsWith('pwned')) (window as unknown as { reportPwned(s: string): void }).reportPwned(event.data);
			});
		});
		await page.goto(browser.url(`/en/sandbox/inbox/${id}`));
		const frameElement = page.locator('iframe[data-html]');
		await frameElement.waitFor();
		const sandboxAttr = (await frameElement.getAttribute('sandbox')) ?? '';
		expect(sandboxAttr).not.toContain('allow-scripts');
		expect(sandboxAttr).not.toContain('allow-same-origin');
		expect(sandboxAttr).not.toContain('allow-forms');
		expect(sandboxAttr).not.toContain('allow-top-navigation');

		const frame = page.frameLocator('iframe[data-html]');
		await frame.locator('h1', { hasText: `${marker} content` }).waitFor();
		// Try what a reader would do: click the link, hover the trap.
		await frame.locator('#jslink').click();
		await frame.locator('#hover').hover();
		// An image's error event fires before its document's load event: once the frame has loaded, an
		// onerror that could run has run. (No evaluate() here: a frame without scripts cannot run one.)
		const htmlFrame = page.frames().find((f) => f.url().includes(`/api/v1/messages/${id}/html`));
		expect(htmlFrame).toBeDefined();
		await htmlFrame!.waitForLoadState('load');

		expect(await frame.locator('script, [onerror], [onload], [onmouseover], form, meta[http-equiv], svg').count()).toBe(0);
		expect(await frame.locator('a[href^="javascript"]').count()).toBe(0);
		expect(pwned).toEqual([]);
		expect(page.url()).toBe(browser.url(`/en/sandbox/inbox/${id}`));
		expect(htmlFrame!.url()).toBe(browser.url(`/api/v1/messages/${id}/html`));
		// The script's DELETE did not happen: the message is still there.
		expect((await page.request.get(browser.url(`/api/v1/messages/${id}`))).status()).toBe(200);
		// The tracking image was held back, and the reader is told so.
		await page.locator('[data-images]:not([hidden])').waitFor();
		expect(await page.locator('[data-images-text]').textContent()).toContain('1 remote images were blocked');
		expect(await frame.locator('img[src*="tracker"]').count()).toBe(0);
		// Several page loads and a frame: slow on a busy machine, never a hang.
	}, 60_000);
});

describe('message views', () => {
	it('opens a text-only message (like Django\'s reset mail) on its text, and one with HTML on its HTML', async () => {
		const plain = await send({ subject: `Text only ${Date.now()}`, text: 'Follow http://127.0.0.1:8000/reset/MQ/abc-123/ to reset.' });
		const rich = await send({ subject: `With HTML ${Date.now()}`, text: 'plain part', html: '<p>html part</p>' });
		const page = await browser.newPage();
		const selected = () => page.locator('[role="tab"][aria-selected="true"]').textContent();

		await page.goto(browser.url(`/en/sandbox/inbox/${plain}`));
		await page.locator('[data-message][aria-busy="false"]').waitFor();
		expect(await selected()).toBe('Text');
		expect(await page.locator('[data-text]').isVisible()).toBe(true);
		expect(await page.locator('[data-text]').textContent()).toContain('/reset/MQ/abc-123/');
		// Switched for the reader, not by the reader: the page neither moved focus nor scrolled.
		expect(await page.evaluate(() => [document.activeElement?.getAttribute('role') ?? null, window.scrollY])).toEqual([null, 0]);

		await page.goto(browser.url(`/en/sandbox/inbox/${rich}`));
		await page.locator('[data-message][aria-busy="false"]').waitFor();
		expect(await selected()).toBe('HTML');
		expect(await page.locator('iframe[data-html]').isVisible()).toBe(true);
	});

	it('shows headers, the raw source, the transcript explained, and downloads attachments', async () => {
		const subject = `Views ${Date.now()}`;
		const id = await send({
			subject,
			text: 'See the attachment.',
			attachments: [{ filename: 'notes.txt', content: 'attached text 123' }],
		});
		const page = await browser.newPage();
		await page.goto(browser.url(`/en/sandbox/inbox/${id}`));
		await page.locator('[data-loaded]:not([hidden])').waitFor();
		expect(await page.locator('[data-field="subject"]').textContent()).toBe(subject);

		await page.getByRole('tab', { name: 'Headers' }).click();
		const subjectRow = page.locator('[data-headers] tr', { has: page.locator('th', { hasText: /^Subject$/ }) });
		expect(await subjectRow.locator('td').textContent()).toBe(subject);

		await page.getByRole('tab', { name: 'Raw source' }).click();
		await expect.poll(() => page.locator('[data-raw]').textContent()).toContain(`Subject: ${subject}`);

		await page.getByRole('tab', { name: 'SMTP conversation' }).click();
		const mailFrom = page.locator('[data-transcript] li.from-client', { hasText: 'MAIL FROM' }).first();
		await mailFrom.locator('summary').click();
		expect(await mailFrom.locator('.explain').textContent()).toMatch(/envelope sender/);
		expect(await page.locator('[data-transcript]').textContent()).toContain('354');

		await page.getByRole('tab', { name: 'Attachments' }).click();
		const link = page.locator('[data-attachments] a', { hasText: 'notes.txt' });
		const href = await link.getAttribute('href');
		expect(href).toBe(`/api/v1/messages/${id}/attachments/0`);
		const download = await page.request.get(browser.url(href!));
		expect(await download.text()).toBe('attached text 123');
	});
});

describe('HTML too deep to display safely', () => {
	it('shows the text part and a note with the raw download instead, in both languages', async () => {
		const subject = `Deep ${Date.now()}`;
		const id = await send({ subject, text: 'The text part still reads fine.', html: '<div>'.repeat(20_000) + 'deep' + '</div>'.repeat(20_000) });
		for (const [lang, note, download] of [
			['en', 'nested too deeply to display safely', 'Download the raw message (.eml)'],
			['ko', '너무 깊게 중첩되어 안전하게 보여 줄 수 없습니다', '원본 메시지(.eml) 내려받기'],
		] as const) {
			const page = await browser.newPage();
			await page.goto(browser.url(`/${lang}/sandbox/inbox/${id}`));
			const withheld = page.locator('[data-html-withheld]:not([hidden])');
			await withheld.waitFor();
			expect(await withheld.textContent()).toContain(note);
			expect(await withheld.locator('a').textContent()).toBe(download);
			expect(await withheld.locator('a').getAttribute('href')).toBe(`/api/v1/messages/${id}/raw?download=1`);
			// No frame is loaded for it.
			expect(await page.locator('iframe[data-html]').isHidden()).toBe(true);
			expect(await page.locator('[data-text]').textContent()).toBe('The text part still reads fine.');
		}
	});
});
