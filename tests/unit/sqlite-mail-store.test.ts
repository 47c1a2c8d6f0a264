/**
 * The SQLite store prototype (bench/sqlite-store/, issue 18) is measured by bench/store-compare.ts; this checks
 * that what it measures is a store that works: decoded Korean bodies found by substring, UIDs never handed out
 * twice across a deletion and a restart, flags kept, with the writer on the main thread and in a worker.
 */
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteMailStore } from '../../bench/sqlite-store/sqlite-mail-store.ts';
import { testSessionFacts } from '../../sandbox/testing/session-facts.ts';
import { makeDataDir } from '../../sandbox/testing/test-sandbox.ts';

const dirs: string[] = [];
afterEach(async () => {
	for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const session = testSessionFacts({ envelope: { mailFrom: 'a@example.com', rcptTo: ['b@example.com'], smtpUtf8: false, bodyType: '8bitmime' } });

/** A message whose UTF-8 body travels base64-encoded: found only if the index decodes it. */
function message(subject: string, body: string): Buffer {
	return Buffer.from(
		[
			'From: Forum <noreply@forum.example>',
			'To: learner@example.com',
			`Subject: ${subject}`,
			'Content-Type: text/plain; charset=utf-8',
			'Content-Transfer-Encoding: base64',
			'',
			Buffer.from(body).toString('base64'),
			'',
		].join('\r\n'),
	);
}

describe.each(['main', 'worker'] as const)('SQLite store prototype, writer on the %s thread', (writer) => {
	async function open(dataDir?: string): Promise<{ store: SqliteMailStore; dataDir: string }> {
		const dir = dataDir ?? (await makeDataDir());
		if (!dataDir) dirs.push(dir);
		return { store: SqliteMailStore.open({ dataDir: dir, maxMessages: 100, writer }), dataDir: dir };
	}

	it('finds a Korean substring of a decoded body, three syllables or two', async () => {
		const { store } = await open();
		await store.add({ raw: message('reset', '\uBE44\uBC00\uBC88\uD638\uB97C \uC7AC\uC124\uC815\uD558\uC138\uC694'), session });
		await store.add({ raw: message('other', 'nothing to see'), session });
		// 밀번호 (3 syllables: the trigram index) and 번호 (2: a scan of the indexed text).
		expect(store.list({ query: '\uBC00\uBC88\uD638' }).messages.map((m) => m.subject)).toEqual(['reset']);
		expect(store.list({ query: '\uBC88\uD638' }).total).toBe(1);
		expect(store.list({ query: '\uC5C6\uB294\uB9D0' }).total).toBe(0);
		expect(store.list({ query: 'SEE' }).messages.map((m) => m.subject)).toEqual(['other']);
		await store.close();
	});

	it('never hands out a UID twice, across a deletion and a restart, and keeps flags', async () => {
		const first = await open();
		const added = await Promise.all([1, 2, 3].map((n) => first.store.add({ raw: message(`m${n}`, 'x'), session })));
		expect(added.map((m) => m.uid)).toEqual([1, 2, 3]);
		expect(await first.store.deleteMany([added[2]!.id])).toEqual([added[2]!.id]);
		await first.store.setFlags(added[0]!.id, { read: true, flags: ['\\Flagged'] });
		await first.store.close();
		const { store } = await open(first.dataDir);
		const next = await store.add({ raw: message('m4', 'x'), session });
		expect(next.uid).toBe(4);
		expect(store.listMailbox().map((m) => [m.uid, m.read, m.flags])).toEqual([
			[1, true, ['\\Flagged']],
			[2, false, []],
			[4, false, []],
		]);
		expect((await store.readRaw(next.id))?.equals(message('m4', 'x'))).toBe(true);
		await store.close();
	});
});
