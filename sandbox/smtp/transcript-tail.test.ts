import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../store/journal.ts';
import { RECORD } from '../store/records.ts';
import { SmtpDialogue } from '../testing/smtp-dialogue.ts';
import { nextEvent, startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';

let t: TestSandbox;
let stopped = false;
beforeAll(async () => {
	t = await startTestSandbox();
});
afterAll(async () => {
	if (!stopped) await t.stop();
	await rm(t.dataDir, { recursive: true, force: true });
});

async function send(client: SmtpDialogue, subject: string): Promise<string> {
	expect(await client.command('MAIL FROM:<a@example.com>')).toMatch(/^250 /);
	expect(await client.command('RCPT TO:<b@example.com>')).toMatch(/^250 /);
	expect(await client.command('DATA')).toMatch(/^354 /);
	const reply = await client.command(`Subject: ${subject}\r\n\r\nhello\r\n.`);
	const id = /stored as (\w+)/.exec(reply)?.[1];
	if (!id) throw new Error(`not stored: ${reply}`);
	return id;
}

describe('final SMTP transcripts', () => {
	it('write only the lines after the 250 once more, and read back whole for each message of a connection', async () => {
		const client = await SmtpDialogue.open(t.sandbox.ports.smtp);
		expect(await client.reply()).toMatch(/^220 /);
		await client.command('EHLO client.example');
		const firstDone = nextEvent(t.sandbox.events, 'message-transcript');
		const first = await send(client, 'one');
		const second = await send(client, 'two');
		await firstDone;
		const secondDone = nextEvent(t.sandbox.events, 'message-transcript', (event) => event.id === second);
		expect(await client.command('QUIT')).toMatch(/^221 /);
		await secondDone;
		client.end();

		const lines = async (id: string) => ((await t.sandbox.store.getSession(id))?.transcript ?? []).map((entry) => entry.line);
		const firstLines = await lines(first);
		const secondLines = await lines(second);
		// Each message: the opening, its own transaction, its 250; the first ends at the next MAIL FROM, the second at the close.
		expect(firstLines.filter((line) => line.startsWith('MAIL FROM'))).toHaveLength(1);
		expect(firstLines.at(-1)).toBe(`250 Ok: stored as ${first}`);
		expect(firstLines[0]).toBe('Connection opened');
		expect(secondLines.filter((line) => line.startsWith('MAIL FROM'))).toHaveLength(1);
		expect(secondLines).toContain(`250 Ok: stored as ${second}`);
		expect(secondLines.slice(-3)).toEqual(['QUIT', '221 Bye', 'Connection closed']);
		expect(secondLines).toContain('EHLO client.example');

		// On disk (read once the sandbox has let go of its journal): the message records hold the conversation up to DATA; the completions only the lines after it.
		stopped = true;
		await t.stop(true);
		const tails = new Map<string, string[]>();
		const journal = await Journal.open<{ id?: string; tail?: Array<{ line: string }> }>({
			dir: join(t.dataDir, 'journal'),
			onRecord: (record) => {
				if (record.type === RECORD.transcript) throw new Error('a whole transcript was written again');
				if (record.type === RECORD.transcriptTail) tails.set(record.meta.id ?? '', (record.meta.tail ?? []).map((entry) => entry.line));
			},
			warn: () => undefined,
		});
		await journal.close();
		expect(tails.get(first)).toEqual([`250 Ok: stored as ${first}`]);
		expect(tails.get(second)).toEqual([`250 Ok: stored as ${second}`, 'QUIT', '221 Bye', 'Connection closed']);
	});
});
