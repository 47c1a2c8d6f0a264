/**
 * Hardening: a classroom's load on one sandbox in classroom mode. 300 learners join, each from a machine of
 * their own (a loopback address of their own: Linux routes all of 127.0.0.0/8 to loopback), and each
 * learner's inbox listens on `/api/v1/events` while 50 of their apps send 10 messages each at the same time,
 * logged in with the learner's SMTP credentials (half over one pooled STARTTLS connection, as a long-running
 * worker would; half with a fresh plain connection per message, as Django's send_mail does). Served without
 * errors means: every message gets a 250, every learner's stream receives its own messages exactly once and
 * nobody else's events, every stream stays connected, and `/api/v1/health` keeps answering during and after.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageSummary } from '../../sandbox/store/types.ts';
import { openLiveEvents, type LiveEventsClient } from '../../sandbox/testing/live-events.ts';
import { startTestSandbox, type TestSandbox } from '../../sandbox/testing/test-sandbox.ts';
import { apiGet } from './support/api-client.ts';

const LISTENERS = 300;
const SENDERS = 50;
/** 500 messages in all, each announced (with its `message-transcript` one) to its learner's stream only. */
const MESSAGES_EACH = 10;
const SENTINEL = 'classroom sentinel: every earlier event was sent before this one';
const CLASSROOM = { SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: 'a-long-instructor-token-for-tests' };

interface Member {
	mailbox: string;
	credentials: { user: string; pass: string };
	cookie: string;
	/** The learner's own machine. */
	address: string;
}

interface Listener {
	/** Ids of `message` events, in arrival order (duplicates kept, to be found). */
	ids: string[];
	/** Mailboxes named by every event the stream carried (any type), to find one that is not the learner's. */
	mailboxes: Set<string>;
	/** Set when the stream ended before the test let it go. */
	droppedBecause: string | null;
	connected: Promise<void>;
	sawSentinel: Promise<void>;
	stream: LiveEventsClient;
}

let t: TestSandbox;
const members: Member[] = [];
const listeners: Listener[] = [];
let releasing = false;

beforeAll(async () => {
	t = await startTestSandbox({ SANDBOX_MAX_MESSAGES: '100000', ...CLASSROOM });
	for (let i = 0; i < LISTENERS; i += 1) {
		const { learner, credentials, cookieValue } = await t.sandbox.classroom.join(`Learner ${i + 1}`);
		members.push({
			mailbox: learner.mailbox,
			credentials: { user: credentials.smtpUser, pass: credentials.smtpPassword },
			cookie: `postlab_learner=${cookieValue}`,
			address: `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`,
		});
	}
}, 120_000);

afterAll(async () => {
	releasing = true;
	for (const listener of listeners) listener.stream.close();
	await t?.stop();
});

/** One live-events client of `member`, from the member's own address, keeping the ids of `message` events. */
function listen(port: number, member: Member): Listener {
	let sentinel: () => void = () => undefined;
	const listener: Listener = {
		ids: [],
		mailboxes: new Set(),
		droppedBecause: null,
		connected: Promise.resolve(),
		sawSentinel: new Promise((resolve) => (sentinel = resolve)),
		stream: openLiveEvents(`http://127.0.0.1:${port}/api/v1/events`, {
			localAddress: member.address,
			headers: { cookie: member.cookie },
			onEvent: ({ type, data }) => {
				const payload = JSON.parse(data) as { mailbox?: string } & Partial<MessageSummary>;
				listener.mailboxes.add(String(payload.mailbox));
				if (type !== 'message') return;
				const summary = payload as MessageSummary;
				if (summary.subject === SENTINEL) sentinel();
				else listener.ids.push(summary.id);
			},
		}),
	};
	// The test's own `within` bounds the wait; the client's timeout only has to be longer.
	listener.connected = listener.stream.waitForComment('connected', 10 * 60_000);
	void listener.stream.ended.then((reason) => {
		if (!releasing && listener.droppedBecause === null) listener.droppedBecause = reason;
	});
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
	const member = members[sender]!;
	const pooled = sender % 2 === 0;
	const from = { auth: member.credentials, localAddress: member.address };
	const transport = nodemailer.createTransport(
		pooled
			? { host: '127.0.0.1', port: t.sandbox.ports.smtp, pool: true, maxConnections: 1, requireTLS: true, tls: { ca: t.sandbox.certificate.pem, servername: 'localhost' }, ...from }
			: { host: '127.0.0.1', port: t.sandbox.ports.smtp, ignoreTLS: true, ...from },
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

/** One message to each learner's own mailbox, sent with their credentials from their machine. */
async function sendSentinels(): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: SENDERS }, async () => {
			for (let i = next++; i < members.length; i = next++) {
				const member = members[i]!;
				const transport = nodemailer.createTransport({ host: '127.0.0.1', port: t.sandbox.ports.smtp, ignoreTLS: true, auth: member.credentials, localAddress: member.address });
				await transport.sendMail({ from: 'teacher@classroom.test', to: 'class@classroom.test', subject: SENTINEL, text: 'end' });
				transport.close();
			}
		}),
	);
}

describe('classroom load: 300 learners listening, 50 sending at once, classroom mode on', () => {
	it("delivers each learner's messages to that learner's stream exactly once and nobody else's, drops nobody, and keeps answering health", async () => {
		for (const member of members) listeners.push(listen(t.httpPort, member));
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

		// Events go out in order, so once a listener has its own sentinel it has had every earlier event of its mailbox.
		await sendSentinels();
		await within(Promise.all(listeners.map((listener) => listener.sawSentinel)), 120_000, 'not every listener saw its last message');

		const wrong = listeners
			.map((listener, index) => {
				const expected = (sent[index] ?? []).toSorted();
				const ids = listener.ids.toSorted();
				const foreign = [...listener.mailboxes].filter((mailbox) => mailbox !== members[index]!.mailbox);
				return { index, count: ids.length, expected: expected.length, droppedBecause: listener.droppedBecause, foreign, same: ids.every((id, i) => id === expected[i]) };
			})
			.filter((listener) => listener.droppedBecause !== null || listener.count !== listener.expected || !listener.same || listener.foreign.length > 0);
		expect(wrong).toEqual([]);
		expect(t.sandbox.store.count).toBe(acknowledged.length + LISTENERS);
		expect((await apiGet(t.httpPort, '/api/v1/health')).status).toBe(200);
	}, 240_000);
});
