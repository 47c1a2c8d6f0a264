import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../events/event-bus.ts';
import { testSessionFacts } from '../testing/session-facts.ts';
import { makeDataDir } from '../testing/test-sandbox.ts';
import { Journal } from './journal.ts';
import { MailStore } from './mail-store.ts';
import { RECORD } from './records.ts';
import type { SessionFacts, TranscriptEntry } from './types.ts';
import { englishLog } from '../testing/english-log.ts';

const dirs: string[] = [];
const stores: MailStore[] = [];
afterEach(async () => {
	for (const store of stores.splice(0)) await store.close().catch(() => undefined);
	for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function openStore(dataDir?: string, maxMessages = 100) {
	const dir = dataDir ?? (await makeDataDir());
	if (!dataDir) dirs.push(dir);
	const warnings: string[] = [];
	// 1 MB segments, so a few dozen messages span several and compaction has work.
	const store = await MailStore.open({ dataDir: dir, maxMessages, events: new EventBus(), warn: englishLog(warnings), segmentBytes: 1024 * 1024 });
	stores.push(store);
	return { store, dataDir: dir, warnings };
}

/** The conversation up to the end of DATA, as the capture server stores it with the message. */
const UP_TO_DATA: TranscriptEntry[] = [
	{ at: 0, from: 'event', line: 'Connection opened', event: 'connect' },
	{ at: 1, from: 'client', line: 'MAIL FROM:<a@example.com>' },
	{ at: 1, from: 'server', line: '250 Accepted' },
	{ at: 2, from: 'event', line: '12 bytes of message data', event: 'data-elided' },
];
const TAIL: TranscriptEntry[] = [
	{ at: 5, from: 'server', line: '250 Ok: stored' },
	{ at: 6, from: 'client', line: 'QUIT' },
];

function session(): SessionFacts {
	return testSessionFacts({ transcript: UP_TO_DATA.map((entry) => ({ ...entry })) });
}

function message(n: number, bodyBytes = 600): Buffer {
	return Buffer.from(`From: a@example.com\r\nTo: b@example.com\r\nSubject: m${n}\r\n\r\n${randomBytes(bodyBytes).toString('base64')}\r\n`);
}

/** Every record of a data folder's journal, as types and metadata, read the way start-up reads them. */
async function records(dataDir: string): Promise<Array<{ type: number; meta: Record<string, unknown> }>> {
	const found: Array<{ type: number; meta: Record<string, unknown> }> = [];
	const journal = await Journal.open<Record<string, unknown>>({
		dir: join(dataDir, 'journal'),
		onRecord: (record) => found.push({ type: record.type, meta: record.meta }),
		warn: (key, params) => {
			throw new Error(`${key} ${JSON.stringify(params)}`);
		},
	});
	await journal.close();
	return found;
}

describe('transcript tails', () => {
	it('store only the lines after the message record, and read back as the whole conversation, before and after a restart', async () => {
		const { store, dataDir } = await openStore();
		const summary = await store.add({ raw: message(1), session: session() });
		const written = store.appendTranscript(summary.id, TAIL, 7);
		// Before the record is written, the detail already holds the whole conversation.
		expect((await store.getSession(summary.id))?.transcript).toEqual([...UP_TO_DATA, ...TAIL]);
		await written;
		const live = await store.getSession(summary.id);
		expect(live?.transcript).toEqual([...UP_TO_DATA, ...TAIL]);
		expect(live?.timings.storeMs).toBe(7);
		await store.close();

		const tails = (await records(dataDir)).filter((record) => record.type === RECORD.transcriptTail);
		expect(tails.map((record) => record.meta)).toEqual([{ id: summary.id, tail: TAIL, storeMs: 7 }]);

		const { store: reopened, warnings } = await openStore(dataDir);
		expect(warnings).toEqual([]);
		const replayed = await reopened.getSession(summary.id);
		expect(replayed?.transcript).toEqual([...UP_TO_DATA, ...TAIL]);
		expect(replayed?.timings.storeMs).toBe(7);
	});

	it('and whole transcripts, as every journal written before tails holds them, still replace the stored lines', async () => {
		const { store, dataDir } = await openStore();
		const whole = await store.add({ raw: message(1), session: session() });
		const tailed = await store.add({ raw: message(2), session: session() });
		await store.completeTranscript(whole.id, [{ at: 9, from: 'server', line: '221 Bye' }], 3);
		await store.appendTranscript(tailed.id, TAIL, 4);
		await store.close();

		expect((await records(dataDir)).map((record) => record.type).filter((type) => type !== RECORD.message)).toEqual([RECORD.transcript, RECORD.transcriptTail]);
		const { store: reopened } = await openStore(dataDir);
		expect((await reopened.getSession(whole.id))?.transcript).toEqual([{ at: 9, from: 'server', line: '221 Bye' }]);
		expect((await reopened.getSession(tailed.id))?.transcript).toEqual([...UP_TO_DATA, ...TAIL]);
	});

	it('are folded into the message record when compaction copies it', async () => {
		const { store, dataDir } = await openStore();
		const kept = await store.add({ raw: message(0, 30 * 1024), session: session() });
		// The tail goes into the first segment too, so only the copy can keep it once that segment is dropped.
		await store.appendTranscript(kept.id, TAIL, 2);
		const ids: string[] = [];
		for (let n = 1; n < 40; n += 1) ids.push((await store.add({ raw: message(n, 30 * 1024), session: session() })).id);
		// Most of the first segment dies: compaction copies what lives in it forward and drops the file.
		await store.deleteMany(ids.slice(0, 20));
		await vi.waitFor(() => expect(readdirSync(join(dataDir, 'journal'))).not.toContain('00000001.log'), { timeout: 10_000 });
		await store.close();

		const { store: reopened, warnings } = await openStore(dataDir);
		expect(warnings).toEqual([]);
		expect((await reopened.getSession(kept.id))?.transcript).toEqual([...UP_TO_DATA, ...TAIL]);
		expect((await reopened.getSession(kept.id))?.timings.storeMs).toBe(2);
	});
});
