/**
 * "Not found" means the id is unknown; a message the store knows but cannot read (here: a journal record
 * whose bytes changed on disk after they were written) is Postlab's failure, answered 500 with its cause
 * logged once, without the message's content or the request's URL.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message } from '../i18n/messages.ts';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';

const UNKNOWN = '0000000000000000000000';
let t: TestSandbox;
const logs: string[] = [];
beforeAll(async () => {
	t = await startTestSandbox({}, { log: (message) => logs.push(message) });
});
afterAll(async () => {
	await t.stop();
});

async function send(subject: string, text: string): Promise<string> {
	const sender = nodemailer.createTransport({ host: '127.0.0.1', port: t.sandbox.ports.smtp, secure: false, ignoreTLS: true });
	const info = await sender.sendMail({ from: 'Forum <admin@fwd.example>', to: 'you@example.com', subject, text, html: `<p>${text}</p>` });
	sender.close();
	return /stored as (\w+)/.exec(info.response)![1]!;
}

/** Flips one byte of `marker` where it sits in the journal's first segment, as a failing disk would. */
async function flipByteOf(marker: string): Promise<void> {
	const file = await open(join(t.sandbox.store.journalDir, '00000001.log'), 'r+');
	try {
		const bytes = await file.readFile();
		const at = bytes.indexOf(marker);
		expect(at).toBeGreaterThan(0);
		const flipped = Buffer.from([bytes[at]! ^ 0x20]);
		await file.write(flipped, 0, 1, at);
	} finally {
		await file.close();
	}
}

describe('message routes: unknown id versus unreadable message', () => {
	it('answers 404 for an unknown id and 500, with the cause logged once, for a record damaged on disk', async () => {
		const secret = 'Zq7-private-words-of-the-damaged-message';
		const goodId = await send('intact', 'An intact message.');
		const badId = await send('damaged', secret);
		await flipByteOf(secret);
		logs.length = 0;

		const unknown = await fetch(`${t.baseUrl}/api/v1/messages/${UNKNOWN}`);
		expect(unknown.status).toBe(404);
		// English for curl, Korean beside it for the Korean pages.
		expect(await unknown.json()).toEqual({
			error: { status: 404, message: message('en', 'api.noMessage', { id: UNKNOWN }), ko: message('ko', 'api.noMessage', { id: UNKNOWN }) },
		});
		expect(message('en', 'api.noMessage', { id: UNKNOWN })).toContain(`There is no message ${UNKNOWN}`);
		expect(message('ko', 'api.noMessage', { id: UNKNOWN })).toContain(`메시지 ${UNKNOWN}`);

		const intact = await fetch(`${t.baseUrl}/api/v1/messages/${goodId}`);
		expect(intact.status).toBe(200);
		expect(((await intact.json()) as { subject: string }).subject).toBe('intact');
		expect(logs).toEqual([]);

		for (const path of [`/api/v1/messages/${badId}`, `/api/v1/messages/${badId}/html`, `/api/v1/messages/${badId}/raw`]) {
			logs.length = 0;
			const damaged = await fetch(`${t.baseUrl}${path}`);
			expect(damaged.status, path).toBe(500);
			await damaged.arrayBuffer();
			expect(logs, path).toHaveLength(1);
			expect(logs[0]).toMatch(/JournalCorruptError: Journal segment 1: the record at byte \d+ fails its checksum/);
			expect(logs[0]).not.toContain(secret.slice(0, 12));
			expect(logs[0]).not.toContain(path);
		}
	});

	it('cuts off a large .eml whose checksum fails at its end, and logs why; an intact one arrives whole', async () => {
		// Over the 1 MB up to which /raw checks a message before answering, so this one streams.
		const filler = 'An intact line of a big message.\n'.repeat(48_000);
		const intactId = await send('big and intact', filler);
		const intact = await fetch(`${t.baseUrl}/api/v1/messages/${intactId}/raw`);
		expect(intact.status).toBe(200);
		const body = Buffer.from(await intact.arrayBuffer());
		expect(body.length).toBe(Number(intact.headers.get('content-length')));
		expect(body.length).toBeGreaterThan(1024 * 1024);

		const secret = 'Wx4-the-last-words-of-a-big-damaged-message';
		const badId = await send('big and damaged', `${filler}${secret}`);
		await flipByteOf(secret);
		logs.length = 0;
		const damaged = await fetch(`${t.baseUrl}/api/v1/messages/${badId}/raw`);
		expect(damaged.status).toBe(200);
		await expect(damaged.arrayBuffer()).rejects.toThrow();
		await expect.poll(() => logs.length).toBe(1);
		expect(logs[0]).toMatch(/cut off: JournalCorruptError: Journal segment 1: the record at byte \d+ fails its checksum/);
		expect(logs[0]).not.toContain(secret.slice(0, 12));
	});
});
