/**
 * Bounded work per message view. Hostile HTML (100,000 nested <div>, a million characters of it, 100,000
 * links side by side, 5 MB of text) is delivered to a sandbox running as its own process. Opening each
 * message answers with its text part and the reason its HTML is withheld, and the raw message is still
 * byte-exact. While messages that are costly but within the limits are being opened, the same process
 * keeps answering health and taking deliveries: counted as progress over real sockets while the opens are
 * in flight, never as a wall-clock threshold. (Before, sanitising ran on the main thread: 100,000 nested
 * <div> froze every client for 30 s.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../sandbox/mail/message-content.ts';
import { apiGet } from './support/api-client.ts';
import { startChildSandbox, type ChildSandbox } from '../../sandbox/testing/child-sandbox.ts';
import { deliver, storedForm, WireClient } from './support/wire-client.ts';

let dataDir = '';
let child: ChildSandbox;
let smtp: WireClient;

beforeAll(async () => {
	dataDir = await mkdtemp(join(tmpdir(), 'postlab-hostile-'));
	child = await startChildSandbox(dataDir, { SANDBOX_MAX_MESSAGE_MB: '25' });
	smtp = await WireClient.open({ port: child.ports.smtp });
	expect((await smtp.reply())?.code).toBe(220);
	expect((await smtp.command('EHLO hostile.test'))?.code).toBe(250);
});

afterAll(async () => {
	smtp?.destroy();
	child?.child.kill('SIGTERM');
	await child?.exited;
	if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A message with a text part and an HTML part (multipart/alternative), or HTML alone. */
function message(subject: string, html: string, text: string | null = `The text part of ${subject}.`): Buffer {
	const head = ['From: sender@hostile.test', 'To: learner@example.com', `Subject: ${subject}`, 'MIME-Version: 1.0'];
	const body =
		text === null
			? ['Content-Type: text/html; charset=utf-8', '', html]
			: ['Content-Type: multipart/alternative; boundary="b"', '', '--b', 'Content-Type: text/plain; charset=utf-8', '', text, '--b', 'Content-Type: text/html; charset=utf-8', '', html, '--b--'];
	return Buffer.from([...head, ...body, ''].join('\r\n'));
}

async function open(id: string): Promise<MessageDetail> {
	const answer = await apiGet(child.ports.http, `/api/v1/messages/${id}`);
	expect(answer.status, answer.body.toString().slice(0, 300)).toBe(200);
	return JSON.parse(answer.body.toString()) as MessageDetail;
}

describe('hostile HTML', () => {
	it('is withheld with its reason, the text part shown, the raw message intact', async () => {
		const cases = [
			{ name: '100,000 nested <div>', html: '<div>'.repeat(100_000) + 'deep' + '</div>'.repeat(100_000), reason: 'too-large' },
			{ name: '50,000 nested <div>', html: '<div>'.repeat(50_000) + 'deep' + '</div>'.repeat(50_000), reason: 'too-deep' },
			{ name: '50,000 unclosed <b>', html: '<b>x'.repeat(50_000), reason: 'too-deep' },
			{ name: '100,000 links side by side', html: '<p><a href="https://a.example/x">link</a></p>'.repeat(100_000), reason: 'too-large' },
			{ name: '20,000 table cells', html: '<table>' + '<tr><td>a<td>b'.repeat(10_000) + '</table>', reason: 'too-many-elements' },
			{ name: '5 MB of text', html: `<p>${'y'.repeat(5 * 1024 * 1024)}</p>`, reason: 'too-large' },
		];
		for (const { name, html, reason } of cases) {
			const raw = message(name, html);
			const id = await deliver(smtp, raw);
			const detail = await open(id);
			expect(detail.html, name).toBeNull();
			expect(detail.htmlWithheld?.reason, name).toBe(reason);
			expect(detail.text, name).toBe(`The text part of ${name}.`);
			const frame = await apiGet(child.ports.http, `/api/v1/messages/${id}/html`);
			expect(frame.status, name).toBe(422);
			expect(JSON.parse(frame.body.toString()).error.message, name).toMatch(/to display safely.*download the raw message/);
			expect((await apiGet(child.ports.http, `/api/v1/messages/${id}/raw`)).body.equals(storedForm(raw)), name).toBe(true);
		}
		// HTML-only, and too deep to be turned into text either: no text part, and still an answer.
		const id = await deliver(smtp, message('deep and alone', '<div>'.repeat(20_000), null));
		const alone = await open(id);
		expect(alone).toMatchObject({ html: null, text: null, htmlWithheld: { reason: 'too-deep' } });
	}, 120_000);

	it('is opened while health and SMTP keep answering: progress on both while the opens are in flight', async () => {
		// Within the limits, and costly: HTML-only (turned into text too), close to 10,000 elements each.
		const costly = (n: number) => message(`costly ${n}`, '<table>' + `<tr><td>${n}<td>cell`.repeat(3_000) + '</table>' + '<p>para'.repeat(600), null);
		const ids: string[] = [];
		for (let n = 0; n < 8; n += 1) ids.push(await deliver(smtp, costly(n)));

		let opening = true;
		const opened = Promise.all(ids.map((id) => open(id))).finally(() => {
			opening = false;
		});
		let healthAnswers = 0;
		let deliveries = 0;
		const healthLoop = (async () => {
			while (opening) {
				expect((await apiGet(child.ports.http, '/api/v1/health')).status).toBe(200);
				if (opening) healthAnswers += 1;
			}
		})();
		const deliveryLoop = (async () => {
			while (opening) {
				await deliver(smtp, message(`during ${deliveries}`, '<p>small</p>'));
				if (opening) deliveries += 1;
			}
		})();
		const details = await opened;
		await Promise.all([healthLoop, deliveryLoop]);
		for (const detail of details) {
			// Rendered, or (on a very slow machine) withheld for time: either way an answer, never a freeze.
			expect(detail.html !== null || detail.htmlWithheld?.reason === 'too-slow', detail.subject).toBe(true);
		}
		// A frozen process answers nothing while a message is being sanitised: at most one health check and
		// one delivery slip in between two opens. Here the opens run beside them.
		expect(healthAnswers).toBeGreaterThan(4 * ids.length);
		expect(deliveries).toBeGreaterThan(ids.length);
	}, 120_000);
});
