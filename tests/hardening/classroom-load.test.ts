/**
 * Issue 9 hardening: a classroom's load on one sandbox. 300 inboxes listen on `/api/v1/events` while 50
 * learners' apps send 10 messages each at the same time (half over one pooled STARTTLS connection, as a
 * long-running worker would; half with a fresh plain connection per message, as Django's send_mail does).
 * Served without errors means: every message gets a 250, every listener receives every `message` event
 * exactly once and stays connected, and `/api/v1/health` keeps answering during and after.
 */
import { request, type ClientRequest } from 'node:http';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageSummary } from '../../sandbox/store/types.ts';
import { startTestSandbox, type TestSandbox } from '../../sandbox/testing/test-sandbox.ts';
import { apiGet } from './support/api-client.ts';

const LISTENERS = 300;
const SENDERS = 50;
/** 500 messages in all: 150,000 `message` events to deliver, plus as many `message-updated` ones. */
const MESSAGES_EACH = 10;
const SENTINEL = 'classroom sentinel: every earlier event was sent before this one';

interface Listener {
	/** Ids of `message` events, in arrival order (duplicates kept, to be found). */
	ids: string[];
	/** Set when the stream ended before the test let it go. */
	droppedBecause: string | null;
	connected: Promise<void>;
	sawSentinel: Promise<void>;
	request: ClientRequest;
}

let t: TestSandbox;
const listeners: Listener[] = [];
let releasing = false;

beforeAll(async () => {
	t = await startTestSandbox({ SANDBOX_MAX_MESSAGES: '100000' });
});

afterAll(async () => {
	releasing = true;
	for (const listener of listeners) listener.request.destroy();
	await t?.stop();
});

/** One EventSource-like client: reads `event:`/`data:` blocks and keeps the ids of `message` events. */
function listen(port: number): Listener {
	let connected: () => void = () => undefined;
	let sentinel: () => void = () => undefined;
	const listener: Listener = {
		ids: [],
		droppedBecause: null,
		connected: new Promise((resolve) => (connected = resolve)),
		sawSentinel: new Promise((resolve) => (sentinel = resolve)),
		request: request({ host: '127.0.0.1', port, path: '/api/v1/events', agent: false }),
	};
	const drop = (reason: string) => {
		if (!releasing && listener.droppedBecause === null) listener.droppedBecause = reason;
	};
	listener.request.on('response', (res) => {
		if (res.statusCode !== 200) return drop(`status ${res.statusCode}`);
		res.setEncoding('utf8');
		let buffer = '';
		res.on('data', (chunk: string) => {
			buffer += chunk;
			let end: number;
			while ((end = buffer.indexOf('\n\n')) !== -1) {
				const block = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				if (block.includes(': connected')) connected();
				if (!block.startsWith('event: message\n')) continue;
				const summary = JSON.parse(block.slice(block.indexOf('\ndata: ') + 7)) as MessageSummary;
				if (summary.subject === SENTINEL) sentinel();
				else listener.ids.push(summary.id);
			}
		});
		res.on('end', () => drop('the server ended the stream'));
		res.on('close', () => drop('the stream closed'));
	});
	listener.request.on('error', (error) => drop(error.message));
	listener.request.end();
	return listener;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	return Promise.race([
		promise.finally(() => clearTimeout(timer)),
		new Promise<T>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
		}),
	]);
}

async function sendAll(sender: number): Promise<string[]> {
	const pooled = sender % 2 === 0;
	const transport = nodemailer.createTransport(
		pooled
			? { host: '127.0.0.1', port: t.sandbox.ports.smtp, pool: true, maxConnections: 1, requireTLS: true, tls: { ca: t.sandbox.certificate.pem, servername: 'localhost' } }
			: { host: '127.0.0.1', port: t.sandbox.ports.smtp, ignoreTLS: true },
	);
	const ids: string[] = [];
	try {
		for (let n = 0; n < MESSAGES_EACH; n += 1) {
			const info = await transport.sendMail({
				from: `Learner ${sender} <learner${sender}@classroom.test>`,
				to: 'reset@example.com',
				subject: `Password reset ${sender}-${n}`,
				text: `Go to http://127.0.0.1:4321/reset/${sender}/${n}/ to choose a new password.`,
			});
			const id = /^250 .*stored as ([0-9a-z]+)/.exec(info.response)?.[1];
			if (!id) throw new Error(`sender ${sender}, message ${n}: ${info.response}`);
			ids.push(id);
		}
	} finally {
		transport.close();
	}
	return ids;
}

describe('classroom load: 300 SSE listeners, 50 concurrent senders', () => {
	it('delivers every message to every listener exactly once, drops nobody, and keeps answering health', async () => {
		for (let i = 0; i < LISTENERS; i += 1) listeners.push(listen(t.httpPort));
		await within(Promise.all(listeners.map((listener) => listener.connected)), 60_000, `not all ${LISTENERS} listeners connected`);
		expect(listeners.filter((listener) => listener.droppedBecause)).toEqual([]);

		let sending = true;
		const healthDuringLoad: number[] = [];
		const healthLoop = (async () => {
			// Health answers while the load runs; one request at a time, so it measures answering, not queueing.
			while (sending) healthDuringLoad.push((await apiGet(t.httpPort, '/api/v1/health')).status);
		})();
		const sent = await Promise.all(Array.from({ length: SENDERS }, (_, sender) => sendAll(sender))).finally(() => {
			sending = false;
		});
		await healthLoop;
		const acknowledged = sent.flat();
		expect(acknowledged).toHaveLength(SENDERS * MESSAGES_EACH);
		expect(new Set(acknowledged).size).toBe(acknowledged.length);
		expect(healthDuringLoad.length).toBeGreaterThan(0);
		expect(healthDuringLoad.filter((status) => status !== 200)).toEqual([]);

		// Events go out in order, so once a listener has the sentinel it has had every earlier event.
		const last = nodemailer.createTransport({ host: '127.0.0.1', port: t.sandbox.ports.smtp, ignoreTLS: true });
		await last.sendMail({ from: 'teacher@classroom.test', to: 'class@classroom.test', subject: SENTINEL, text: 'end' });
		last.close();
		await within(Promise.all(listeners.map((listener) => listener.sawSentinel)), 120_000, 'not every listener saw the last message');

		const expected = acknowledged.toSorted();
		const wrong = listeners
			.map((listener, index) => ({ index, count: listener.ids.length, droppedBecause: listener.droppedBecause, ids: listener.ids.toSorted() }))
			.filter((listener) => listener.droppedBecause !== null || listener.count !== expected.length || listener.ids.some((id, i) => id !== expected[i]))
			.map(({ index, count, droppedBecause }) => ({ index, count, droppedBecause }));
		expect(wrong).toEqual([]);
		expect(t.sandbox.store.count).toBe(acknowledged.length + 1);
		expect((await apiGet(t.httpPort, '/api/v1/health')).status).toBe(200);
	}, 240_000);
});
