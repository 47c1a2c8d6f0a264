import { request } from 'node:http';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageSummary } from '../store/types.ts';
import type { MessageDetail } from '../mail/message-content.ts';
import { openLiveEvents } from '../testing/live-events.ts';
import { nextEvent, startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';

let t: TestSandbox;
beforeAll(async () => {
	t = await startTestSandbox();
});
afterAll(async () => {
	await t.stop();
});

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
	json<T = unknown>(): T;
}

/** node:http rather than fetch: fetch will not send a forged Host header, and that is what we test. */
function call(method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port: t.httpPort, method, path, headers: options.headers ?? {} }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				const body = Buffer.concat(chunks);
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body.toString()) as T });
			});
		});
		req.on('error', reject);
		req.end(options.body);
	});
}

async function send(subject: string, extra: Record<string, unknown> = {}): Promise<string> {
	const sender = nodemailer.createTransport({ host: '127.0.0.1', port: t.sandbox.ports.smtp, secure: false, ignoreTLS: true });
	const info = await sender.sendMail({ from: 'Forum <admin@fwd.example>', to: 'you@example.com', subject, text: `Body of ${subject}`, ...extra });
	sender.close();
	return /stored as (\w+)/.exec(info.response)![1]!;
}

/** Reads server-sent events from /api/v1/events until `stop` returns true. */
interface StreamEvent {
	event: string;
	data: unknown;
	id?: string;
}

function readEvents(stop: (events: StreamEvent[]) => boolean, headers: Record<string, string> = {}): {
	ready: Promise<void>;
	done: Promise<StreamEvent[]>;
} {
	const events: StreamEvent[] = [];
	const stream = openLiveEvents(`${t.baseUrl}/api/v1/events`, {
		headers,
		onEvent: ({ type, data, lastEventId }) => events.push({ event: type, data: JSON.parse(data), ...(lastEventId ? { id: lastEventId } : {}) }),
	});
	// `opened` rejects on a wrong status or content type, so both promises fail the test that awaits them.
	const ready = stream.opened.then(() => stream.waitForComment('connected'));
	const done = stream
		.waitFor(() => stop(events))
		.then(() => events)
		.finally(() => stream.close());
	return { ready, done };
}

describe('JSON API', () => {
	it('reports health with the ports and the certificate path', async () => {
		const answer = await call('GET', '/api/v1/health');
		expect(answer.status).toBe(200);
		expect(answer.json()).toMatchObject({
			status: 'ok',
			ports: { smtp: t.sandbox.ports.smtp, smtps: t.sandbox.ports.smtps, http: t.httpPort },
			tls: { certPath: t.sandbox.certificate.path },
		});
	});

	it('refuses a foreign Host header (DNS rebinding) and a foreign Origin on changes', async () => {
		const rebound = await call('GET', '/api/v1/messages', { headers: { host: 'evil.example:4321' } });
		expect(rebound.status).toBe(421);
		expect(rebound.json<{ error: { message: string } }>().error.message).toMatch(/only to this computer's own addresses/);
		expect((await call('GET', '/api/v1/health', { headers: { host: 'localhost:4321' } })).status).toBe(200);
		expect((await call('GET', '/api/v1/health', { headers: { host: '[::1]:4321' } })).status).toBe(200);
		const foreign = await call('DELETE', '/api/v1/messages', { headers: { origin: 'https://evil.example' } });
		expect(foreign.status).toBe(403);
	});

	it('lists newest first with paging and search', async () => {
		// A word no other test's message holds, so the count is this test's own whatever ran before it.
		const marker = `list${Date.now().toString(36)}`;
		const first = await send(`Alpha ${marker} test`);
		const second = await send(`Beta ${marker} test`);
		const page = (await call('GET', `/api/v1/messages?limit=1&query=${marker}%20test`)).json<{ total: number; start: number; messages: MessageSummary[] }>();
		expect(page.total).toBe(2);
		expect(page.messages.map((m) => m.id)).toEqual([second]);
		const next = (await call('GET', `/api/v1/messages?limit=1&start=1&query=${marker}+test`)).json<{ messages: MessageSummary[] }>();
		expect(next.messages.map((m) => m.id)).toEqual([first]);
		expect(Object.keys(next.messages[0]!)).toEqual(
			expect.arrayContaining(['id', 'subject', 'from', 'to', 'date', 'size', 'snippet']),
		);
		const bad = await call('GET', '/api/v1/messages?limit=lots');
		expect(bad.status).toBe(400);
		expect(bad.json<{ error: { message: string } }>().error.message).toMatch(/limit must be a whole number/);
	});

	it('gives one message with its transcript, marks it read, and 404s unknown ids as JSON', async () => {
		const id = await send('Detail test');
		const detail = (await call('GET', `/api/v1/messages/${id}`)).json<MessageDetail>();
		expect(detail).toMatchObject({ id, subject: 'Detail test', read: false, text: 'Body of Detail test\n' });
		expect(detail.session.transcript.some((entry) => entry.line.startsWith('MAIL FROM'))).toBe(true);
		const patched = await call('PATCH', `/api/v1/messages/${id}`, {
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ read: true }),
		});
		expect(patched.json<MessageSummary>().read).toBe(true);
		expect((await call('PATCH', `/api/v1/messages/${id}`, { body: '{"read":"yes"}' })).status).toBe(400);
		for (const path of ['/api/v1/messages/0000000000000000nope', '/api/v1/messages/..%2f..%2fetc', `/api/v1/messages/${id}/nothing`]) {
			const missing = await call('GET', path);
			expect(missing.status).toBe(404);
			expect(missing.headers['content-type']).toMatch(/application\/json/);
			expect(missing.json<{ error: { message: string } }>().error.message).toBeTruthy();
		}
		const wrongMethod = await call('PUT', `/api/v1/messages/${id}`);
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers['allow']).toBe('GET, PATCH, DELETE');
	});

	it('serves the raw source, as a download when asked', async () => {
		const id = await send('Raw test');
		const raw = await call('GET', `/api/v1/messages/${id}/raw`);
		expect(raw.status).toBe(200);
		expect(raw.headers['content-type']).toBe('message/rfc822');
		expect(raw.body.toString()).toContain('Subject: Raw test');
		expect(raw.body).toEqual(await t.sandbox.store.readRaw(id));
		const download = await call('GET', `/api/v1/messages/${id}/raw?download=1`);
		expect(download.headers['content-disposition']).toBe(`attachment; filename="${id}.eml"`);
	});

	it('serves sanitised HTML with its own strict CSP, remote images only on request', async () => {
		const id = await send('Html test', {
			html: '<p onmouseover="alert(1)">Hi<script>alert(2)</script><img src="https://t.example/p.gif"><meta http-equiv="refresh" content="0;url=https://evil.example/"></p>',
		});
		const page = await call('GET', `/api/v1/messages/${id}/html`);
		expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
		const csp = String(page.headers['content-security-policy']);
		expect(csp).toContain("default-src 'none'");
		expect(csp).toContain('sandbox');
		expect(page.headers['x-remote-images']).toBe('1');
		const html = page.body.toString();
		expect(html).not.toMatch(/alert|onmouseover|http-equiv|t\.example/);
		const withImages = await call('GET', `/api/v1/messages/${id}/html?images=remote`);
		expect(withImages.body.toString()).toContain('src="https://t.example/p.gif"');
		expect(String(withImages.headers['content-security-policy'])).toContain('img-src \'self\' data: https:');
		const plain = await send('No html');
		expect((await call('GET', `/api/v1/messages/${plain}/html`)).status).toBe(404);
	});

	it('serves attachments as downloads that cannot run as pages of our origin', async () => {
		const id = await send('Attachment test', {
			attachments: [{ filename: '보고서.html', content: '<script>alert(1)</script>', contentType: 'text/html' }],
		});
		const answer = await call('GET', `/api/v1/messages/${id}/attachments/0`);
		expect(answer.status).toBe(200);
		expect(answer.body.toString()).toBe('<script>alert(1)</script>');
		expect(answer.headers['content-disposition']).toBe(`attachment; filename="___.html"; filename*=UTF-8''${encodeURIComponent('보고서.html')}`);
		expect(String(answer.headers['content-security-policy'])).toContain('sandbox');
		expect(answer.headers['x-content-type-options']).toBe('nosniff');
		expect((await call('GET', `/api/v1/messages/${id}/attachments/3`)).status).toBe(404);
	});

	it('streams arrivals, updates and deletions as server-sent events', async () => {
		const stream = readEvents((events) => events.some((event) => event.event === 'mailbox-cleared'));
		await stream.ready;
		const id = await send('Live arrival');
		await call('PATCH', `/api/v1/messages/${id}`, { body: '{"read":true}' });
		await call('DELETE', `/api/v1/messages/${id}`);
		await call('DELETE', '/api/v1/messages');
		const events = (await stream.done).map(({ event, data }) => ({ event, data }));
		const arrival = events.find((event) => event.event === 'message' && (event.data as { id?: string }).id === id);
		expect(arrival?.data).toMatchObject({ id, subject: 'Live arrival', read: false });
		expect(events.some((event) => event.event === 'message-updated' && (event.data as MessageSummary).read)).toBe(true);
		expect(events).toContainEqual({ event: 'message-deleted', data: { id, mailbox: 'default', reason: 'deleted' } });
		expect(events.at(-1)).toEqual({ event: 'mailbox-cleared', data: { mailbox: null } });
		expect((await call('GET', '/api/v1/messages')).json<{ total: number }>().total).toBe(0);
	});

	it('numbers events, sends one per change, and replays what a reconnecting browser missed (Last-Event-ID)', async () => {
		let id = '';
		const own = (event: StreamEvent) => (event.data as { id?: string } | null)?.id === id;
		const first = readEvents((events) => events.some((event) => event.event === 'message-deleted' && own(event)));
		await first.ready;
		// The transcript is complete when the client has said QUIT, which can come after a quick PATCH or
		// DELETE (a deleted message has no transcript left to complete): wait for it, so the order is known.
		let transcriptOf = '';
		const transcript = nextEvent(t.sandbox.events, 'message-transcript', (event) => event.id === transcriptOf);
		id = await send('Numbered');
		transcriptOf = id;
		await transcript;
		await call('PATCH', `/api/v1/messages/${id}`, { body: '{"read":true}' });
		await call('PATCH', `/api/v1/messages/${id}`, { body: '{"read":true}' });
		await call('DELETE', `/api/v1/messages/${id}`);
		// Only this message's events: an earlier test's message may still report its transcript's completion.
		const seen = (await first.done).filter(own);
		// One `message`, the transcript's completion, one update for the read flag (the second PATCH changed
		// nothing, so nothing is sent), the deletion; each with its own id.
		expect(seen.map((event) => event.event).sort()).toEqual(['message', 'message-deleted', 'message-transcript', 'message-updated']);
		expect([seen[0]?.event, seen.at(-1)?.event]).toEqual(['message', 'message-deleted']);
		const ids = seen.map((event) => event.id);
		expect(new Set(ids).size).toBe(4);
		expect(ids.every((value) => /^[0-9a-z]+-\d+$/.test(value ?? ''))).toBe(true);

		// Reconnecting after the arrival: the three events after it come again, in order, with the same ids.
		const resumed = readEvents((events) => events.filter(own).length >= 3, { 'last-event-id': ids[0]! });
		expect((await resumed.done).filter(own).map((event) => event.id)).toEqual(ids.slice(1));
		// An id from another run (a restart) cannot be resumed from: one `reset` tells the page to reload its list.
		const stale = readEvents((events) => events.length >= 1, { 'last-event-id': 'zzzz-5' });
		expect((await stale.done)[0]?.event).toBe('reset');
	});

	it('passes other paths on to the site', async () => {
		const answer = await call('GET', '/ko/');
		expect(answer.body.toString()).toBe('not the API');
	});
});
