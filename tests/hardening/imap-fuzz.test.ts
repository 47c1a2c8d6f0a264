/**
 * Malformed IMAP command streams: 400 sessions from a fixed seed against a real sandbox's IMAP port, a few at a
 * time, each sent in randomly cut TCP writes and ended by the client. The commands mix well-formed ones with
 * literals of every size and kind (within the limits, just past them, announced in lines too long to read),
 * lines of 9,000 bytes, deep nesting, control bytes, bad tags and random bytes.
 *
 * What must hold: every connection ends; every answer is a well-formed response (untagged, a continuation, or
 * a tag with OK, NO or BAD; literal bytes skipped), one line each, with no NUL or bare CR; the bytes of a
 * literal the client sent without waiting (`{n+}`) never run as a command, whether the server read them
 * or refused the literal (they carry a command tagged CANARY7, which must never be answered); nothing
 * throws in the process and no session fails inside the server; and afterwards a new client reads the same
 * mailbox byte for byte. The mailbox is read-only, so the fuzz cannot change what that last check reads.
 *
 * Left out: IDLE and AUTHENTICATE, where a line is a DONE or a SASL response rather than a command (their
 * own tests are in sandbox/imap/imap.test.ts).
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../sandbox/testing/test-sandbox.ts';
import { RawClient } from '../../sandbox/testing/pop3-imap-fixtures.ts';
import { Random } from './fuzz/random.ts';
import { mapLimit } from './support/api-client.ts';
import { connect, type Socket } from 'node:net';

const SEED = 0x1a7e5;
const SESSIONS = 400;
const CONCURRENCY = 12;
/** The tag of a command hidden in literal bytes: a random tag (at most five characters) is never this. */
const CANARY = 'CANARY7';
/** The server's limits, as imap-session.ts sets them. */
const MAX_LINE = 8192;
const MAX_NON_SYNC_LITERAL = 4096;

interface Session {
	name: string;
	bytes: Buffer;
	cuts: number[];
}

/** Literal bytes that hold a whole command line: run as commands, it would be answered as CANARY7. */
function canaryPayload(r: Random, size: number): string {
	const command = `\r\n${CANARY} NOOP\r\n`;
	const filler = 'x'.repeat(Math.max(0, size - command.length));
	const at = r.int(0, filler.length);
	return (filler.slice(0, at) + command + filler.slice(at)).slice(0, size);
}

const WELL_FORMED = [
	'NOOP',
	'CAPABILITY',
	'SELECT INBOX',
	'EXAMINE INBOX',
	'FETCH 1:* (FLAGS UID RFC822.SIZE)',
	'FETCH 1 (BODY.PEEK[HEADER.FIELDS (Subject From)] BODY.PEEK[TEXT]<0.20>)',
	'UID FETCH 1:* (ENVELOPE BODYSTRUCTURE)',
	'SEARCH SUBJECT fuzz',
	'UID SEARCH ALL',
	'STATUS INBOX (MESSAGES UIDNEXT UNSEEN)',
	'LIST "" *',
	'STORE 1 +FLAGS (\\Flagged)',
	'EXPUNGE',
	'CHECK',
	'UNSELECT',
	'NAMESPACE',
	'ID ("name" "fuzz")',
];

/** One command (or something where a command should be), with its line end. */
function command(r: Random, n: number): Buffer {
	const tag = r.chance(0.1) ? r.word(r.int(1, 5)) : `t${n}`;
	switch (r.int(0, 10)) {
		case 0:
		case 1:
		case 2:
			return Buffer.from(`${tag} ${r.pick(WELL_FORMED)}\r\n`);
		case 3: {
			// Within LITERAL-'s limit: read as the string it is.
			const size = r.pick([0, 1, 20, 300, MAX_NON_SYNC_LITERAL - 1, MAX_NON_SYNC_LITERAL]);
			const verb = r.pick(['SEARCH SUBJECT', 'LOGIN', 'APPEND INBOX', 'SELECT', 'FETCH 1 BODY[HEADER.FIELDS (']);
			return Buffer.from(`${tag} ${verb} {${size}+}\r\n${canaryPayload(r, size)}\r\n`);
		}
		case 4: {
			// Past LITERAL-'s limit, or announcing more than could ever be read: refused, and the session ends.
			const size = r.pick([MAX_NON_SYNC_LITERAL + 1, 9000]);
			const announced = r.chance(0.3) ? r.pick(['99999999999', '4294967296', '00000000000000004097']) : String(size);
			return Buffer.from(`${tag} SEARCH TEXT {${announced}+}\r\n${canaryPayload(r, size)}\r\n`);
		}
		case 5: {
			// A line too long to read that announces a literal: with {n+} its bytes follow at once.
			const padding = 'p'.repeat(r.int(MAX_LINE, MAX_LINE + 2000));
			if (r.chance(0.5)) return Buffer.from(`${tag} SEARCH TEXT "${padding}" TEXT {30+}\r\n${canaryPayload(r, 30)}\r\n`);
			// With {n} the client should have waited for a "+" that never comes: what it sends next is commands.
			return Buffer.from(`${tag} SEARCH TEXT "${padding}" TEXT {30}\r\n${'y'.repeat(30)}\r\n`);
		}
		case 6: {
			// A synchronising literal sent without waiting for the continuation (within the limit it is read anyway).
			const size = r.int(0, 200);
			return Buffer.from(`${tag} LOGIN {${size}}\r\n${'s'.repeat(size)} pw\r\n`);
		}
		case 7: {
			const depth = r.int(10, 3000);
			return Buffer.from(
				r.chance(0.5)
					? `${tag} SEARCH ${'('.repeat(depth)}ALL${')'.repeat(r.int(0, depth))}\r\n`
					: `${tag} SEARCH ${'OR '.repeat(depth)}${'ALL '.repeat(depth)}ALL\r\n`,
			);
		}
		case 8:
			return Buffer.from(
				r.pick([
					`${tag} SEARCH SUBJECT "a\0b"\r\n`,
					`${tag} NO\0OP\r\n`,
					`${tag} NOOP\n`,
					`${tag} NOOP\r`,
					`${tag} FETCH 0:99999999999999 FLAGS\r\n`,
					`${tag} FETCH 1 BODY[]<0.99999999999>\r\n`,
					`${tag} SELECT "INBOX\r\n`,
					`${tag} FETCH 1 BODY[HEADER.FIELDS ("Sub\\ject")]\r\n`,
					`${tag}\r\n`,
					'\r\n',
					`* NOOP\r\n`,
					`+ NOOP\r\n`,
				]),
			);
		case 9:
			// Random bytes, line ends among them.
			return r.bytes(r.int(1, 300));
		default:
			return Buffer.from(`${tag} ${r.word(r.int(1, 12))} ${r.word(r.int(0, 40))}\r\n`);
	}
}

function makeSessions(): Session[] {
	const r = new Random(SEED);
	return Array.from({ length: SESSIONS }, (_, index) => {
		const parts: Buffer[] = [];
		if (r.chance(0.7)) parts.push(Buffer.from('a0 LOGIN fuzz pw\r\n'));
		if (r.chance(0.5)) parts.push(Buffer.from('a1 SELECT INBOX\r\n'));
		const count = r.int(3, 12);
		for (let n = 0; n < count; n += 1) parts.push(command(r, n));
		parts.push(Buffer.from('zz LOGOUT\r\n'));
		const bytes = Buffer.concat(parts);
		return { name: `session ${index}`, bytes, cuts: [...new Set(r.cuts(bytes.length, r.int(0, 6)))].sort((a, b) => a - b) };
	});
}

/** Sends the session in its cuts, ends the connection, and resolves with every byte the server answered. */
function run(session: Session, port: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const socket: Socket = connect(port, '127.0.0.1');
		const received: Buffer[] = [];
		socket.on('data', (chunk: Buffer) => received.push(chunk));
		// The server may close first (BYE) while bytes are still being written: a reset is an ending too.
		socket.on('error', () => undefined);
		socket.on('close', () => resolve(Buffer.concat(received)));
		socket.once('connect', () => {
			let from = 0;
			for (const cut of [...session.cuts, session.bytes.length]) {
				socket.write(session.bytes.subarray(from, cut));
				from = cut;
			}
			socket.end();
		});
		socket.setTimeout(60_000, () => reject(new Error(`${session.name}: no end after 60 s`)));
	});
}

/** The server's responses as logical lines: a line announcing a literal continues after its bytes. */
function responses(bytes: Buffer): { lines: string[]; problems: string[] } {
	const lines: string[] = [];
	const problems: string[] = [];
	let at = 0;
	let current = '';
	while (at < bytes.length) {
		const crlf = bytes.indexOf('\r\n', at);
		if (crlf === -1) {
			problems.push(`unterminated: ${JSON.stringify(bytes.subarray(at, at + 80).toString('latin1'))}`);
			break;
		}
		const line = bytes.subarray(at, crlf).toString('latin1');
		if (/[\0\r\n]/.test(line)) problems.push(`control byte in ${JSON.stringify(line.slice(0, 80))}`);
		at = crlf + 2;
		const literal = /\{(\d+)\}$/.exec(line);
		if (literal) {
			current += `${line}…`;
			at += Number(literal[1]);
			continue;
		}
		lines.push(current + line);
		current = '';
	}
	return { lines, problems };
}

const RESPONSE = /^(\* \S|\+ |\+$|[^\s*+]+ (OK|NO|BAD)( |$))/;

describe('IMAP: 400 malformed command streams', () => {
	let t: TestSandbox;
	const serverLog: string[] = [];
	const thrown: string[] = [];
	const onThrown = (error: unknown) => thrown.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
	const delivered: Buffer[] = [];
	let answers: Buffer[] = [];

	beforeAll(async () => {
		process.on('uncaughtExceptionMonitor', onThrown);
		process.on('unhandledRejection', onThrown);
		t = await startTestSandbox({ SANDBOX_MAILBOX_READ_ONLY: 'true' }, { log: (line) => serverLog.push(line) });
		const transport = nodemailer.createTransport({ host: '127.0.0.1', port: t.sandbox.ports.smtp, secure: false, ignoreTLS: true });
		for (const subject of ['fuzz one', '퍼즈 둘', 'fuzz three']) {
			await transport.sendMail({ from: 'a@example.com', to: 'b@example.com', subject, text: `${subject}\n${'body '.repeat(50)}` });
		}
		transport.close();
		for (const summary of t.sandbox.store.listMailbox()) delivered.push((await t.sandbox.store.readRaw(summary.id))!);
		answers = await mapLimit(makeSessions(), CONCURRENCY, (session) => run(session, t.sandbox.ports.imap));
	}, 300_000);

	afterAll(async () => {
		process.off('uncaughtExceptionMonitor', onThrown);
		process.off('unhandledRejection', onThrown);
		await t?.stop();
	});

	it('ends every connection with well-formed responses only, one line each', () => {
		expect(answers).toHaveLength(SESSIONS);
		const problems = answers.flatMap((bytes, index) => {
			const { lines, problems } = responses(bytes);
			return [...problems, ...lines.filter((line) => !RESPONSE.test(line)).map((line) => `not a response: ${JSON.stringify(line.slice(0, 80))}`)].map(
				(problem) => `session ${index}: ${problem}`,
			);
		});
		expect(problems.slice(0, 10)).toEqual([]);
	});

	it('never runs the bytes of a literal sent without waiting as a command', () => {
		const ran = answers.flatMap((bytes, index) => responses(bytes).lines.filter((line) => line.startsWith(`${CANARY} `)).map((line) => `session ${index}: ${line}`));
		expect(ran).toEqual([]);
		// The streams did reach the cases that matter: literals read as strings, and sessions ended over a literal.
		const all = answers.map((bytes) => bytes.toString('latin1'));
		expect(all.filter((text) => /BAD \[TOOBIG\] Literal too large to send without a continuation/.test(text)).length).toBeGreaterThan(10);
		expect(all.filter((text) => /BAD \[TOOBIG\] Command line too long/.test(text)).length).toBeGreaterThan(10);
		expect(all.filter((text) => /\* SEARCH/.test(text)).length).toBeGreaterThan(10);
	});

	it('throws nothing and fails no session inside the server', () => {
		expect(thrown).toEqual([]);
		expect(serverLog.filter((line) => /session error|onSession failed|could not be accepted/.test(line))).toEqual([]);
	});

	it('still serves the mailbox byte for byte to a new client', async () => {
		const client = await RawClient.plain(t.sandbox.ports.imap);
		await client.line();
		client.sendLine('c1 LOGIN after pw');
		expect(await client.line()).toMatch(/^c1 OK /);
		client.sendLine('c2 EXAMINE INBOX');
		const examine = await client.linesUntil(/^c2 /);
		expect(examine).toContain(`* ${delivered.length} EXISTS`);
		for (const [index, raw] of delivered.entries()) {
			client.sendLine(`c3 FETCH ${index + 1} BODY.PEEK[]`);
			expect(await client.line()).toBe(`* ${index + 1} FETCH (BODY[] {${raw.length}}`);
			expect((await client.bytes(raw.length)).equals(raw)).toBe(true);
			expect(await client.linesUntil(/^c3 /)).toEqual([')', 'c3 OK FETCH completed']);
		}
		client.close();
	});
});
