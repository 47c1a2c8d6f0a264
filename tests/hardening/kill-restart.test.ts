/**
 * Issue 9 hardening: `kill -9` during ingest, then restart. The sandbox runs as its own process; several
 * senders deliver distinct messages over their own connections while the test records, for every 250, the id
 * and a hash of what was sent. After N 250s, with other sends in flight, the process is SIGKILLed and started
 * again on the same data folder. The contract (whatever the store's layout): every message that got a 250 is
 * there byte-exact; everything listed is a whole message some sender sent (nothing torn, no leftovers served);
 * the restarted server takes mail. Several rounds on one folder, each killing at a different point.
 */
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../sandbox/mail/message-content.ts';
import { makeDataDir } from '../../sandbox/testing/test-sandbox.ts';
import { Random } from './fuzz/random.ts';
import { apiGet, listAll, mapLimit, sha256 } from './support/api-client.ts';
import { startChildSandbox, type ChildSandbox } from '../../sandbox/testing/child-sandbox.ts';
import { deliver, storedForm, WireClient } from './support/wire-client.ts';

/** Concurrent senders, each on its own connection: most are mid-message when the kill lands. */
const SENDERS = 6;
/** How many 250s each round waits for before the kill; the first kill lands right after the first 250. */
const KILL_AFTER = [1, 30, 90];
const ENV = { SANDBOX_MAX_MESSAGES: '100000' };

let dataDir = '';
let running: ChildSandbox | null = null;
/** Id → SHA-256 of the stored form, for every message that got a 250. */
const acknowledged = new Map<string, string>();
/** SHA-256 of every message any sender started to send: what a listed message may be. */
const attempted = new Set<string>();
/** Messages whose detail already answered after an earlier restart: their bytes are still checked every time. */
const detailChecked = new Set<string>();

afterAll(async () => {
	running?.child.kill('SIGKILL');
	await running?.exited;
	if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A distinct message: mostly reset-sized, every fifth ~200 KB so that a kill lands mid-write too. */
function message(random: Random, round: number, sender: number, n: number): Buffer {
	const marker = `r${round}-s${sender}-n${n}`;
	const lines = Array.from({ length: n % 5 === 4 ? 2600 : random.int(5, 40) }, () => random.word(76));
	return Buffer.from(
		[
			'From: Forum <noreply@forum.example>',
			'To: learner@example.com',
			`Subject: Password reset ${marker}`,
			`Message-ID: <${marker}@kill.test>`,
			'Date: Tue, 01 Dec 2026 10:00:00 +0000',
			'',
			...lines,
			'',
		].join('\r\n'),
		'latin1',
	);
}

/**
 * Sends from `SENDERS` connections until the server dies; kills it with SIGKILL after `killAfter` 250s.
 * Resolves with how many 250s this round saw.
 */
async function sendUntilKilled(target: ChildSandbox, round: number, killAfter: number): Promise<number> {
	const random = new Random(round * 7919 + 1);
	let acknowledgedThisRound = 0;
	let killed = false;
	await Promise.all(
		Array.from({ length: SENDERS }, async (_, sender) => {
			let client: WireClient;
			try {
				client = await WireClient.open({ port: target.ports.smtp });
				if ((await client.reply())?.code !== 220 || (await client.command('EHLO kill.test'))?.code !== 250) throw new Error('no greeting');
			} catch (error) {
				if (killed) return;
				throw error;
			}
			for (let n = 0; !killed; n += 1) {
				const raw = message(random, round, sender, n);
				const hash = sha256(storedForm(raw));
				attempted.add(hash);
				let id: string;
				try {
					id = await deliver(client, raw);
				} catch (error) {
					// Only the kill may stop a sender: a refusal before it is a failure of the test.
					if (killed) break;
					throw error;
				}
				acknowledged.set(id, hash);
				acknowledgedThisRound += 1;
				if (acknowledgedThisRound >= killAfter && !killed) {
					killed = true;
					target.child.kill('SIGKILL');
				}
			}
			client.destroy();
		}),
	);
	expect(await target.exited).toBe('SIGKILL');
	return acknowledgedThisRound;
}

/** The contract after a restart, checked through the API as the inbox sees it. */
async function checkStore(target: ChildSandbox): Promise<void> {
	const listed = await listAll(target.ports.http);
	const ids = new Set(listed.map((summary) => summary.id));
	const missing = [...acknowledged.keys()].filter((id) => !ids.has(id));
	expect(missing, 'messages that got a 250 but are gone').toEqual([]);
	const problems: string[] = [];
	await mapLimit(listed, 6, async (summary) => {
		const raw = await apiGet(target.ports.http, `/api/v1/messages/${summary.id}/raw`);
		const hash = sha256(raw.body);
		if (raw.status !== 200) problems.push(`${summary.id}: raw ${raw.status}`);
		else if (acknowledged.has(summary.id) && acknowledged.get(summary.id) !== hash) problems.push(`${summary.id}: 250ed, but the stored bytes differ`);
		else if (!attempted.has(hash)) problems.push(`${summary.id}: ${raw.body.length} bytes that no sender sent (torn or stray)`);
		if (detailChecked.has(summary.id)) return;
		const detail = await apiGet(target.ports.http, `/api/v1/messages/${summary.id}`);
		if (detail.status !== 200) problems.push(`${summary.id}: detail ${detail.status}`);
		else if ((JSON.parse(detail.body.toString()) as MessageDetail).size !== raw.body.length) problems.push(`${summary.id}: size differs from the raw bytes`);
		else detailChecked.add(summary.id);
	});
	expect(problems).toEqual([]);
}

describe('kill -9 during ingest, then restart', () => {
	it(`keeps every 250ed message whole across ${KILL_AFTER.length} kills at different points`, async () => {
		dataDir = await makeDataDir();
		running = await startChildSandbox(dataDir, ENV);
		for (const [round, killAfter] of KILL_AFTER.entries()) {
			const seen = await sendUntilKilled(running, round, killAfter);
			expect(seen).toBeGreaterThanOrEqual(killAfter);
			running = await startChildSandbox(dataDir, ENV);
			await checkStore(running);

			// The restarted server takes mail at once.
			const client = await WireClient.open({ port: running.ports.smtp });
			expect((await client.reply())?.code).toBe(220);
			expect((await client.command('EHLO after.test'))?.code).toBe(250);
			const raw = Buffer.from(`Subject: after restart ${round}\r\n\r\nhello again\r\n`);
			attempted.add(sha256(raw));
			const id = await deliver(client, raw);
			acknowledged.set(id, sha256(raw));
			client.destroy();
			const after = await apiGet(running.ports.http, `/api/v1/messages/${id}/raw`);
			expect(sha256(after.body)).toBe(sha256(raw));
		}
		expect(acknowledged.size).toBeGreaterThan(KILL_AFTER.reduce((sum, n) => sum + n, 0));

		// A clean stop after all that, and the folder opens once more with the same messages.
		const before = await listAll(running.ports.http);
		running.child.kill('SIGTERM');
		expect(await running.exited).toBe('exit 0');
		running = await startChildSandbox(dataDir, ENV);
		expect(await listAll(running.ports.http)).toEqual(before);
		await checkStore(running);
	}, 180_000);
});
