/**
 * Issue 9 hardening: 1,000 malformed SMTP sessions and a couple of hundred malformed MIME messages (a corpus
 * made by fuzz/make-corpus.ts from a fixed seed) against a real sandbox, a few at a time. Afterwards the
 * server must still take a good delivery, and the store must be consistent: exactly the messages that got a
 * 250 are listed, each byte-exact, each answering detail/raw/html (parse errors flagged, never a 500) and
 * an IMAP FETCH of its structure and body, and the same list after a restart. Nothing may have thrown in the process.
 */
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MessageSummary } from '../../sandbox/store/types.ts';
import type { MessageDetail } from '../../sandbox/mail/message-content.ts';
import { RawClient } from '../../sandbox/testing/pop3-imap-fixtures.ts';
import { startTestSandbox, type TestSandbox } from '../../sandbox/testing/test-sandbox.ts';
import { makeCorpus } from './fuzz/make-corpus.ts';
import { runSession, type SessionOutcome } from './fuzz/run-session.ts';
import { apiGet, apiJson, listAll, mapLimit, sha256 } from './support/api-client.ts';
import { deliver, storedForm, WireClient } from './support/wire-client.ts';

/** Sessions at once: enough to overlap many states, far below the server's 100 connections per port. */
const SESSION_CONCURRENCY = 16;
/** Persistent connections delivering the MIME cases. */
const MIME_CONNECTIONS = 6;
const ENV = { SANDBOX_MAX_MESSAGES: '100000', SANDBOX_MAX_MESSAGE_MB: '10' };

const corpus = makeCorpus();
let t: TestSandbox;
/** Stored id → SHA-256 of the bytes the store must hold for it. */
const expected = new Map<string, string>();
const serverLog: string[] = [];
const thrown: string[] = [];
const onThrown = (error: unknown) => thrown.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
const consoleErrors = vi.spyOn(console, 'error');

/** What the corpus's 1000 sessions did, each against what it should have stored. */
let sessionOutcomes: SessionOutcome[] = [];
/** MIME messages that did not get their 250, with why. */
const mimeFailures: string[] = [];
/** How many of the malformed MIME messages were stored (each under its own id in `expected`). */
let mimeStored = 0;

// Every test reads the mailbox the corpus leaves, so the corpus is delivered once, before any of them, and
// each test asserts on what it needs (the deliveries' outcomes, the listing, IMAP, a restart) in any order.
beforeAll(async () => {
	process.on('uncaughtExceptionMonitor', onThrown);
	process.on('unhandledRejection', onThrown);
	t = await startTestSandbox(ENV, { log: (message) => serverLog.push(message) });
	const target = { smtpPort: t.sandbox.ports.smtp, smtpsPort: t.sandbox.ports.smtps, ca: t.sandbox.certificate.pem };
	sessionOutcomes = await mapLimit(corpus.sessions, SESSION_CONCURRENCY, (test) => runSession(test, target));
	for (const [index, outcome] of sessionOutcomes.entries()) {
		const wanted = corpus.sessions[index]!.expectStored;
		outcome.stored.forEach((id, n) => expected.set(id, wanted[n] ? sha256(wanted[n]) : 'stored without a proper delivery'));
	}
	await deliverMime();
}, 480_000);

async function deliverMime(): Promise<void> {
	const queue = [...corpus.mime];
	await Promise.all(
		Array.from({ length: MIME_CONNECTIONS }, async () => {
			const client = await WireClient.open({ port: t.sandbox.ports.smtp });
			try {
				const greeting = (await client.reply())?.code;
				const ehlo = (await client.command('EHLO mime.test'))?.code;
				if (greeting !== 220 || ehlo !== 250) return void mimeFailures.push(`connection: greeting ${greeting}, EHLO ${ehlo}`);
				for (let next = queue.shift(); next; next = queue.shift()) {
					try {
						const id = await deliver(client, next.raw);
						expected.set(id, sha256(storedForm(next.raw)));
						mimeStored += 1;
					} catch (error) {
						mimeFailures.push(`${next.name}: ${error instanceof Error ? error.message : String(error)}`);
					}
				}
				await client.command('QUIT');
			} finally {
				client.destroy();
			}
		}),
	);
}

afterAll(async () => {
	process.off('uncaughtExceptionMonitor', onThrown);
	process.off('unhandledRejection', onThrown);
	consoleErrors.mockRestore();
	await t?.stop();
});

// After each test, whichever ran before it: nothing thrown, nothing logged as a failure to store or answer.
afterEach(() => {
	expect(thrown).toEqual([]);
	expect(consoleErrors.mock.calls.map((call) => call.map(String).join(' '))).toEqual([]);
	expect(serverLog.filter((line) => /could not (store|save)|rebuilding/i.test(line))).toEqual([]);
});

describe('fuzz: malformed SMTP sessions and MIME messages', () => {
	it(`plays ${corpus.sessions.length} malformed sessions; each gets the replies it allows, and the server closes what it should`, () => {
		expect(corpus.sessions).toHaveLength(1000);
		const problems = sessionOutcomes.flatMap((outcome) => outcome.problems.map((problem) => `${outcome.name}: ${problem}`));
		for (const [index, outcome] of sessionOutcomes.entries()) {
			const wanted = corpus.sessions[index]!.expectStored;
			// A session stores exactly the messages it delivered properly: nothing half-received, nothing lost.
			if (outcome.stored.length !== wanted.length) problems.push(`${outcome.name}: ${outcome.stored.length} stored, ${wanted.length} delivered`);
		}
		expect(problems.slice(0, 20)).toEqual([]);
		expect(sessionOutcomes.flatMap((outcome) => outcome.stored).length).toBeGreaterThan(100);
	});

	it(`delivers ${corpus.mime.length} malformed MIME messages properly and gets a 250 for each`, () => {
		expect(mimeFailures.slice(0, 20)).toEqual([]);
		expect(mimeStored).toBe(corpus.mime.length);
	});

	it('still accepts a good delivery over STARTTLS', async () => {
		const sender = nodemailer.createTransport({
			host: '127.0.0.1',
			port: t.sandbox.ports.smtp,
			secure: false,
			requireTLS: true,
			tls: { ca: t.sandbox.certificate.pem, servername: 'localhost' },
		});
		const info = await sender.sendMail({ from: 'admin@forum.example', to: 'learner@example.com', subject: 'After the fuzz', text: 'Still here.' });
		sender.close();
		const id = /stored as ([0-9a-z]+)/.exec(info.response)?.[1];
		expect(id).toBeDefined();
		const raw = await t.sandbox.store.readRaw(id!);
		expect(raw?.toString()).toContain('Subject: After the fuzz');
		expected.set(id!, sha256(raw!));
	}, 60_000);

	it('lists exactly the 250ed messages, byte-exact, each answering detail, raw and html without a 500', async () => {
		const listed = await listAll(t.httpPort);
		expect(listed.map((summary) => summary.id).toSorted()).toEqual([...expected.keys()].toSorted());
		const failures: string[] = [];
		await mapLimit(listed, 4, async (summary) => {
			const port = t.httpPort;
			const raw = await apiGet(port, `/api/v1/messages/${summary.id}/raw`);
			if (raw.status !== 200 || sha256(raw.body) !== expected.get(summary.id)) failures.push(`${summary.id}: raw ${raw.status}, ${raw.body.length} bytes, not what was sent`);
			const detailAnswer = await apiGet(port, `/api/v1/messages/${summary.id}`);
			if (detailAnswer.status !== 200) return void failures.push(`${summary.id}: detail ${detailAnswer.status} ${detailAnswer.body.toString().slice(0, 200)}`);
			const detail = JSON.parse(detailAnswer.body.toString()) as MessageDetail;
			// A message mailparser could not read is flagged, never silently shown as empty.
			if (!summary.parsed && !detail.parseError) failures.push(`${summary.id}: unparsed but no parse error given`);
			const html = await apiGet(port, `/api/v1/messages/${summary.id}/html`);
			if (html.status !== 200 && html.status !== 404 && html.status !== 422) failures.push(`${summary.id}: html ${html.status}`);
			if ((html.status === 200) !== (detail.html !== null)) failures.push(`${summary.id}: html route ${html.status} but detail.html is ${detail.html === null ? 'null' : 'set'}`);
			// 422: HTML over the limits, withheld with its reason.
			if ((html.status === 422) !== (detail.htmlWithheld !== null)) failures.push(`${summary.id}: html route ${html.status} but htmlWithheld is ${JSON.stringify(detail.htmlWithheld)}`);
			for (const attachment of detail.attachments) {
				const file = await apiGet(port, `/api/v1/messages/${summary.id}/attachments/${attachment.index}`);
				if (file.status !== 200) failures.push(`${summary.id}: attachment ${attachment.index} → ${file.status}`);
			}
			// The store's own answers, as the POP3/IMAP servers and SSR pages use them.
			if (!(await t.sandbox.messages.detail(summary.id))) failures.push(`${summary.id}: getDetail gave null`);
			await t.sandbox.messages.html(summary.id, { allowRemoteImages: false });
		});
		expect(failures.slice(0, 20)).toEqual([]);
		expect((await apiGet(t.httpPort, '/api/v1/health')).status).toBe(200);
	}, 300_000);

	it('serves every stored message over IMAP too: envelope, structure and body, each FETCH answered', async () => {
		const client = await RawClient.plain(t.sandbox.ports.imap);
		expect(await client.line()).toMatch(/^\* OK/);
		// Tags no message line starts with, so the tagged answer is found even among message bodies.
		const run = async (tag: string, command: string): Promise<string[]> => {
			client.sendLine(`${tag} ${command}`);
			return client.linesUntil(new RegExp(`^${tag} (OK|NO|BAD)`));
		};
		const fetches = (lines: string[]) => lines.filter((line) => /^\* \d+ FETCH \(/.test(line)).length;
		expect((await run('zz1', 'LOGIN learner secret')).at(-1)).toMatch(/^zz1 OK/);
		const selected = await run('zz2', 'SELECT INBOX');
		expect(selected.at(-1)).toMatch(/^zz2 OK/);
		expect(selected).toContain(`* ${expected.size} EXISTS`);
		const structure = await run('zz3', 'FETCH 1:* (UID RFC822.SIZE ENVELOPE BODYSTRUCTURE)');
		expect(structure.at(-1)).toMatch(/^zz3 OK/);
		expect(fetches(structure)).toBe(expected.size);
		const bodies = await run('zz4', 'FETCH 1:* (BODY.PEEK[])');
		expect(bodies.at(-1)).toMatch(/^zz4 OK/);
		expect(fetches(bodies)).toBe(expected.size);
		client.sendLine('zz5 LOGOUT');
		await client.closed();
	}, 120_000);

	it('lists the same messages after the store is closed and reopened', async () => {
		const before = await listAll(t.httpPort);
		const dataDir = t.dataDir;
		await t.stop(true);
		t = await startTestSandbox(ENV, { log: (message) => serverLog.push(message) }, dataDir);
		const after = await listAll(t.httpPort);
		expect(after).toEqual(before);
		const mismatched: string[] = [];
		await mapLimit(after, 8, async (summary: MessageSummary) => {
			const raw = await apiGet(t.httpPort, `/api/v1/messages/${summary.id}/raw`);
			if (sha256(raw.body) !== expected.get(summary.id)) mismatched.push(summary.id);
		});
		expect(mismatched).toEqual([]);
		// The server outlived its own shutdown and restart.
		expect(await apiJson<{ status: string }>(t.httpPort, '/api/v1/health')).toMatchObject({ status: 'ok' });
	}, 120_000);
});
