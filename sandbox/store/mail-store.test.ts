import { statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus, type SandboxEvent } from '../events/event-bus.ts';
import { testSessionFacts } from '../testing/session-facts.ts';
import { makeDataDir } from '../testing/test-sandbox.ts';
import { Journal } from './journal.ts';
import { MailStore } from './mail-store.ts';
import type { SessionFacts } from './types.ts';
import { englishLog } from '../testing/english-log.ts';

const dirs: string[] = [];
afterEach(async () => {
	for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function openStore(options: { dataDir?: string; maxMessages?: number; events?: EventBus } = {}) {
	const dataDir = options.dataDir ?? (await makeDataDir());
	if (!options.dataDir) dirs.push(dataDir);
	const events = options.events ?? new EventBus();
	const warnings: string[] = [];
	const store = await MailStore.open({ dataDir, maxMessages: options.maxMessages ?? 100, events, warn: englishLog(warnings) });
	return { store, dataDir, events, warnings };
}

function session(overrides: Partial<SessionFacts> = {}): SessionFacts {
	return testSessionFacts({
		tls: 'starttls',
		auth: { mechanism: 'PLAIN', user: 'me@example.com' },
		envelope: { mailFrom: 'a@example.com', rcptTo: ['b@example.com'], smtpUtf8: false, bodyType: '8bitmime' },
		transcript: [{ at: 0, from: 'event', line: 'Connection opened', event: 'connect' }],
		...overrides,
	});
}

function mail(subject: string, body = 'Hello there.', extraHeaders = ''): Buffer {
	return Buffer.from(
		`From: "Forum" <admin@fwd.example>\r\nTo: you@example.com\r\nSubject: ${subject}\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n${extraHeaders}\r\n${body}\r\n`,
	);
}

describe('MailStore', () => {
	it('stores a message, summarises it and announces it after it is on disk', async () => {
		const { store, dataDir, events } = await openStore();
		const seen: SandboxEvent[] = [];
		let journalBytes = 0;
		events.subscribe((event) => {
			seen.push(event);
			// The record (header + metadata + raw bytes) is in the journal when the event goes out.
			if (event.type === 'message') journalBytes = statSync(join(store.journalDir, '00000001.log')).size;
		});
		const summary = await store.add({ raw: mail('=?UTF-8?B?7JWI64WV?= hello'), session: session() });
		expect(summary).toMatchObject({
			subject: '안녕 hello',
			from: { name: 'Forum', address: 'admin@fwd.example' },
			to: [{ name: '', address: 'you@example.com' }],
			date: '2026-12-01T10:00:00.000Z',
			snippet: 'Hello there.',
			read: false,
			parsed: true,
			mailbox: 'default',
		});
		expect(journalBytes).toBeGreaterThan(mail('=?UTF-8?B?7JWI64WV?= hello').length);
		expect(seen).toEqual([{ type: 'message', message: summary }]);
		await store.close();
		const reopened = await openStore({ dataDir });
		expect(await reopened.store.readRaw(summary.id)).toEqual(mail('=?UTF-8?B?7JWI64WV?= hello'));
		expect(reopened.store.getSummary(summary.id)).toEqual(summary);
	});

	it('keeps acknowledged mail across a restart, read flags and final transcripts included', async () => {
		const first = await openStore();
		const a = await first.store.add({ raw: mail('one'), session: session() });
		const b = await first.store.add({ raw: mail('two'), session: session() });
		await first.store.markRead(a.id, true);
		await first.store.completeTranscript(b.id, [{ at: 5, from: 'server', line: '221 Bye' }], 3);
		await first.store.close();

		const second = await openStore({ dataDir: first.dataDir });
		expect(second.store.list().messages.map((m) => [m.subject, m.read])).toEqual([
			['two', false],
			['one', true],
		]);
		const delivered = await second.store.getSession(b.id);
		expect(delivered?.transcript).toEqual([{ at: 5, from: 'server', line: '221 Bye' }]);
		expect(delivered?.timings.storeMs).toBe(3);
		// New ids still sort after the old ones.
		const c = await second.store.add({ raw: mail('three'), session: session() });
		expect(second.store.listMailbox().map((m) => m.id)).toEqual([a.id, b.id, c.id]);
	});

	it('drops the oldest messages beyond the retention limit, and says so', async () => {
		const { store, events, dataDir } = await openStore({ maxMessages: 3 });
		const deleted: string[] = [];
		events.subscribe((event) => {
			if (event.type === 'message-deleted') deleted.push(`${event.id}:${event.reason}`);
		});
		const ids: string[] = [];
		for (let i = 1; i <= 5; i += 1) ids.push((await store.add({ raw: mail(`m${i}`), session: session() })).id);
		expect(store.list().messages.map((m) => m.subject)).toEqual(['m5', 'm4', 'm3']);
		expect(deleted).toEqual([`${ids[0]}:retention`, `${ids[1]}:retention`]);
		expect(await store.readRaw(ids[0]!)).toBeNull();
		await store.close();
		const reopened = await openStore({ dataDir, maxMessages: 3 });
		expect(reopened.store.list().messages.map((m) => m.subject)).toEqual(['m5', 'm4', 'm3']);
	});

	it('stores mail that cannot be parsed, and lists it as such once opening it found out', async () => {
		const { store, events } = await openStore();
		// Deeper nesting than mailparser allows: it gives up on this one when the message is opened.
		const raw = Buffer.from(
			'Subject: nested\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n' +
				'--x\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n'.repeat(5000),
		);
		const summary = await store.add({ raw, session: session() });
		expect(summary).toMatchObject({ size: raw.length, subject: 'nested' });
		expect(await store.readRaw(summary.id)).toEqual(raw);
		const updates: boolean[] = [];
		events.subscribe((event) => {
			if (event.type === 'message-updated') updates.push(event.message.parsed);
		});
		store.markUnparsed(summary.id);
		expect(store.getSummary(summary.id)?.parsed).toBe(false);
		// Said once: a second verdict announces nothing new.
		store.markUnparsed(summary.id);
		expect(updates).toEqual([false]);
	});

	it('lists mail without From/To headers by its envelope', async () => {
		const { store } = await openStore();
		const summary = await store.add({ raw: Buffer.from('Subject: bare\r\n\r\nhi\r\n'), session: session() });
		expect(summary).toMatchObject({ from: { name: '', address: 'a@example.com' }, to: [{ name: '', address: 'b@example.com' }] });
	});

	it('searches, pages and filters by mailbox', async () => {
		const { store } = await openStore();
		await store.add({ raw: mail('Password reset on Forum'), session: session() });
		await store.add({ raw: mail('Welcome'), session: session(), mailbox: 'student-7' });
		await store.add({ raw: mail('Another password note'), session: session() });
		expect(store.list({ query: 'PASSWORD' }).messages.map((m) => m.subject)).toEqual(['Another password note', 'Password reset on Forum']);
		expect(store.list({ query: 'password reset' }).total).toBe(1);
		expect(store.list({ limit: 1, start: 1 })).toMatchObject({ total: 3, start: 1, messages: [{ subject: 'Welcome' }] });
		expect(store.listMailbox('student-7').map((m) => m.subject)).toEqual(['Welcome']);
		expect(store.list({ mailbox: 'default' }).total).toBe(2);
	});

	it('deletes one message or all, with events', async () => {
		const { store, events } = await openStore();
		const seen: string[] = [];
		events.subscribe((event) => seen.push(event.type));
		const a = await store.add({ raw: mail('a'), session: session() });
		await store.add({ raw: mail('b'), session: session() });
		expect(await store.delete(a.id)).toBe(true);
		expect(await store.delete(a.id)).toBe(false);
		expect(await store.getSession(a.id)).toBeNull();
		expect(await store.readRaw(a.id)).toBeNull();
		expect(await store.clear()).toBe(1);
		expect(store.count).toBe(0);
		expect(seen).toEqual(['message', 'message', 'message-deleted', 'mailbox-cleared']);
	});

	it("changes flags and deletes only within the mailbox named, so one learner never touches another's mail", async () => {
		const { store, events } = await openStore();
		const seen: string[] = [];
		events.subscribe((event) => seen.push(event.type));
		const ann = await store.add({ raw: mail('ann'), session: session(), mailbox: 'ann' });
		const bob = await store.add({ raw: mail('bob'), session: session(), mailbox: 'bob' });
		expect([ann.uid, bob.uid]).toEqual([1, 1]);
		expect(await store.setFlags(bob.id, { read: true }, 'ann')).toBeNull();
		expect(await store.deleteMany([ann.id, bob.id], 'ann')).toEqual([ann.id]);
		expect(store.getSummary(bob.id)).toMatchObject({ read: false, flags: [] });
		// Flags outside the store's set (keywords, \\Recent) are not kept; a change that changes nothing is not announced.
		const flagged = await store.setFlags(bob.id, { read: true, flags: ['\\flagged', '$Junk', '\\Recent'] }, 'bob');
		expect(flagged).toMatchObject({ read: true, flags: ['\\Flagged'] });
		await store.setFlags(bob.id, { read: true, flags: ['\\Flagged'] }, 'bob');
		expect(seen).toEqual(['message', 'message', 'message-deleted', 'message-updated']);
	});

	it('starts over with a new UIDVALIDITY from a torn mailbox-state.json, and refuses to guess when the file cannot be read', async () => {
		const { store, dataDir } = await openStore();
		const first = await store.add({ raw: mail('one'), session: session() });
		await store.close();
		const statePath = join(dataDir, 'mailbox-state.json');
		await writeFile(statePath, '{"uidValidity":17');
		const torn = await openStore({ dataDir });
		expect(torn.store.getSummary(first.id)?.uid).toBe(1);
		expect(torn.store.uidNext()).toBe(2);
		await torn.store.close();
		// Not a missing file, not a torn one: a read that fails (here EISDIR) is a fault to report, not a new folder.
		await rm(statePath);
		await mkdir(statePath);
		await expect(openStore({ dataDir })).rejects.toMatchObject({ code: 'EISDIR' });
	});

	it('gives messages recorded before UIDs were kept their UIDs once, in arrival order, and keeps them', async () => {
		const dataDir = await makeDataDir();
		dirs.push(dataDir);
		// Message records as an earlier Postlab wrote them: summaries without `uid` or `flags`.
		const journal = await Journal.open<unknown>({ dir: join(dataDir, 'journal'), onRecord: () => undefined, warn: () => undefined });
		const old = [
			{ id: '0mfxyz000000a1b2c3', subject: 'older' },
			{ id: '0mfxyz001000d4e5f6', subject: 'newer' },
		];
		for (const { id, subject } of old) {
			const raw = mail(subject);
			const summary = { id, mailbox: 'default', subject, from: null, to: [], date: '2026-12-01T10:00:00.000Z', receivedAt: '2026-12-01T10:00:01.000Z', size: raw.length, snippet: 'Hello there.', attachmentCount: 0, read: false, parsed: true };
			await journal.append(1, { version: 1, summary, session: session(), parseError: null }, raw, 'sync');
		}
		await journal.close();

		const first = await openStore({ dataDir });
		expect(first.store.listMailbox().map((m) => [m.subject, m.uid, m.flags])).toEqual([
			['older', 1, []],
			['newer', 2, []],
		]);
		await first.store.close();
		const second = await openStore({ dataDir });
		expect(second.store.listMailbox().map((m) => m.uid)).toEqual([1, 2]);
		expect(second.store.uidNext()).toBe(3);
		expect(await second.store.readRaw(old[1]!.id)).toEqual(mail('newer'));
		await second.store.close();
	});
});
