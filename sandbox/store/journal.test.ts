import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, open, readFile, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../events/event-bus.ts';
import { testSessionFacts } from '../testing/session-facts.ts';
import { makeDataDir } from '../testing/test-sandbox.ts';
import { Journal, JournalCorruptError } from './journal.ts';
import { MailStore } from './mail-store.ts';
import { englishLog } from '../testing/english-log.ts';

const dirs: string[] = [];
const stores: MailStore[] = [];
afterEach(async () => {
	for (const store of stores.splice(0)) await store.close().catch(() => undefined);
	for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
	const dir = await makeDataDir();
	dirs.push(dir);
	return dir;
}

/** Segments of 1 MB, so a few dozen small messages span several of them. */
const SEGMENT = 1024 * 1024;

async function openStore(dataDir: string, maxMessages = 100_000) {
	const warnings: string[] = [];
	const store = await MailStore.open({ dataDir, maxMessages, events: new EventBus(), warn: englishLog(warnings), segmentBytes: SEGMENT });
	stores.push(store);
	return { store, warnings };
}

/** A message whose body is random bytes (base64): any byte mix-up on disk shows as a difference. */
function message(n: number, bodyBytes = 600): Buffer {
	return Buffer.from(`From: a@example.com\r\nTo: b@example.com\r\nSubject: m${n}\r\n\r\n${randomBytes(bodyBytes).toString('base64')}\r\n`);
}

function segmentFile(dataDir: string, id = 1): string {
	return join(dataDir, 'journal', `${String(id).padStart(8, '0')}.log`);
}

describe('journal', () => {
	it('keeps every added message byte-exact across a restart, even when added all at once', async () => {
		const dataDir = await freshDir();
		const { store } = await openStore(dataDir);
		const raws = Array.from({ length: 200 }, (_, n) => message(n, 100 + n * 7));
		// Concurrent adds share syncs (group commit); each must still land whole and in its own record.
		const summaries = await Promise.all(raws.map((raw) => store.add({ raw, session: testSessionFacts() })));
		await store.close();

		const { store: reopened, warnings } = await openStore(dataDir);
		expect(warnings).toEqual([]);
		expect(reopened.count).toBe(200);
		for (const [n, summary] of summaries.entries()) {
			expect(await reopened.readRaw(summary.id)).toEqual(raws[n]);
			expect(reopened.getSummary(summary.id)?.subject).toBe(`m${n}`);
		}
	});

	it('cuts a torn tail off and keeps everything before it', async () => {
		const dataDir = await freshDir();
		const { store } = await openStore(dataDir);
		const a = await store.add({ raw: message(1), session: testSessionFacts() });
		const second = message(2);
		const b = await store.add({ raw: second, session: testSessionFacts() });
		await store.close();
		const file = segmentFile(dataDir);
		const end = (await readFile(file)).lastIndexOf(second) + second.length;
		// A crash in the middle of writing the second record: its last 100 bytes never reached the disk.
		await truncate(file, end - 100);

		const { store: reopened, warnings } = await openStore(dataDir);
		expect(warnings.join('\n')).toMatch(/cut short .* removed/);
		expect(reopened.getSummary(b.id)).toBeNull();
		expect(await reopened.readRaw(a.id)).not.toBeNull();
		// The torn bytes are gone, so the next record follows the last good one and survives a restart.
		const c = await reopened.add({ raw: message(3), session: testSessionFacts() });
		await reopened.close();
		const third = await openStore(dataDir);
		expect(third.warnings).toEqual([]);
		expect(third.store.listMailbox().map((m) => m.id)).toEqual([a.id, c.id]);
	});

	it('does not serve a record whose checksum fails', async () => {
		const dataDir = await freshDir();
		const { store } = await openStore(dataDir);
		const a = await store.add({ raw: message(1), session: testSessionFacts() });
		const raw = message(2);
		const b = await store.add({ raw, session: testSessionFacts() });
		await store.close();
		const file = segmentFile(dataDir);
		const bytes = await readFile(file);
		// Flip one byte inside the second message's raw bytes (its last line), as a bad sector would.
		const at = bytes.lastIndexOf(raw.subarray(raw.length - 20));
		expect(at).toBeGreaterThan(0);
		const handle = await open(file, 'r+');
		await handle.write(Buffer.from([bytes[at]! ^ 0x20]), 0, 1, at);
		await handle.close();

		const { store: reopened, warnings } = await openStore(dataDir);
		expect(warnings.join('\n')).toContain('fails its checksum');
		expect(reopened.getSummary(b.id)).toBeNull();
		expect(await reopened.readRaw(b.id)).toBeNull();
		expect(reopened.getSummary(a.id)?.subject).toBe('m1');
	});

	it('reads preallocated zeros as the end, and cuts off garbage after the last record', async () => {
		const dataDir = await freshDir();
		const { store } = await openStore(dataDir);
		const a = await store.add({ raw: message(1), session: testSessionFacts() });
		await store.close();
		// The file holds zeros past its records: a clean end, no warning.
		const clean = await openStore(dataDir);
		expect(clean.warnings).toEqual([]);
		await clean.store.close();
		await appendFile(segmentFile(dataDir), Buffer.concat([randomBytes(40), Buffer.from([1])]));
		const { store: reopened, warnings } = await openStore(dataDir);
		expect(warnings).toHaveLength(1);
		expect(reopened.listMailbox().map((m) => m.id)).toEqual([a.id]);
		const b = await reopened.add({ raw: message(2), session: testSessionFacts() });
		await reopened.close();
		const third = await openStore(dataDir);
		expect(third.warnings).toEqual([]);
		expect(third.store.listMailbox().map((m) => m.id)).toEqual([a.id, b.id]);
	});

	it('replays read flags, final transcripts and deletions', async () => {
		const dataDir = await freshDir();
		const { store } = await openStore(dataDir);
		const a = await store.add({ raw: message(1), session: testSessionFacts() });
		const b = await store.add({ raw: message(2), session: testSessionFacts() });
		const c = await store.add({ raw: message(3), session: testSessionFacts() });
		await store.markRead(a.id, true);
		await store.completeTranscript(b.id, [{ at: 1, from: 'server', line: '221 Bye' }], 4);
		await store.delete(c.id);
		await store.close();

		const { store: reopened } = await openStore(dataDir);
		expect(reopened.listMailbox().map((m) => [m.id, m.read])).toEqual([
			[a.id, true],
			[b.id, false],
		]);
		const delivered = await reopened.getSession(b.id);
		expect(delivered?.transcript).toEqual([{ at: 1, from: 'server', line: '221 Bye' }]);
		expect(delivered?.timings.storeMs).toBe(4);
	});

	it('compaction drops dead segments and keeps live messages byte-exact, with their state', async () => {
		const dataDir = await freshDir();
		const { store } = await openStore(dataDir, 6);
		// ~40 KB messages: 40 of them fill more than one segment; retention keeps the newest 6.
		const raws = new Map<string, Buffer>();
		let firstLive = '';
		for (let n = 0; n < 40; n += 1) {
			const raw = message(n, 30 * 1024);
			const summary = await store.add({ raw, session: testSessionFacts() });
			raws.set(summary.id, raw);
			if (n === 36) firstLive = summary.id;
		}
		await store.markRead(firstLive, true);
		await store.setFlags(firstLive, { flags: ['\\Flagged', '$Label1'] });
		await store.completeTranscript(firstLive, [{ at: 2, from: 'server', line: '250 Ok' }], 1);
		// Deleting triggers compaction; close waits for it.
		const victim = store.listMailbox()[0]!.id;
		await store.delete(victim);
		const uids = new Map(store.listMailbox().map((m) => [m.id, m.uid]));
		const uidValidity = store.uidValidity;
		await store.close();

		// Disk use stays bounded: the segment that held only dropped mail is gone.
		const segments = readdirSync(join(dataDir, 'journal'));
		expect(segments).not.toContain('00000001.log');
		const onDisk = (await Promise.all(segments.map(async (name) => (await stat(join(dataDir, 'journal', name))).size))).reduce((a, b) => a + b, 0);
		// At most one segment of records plus the active one, with its 2 MB of preallocated zeros.
		expect(onDisk).toBeLessThan(2 * SEGMENT + 2 * 1024 * 1024);
		const { store: reopened, warnings } = await openStore(dataDir, 6);
		expect(warnings).toEqual([]);
		const live = reopened.listMailbox();
		expect(live).toHaveLength(5);
		expect(live.map((m) => m.id)).not.toContain(victim);
		for (const summary of live) expect(await reopened.readRaw(summary.id)).toEqual(raws.get(summary.id));
		expect(reopened.getSummary(firstLive)?.read).toBe(true);
		// Keywords are not the store's; the durable system flag is.
		expect(reopened.getSummary(firstLive)?.flags).toEqual(['\\Flagged']);
		// IMAP clients keep their state: the same UIDVALIDITY and the same UID for every message, after
		// retention dropped 34 and compaction rewrote the survivors; the next UID follows the 40 given out.
		expect(reopened.uidValidity).toBe(uidValidity);
		expect(new Map(live.map((m) => [m.id, m.uid]))).toEqual(uids);
		expect(live.map((m) => m.uid)).toEqual([36, 37, 38, 39, 40]);
		expect(reopened.uidNext()).toBe(41);
		expect((await reopened.getSession(firstLive))?.transcript).toEqual([{ at: 2, from: 'server', line: '250 Ok' }]);
	});

	it('never hands out a UID again, even after the newest messages were deleted or the mailbox cleared', async () => {
		const dataDir = await freshDir();
		const { store } = await openStore(dataDir);
		for (let n = 0; n < 3; n += 1) await store.add({ raw: message(n), session: testSessionFacts() });
		await store.add({ raw: message(9), session: testSessionFacts(), mailbox: 'learner-b' });
		await store.delete(store.listMailbox().at(-1)!.id);
		await store.close();
		const { store: second } = await openStore(dataDir);
		expect(second.listMailbox().map((m) => m.uid)).toEqual([1, 2]);
		// Each mailbox counts its own UIDs (RFC 3501: UIDNEXT changes only when that mailbox gets mail).
		expect([second.uidNext(), second.uidNext('learner-b')]).toEqual([4, 2]);
		await second.clear();
		await second.close();
		const { store: third } = await openStore(dataDir);
		expect((await third.add({ raw: message(4), session: testSessionFacts() })).uid).toBe(4);
	});

	it('clear() leaves the journal small', async () => {
		const dataDir = await freshDir();
		const { store } = await openStore(dataDir);
		for (let n = 0; n < 50; n += 1) await store.add({ raw: message(n, 30 * 1024), session: testSessionFacts() });
		expect(readdirSync(join(dataDir, 'journal')).length).toBeGreaterThan(1);
		expect(await store.clear()).toBe(50);
		await store.close();
		const sizes = await Promise.all(readdirSync(join(dataDir, 'journal')).map(async (name) => (await stat(join(dataDir, 'journal', name))).size));
		expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(10 * 1024);
		const { store: reopened } = await openStore(dataDir);
		expect(reopened.count).toBe(0);
	});

	it('resolves an append only after its batch is written, in order', async () => {
		const dir = join(await freshDir(), 'journal');
		const journal = await Journal.open<unknown>({ dir, onRecord: () => undefined, warn: () => undefined });
		const locations = await Promise.all(
			Array.from({ length: 50 }, (_, n) => journal.append(1, { n }, Buffer.from(`body ${n}`), n % 2 === 0 ? 'sync' : 'lazy')),
		);
		for (let n = 1; n < locations.length; n += 1) expect(locations[n]!.offset).toBe(locations[n - 1]!.offset + locations[n - 1]!.length);
		expect((await journal.readBody(locations[17]!)).toString()).toBe('body 17');
		expect(await journal.readMeta(locations[17]!)).toEqual({ n: 17 });
		await journal.close();
		const seen: unknown[] = [];
		const again = await Journal.open<unknown>({ dir, onRecord: (record) => seen.push(record.meta), warn: () => undefined });
		expect(seen).toHaveLength(50);
		await again.close();
		expect(existsSync(join(dir, '00000001.log'))).toBe(true);
	});

	it('refuses to serve a record whose bytes changed on disk after it was written, naming where it is', async () => {
		const dir = join(await freshDir(), 'journal');
		const journal = await Journal.open<unknown>({ dir, onRecord: () => undefined, warn: () => undefined });
		const small = await journal.append(1, { n: 1 }, Buffer.from('small body'), 'sync');
		const big = await journal.append(1, { n: 2 }, Buffer.alloc(200 * 1024, 'b'), 'sync');
		const file = await open(join(dir, '00000001.log'), 'r+');
		// The last byte of each body, as a failing disk would change it.
		await file.write(Buffer.from('S'), 0, 1, small.offset + small.length - 1);
		await file.write(Buffer.from('B'), 0, 1, big.offset + big.length - 1);
		await file.close();
		await expect(journal.readBody(small)).rejects.toThrow(JournalCorruptError);
		await expect(journal.readBody(small)).rejects.toThrow(`Journal segment 1: the record at byte ${small.offset} fails its checksum.`);
		// Small enough to read along: the metadata read checks the body's CRC too.
		await expect(journal.readMeta(small)).rejects.toThrow(JournalCorruptError);
		// Too big to read along: the metadata is served, the body is refused.
		expect(await journal.readMeta(big)).toEqual({ n: 2 });
		await expect(journal.readBody(big)).rejects.toThrow(JournalCorruptError);
		await journal.close();
	});
});
