import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptAnyLogin } from '../line-protocol/mailbox-source.ts';
import { MemoryMailboxSource } from '../line-protocol/memory-source.ts';
import type { RunningMailReadServer } from '../line-protocol/server-options.ts';
import { greetingAndRefusal, makeTestCert, RawClient, runPython, SessionTranscripts, sha256, testServerOptions, type TestCert } from '../testing/pop3-imap-fixtures.ts';
import { startImapServer } from './imap-server.ts';

const simple = ['From: a@example.test', 'To: b@example.test', 'Subject: first', 'Date: Mon, 30 Nov 2026 09:00:00 +0000', '', 'hello', ''].join('\r\n');

const multipart = [
	'From: "Alice Example" <alice@example.test>',
	'To: Bob <bob@example.test>, carol@example.test',
	'Cc: undisclosed-recipients:;',
	'Subject: =?UTF-8?B?7JWI64WV?= report',
	'Date: Tue, 01 Dec 2026 10:00:00 +0000',
	'Message-ID: <m2@example.test>',
	'MIME-Version: 1.0',
	'Content-Type: multipart/mixed; boundary="outer"',
	'',
	'preamble',
	'--outer',
	'Content-Type: text/plain; charset=utf-8',
	'Content-Transfer-Encoding: 8bit',
	'',
	'안녕하세요, report attached.',
	'.a line with a dot',
	'--outer',
	'Content-Type: application/pdf; name="r.pdf"',
	'Content-Disposition: attachment; filename="r.pdf"',
	'Content-Transfer-Encoding: base64',
	'',
	'JVBERi0xLjQK',
	'--outer--',
	'',
].join('\r\n');

const IMAPLIB = `
import imaplib, ssl, sys, hashlib, json, base64
mode, port, cafile, user, password, auth, readonly = sys.argv[1:8]
ctx = ssl.create_default_context(cafile=cafile)
if mode == 'tls':
    imap = imaplib.IMAP4_SSL('localhost', int(port), ssl_context=ctx, timeout=20)
else:
    imap = imaplib.IMAP4('localhost', int(port), timeout=20)
    if mode == 'starttls':
        imap.starttls(ssl_context=ctx)
caps = list(imap.capabilities)
if auth == 'plain':
    imap.authenticate('PLAIN', lambda _: ('\\0' + user + '\\0' + password).encode())
else:
    imap.login(user, password)
# imap.select('INBOX') is what most tutorials write; it must not raise imaplib.readonly.
typ, data = imap.select('INBOX', readonly=(readonly == 'examine'))
exists = int(data[0])
typ, data = imap.uid('SEARCH', None, 'ALL')
uids = data[0].split()
newest = uids[-1]
typ, data = imap.uid('FETCH', newest, '(RFC822.SIZE BODY.PEEK[])')
raw = data[0][1]
typ, data = imap.uid('FETCH', newest, '(BODYSTRUCTURE ENVELOPE)')
meta = data[0].decode()
typ, store = imap.uid('STORE', newest, '+FLAGS', '(\\\\Seen)')
imap.close()
imap.logout()
print(json.dumps({'caps': caps, 'exists': exists, 'uids': [u.decode() for u in uids], 'sha': hashlib.sha256(raw).hexdigest(), 'len': len(raw), 'meta': meta, 'store': typ}))
`;

let cert: TestCert;
let source: MemoryMailboxSource;
let server: RunningMailReadServer;
const transcripts = new SessionTranscripts();

beforeAll(async () => {
	cert = await makeTestCert();
	source = new MemoryMailboxSource();
	source.add('default', simple, new Date('2026-11-30T09:00:00Z'));
	source.add('default', multipart, new Date('2026-12-01T10:00:00Z'));
	server = await startImapServer({
		...testServerOptions(source, cert),
		// The shared mailbox stays as it is for every test: flags last for the session (SANDBOX_MAILBOX_READ_ONLY).
		readOnly: true,
		onSession: transcripts.onSession,
	});
});

afterAll(async () => {
	await server.close();
});

/** Sends a tagged command and returns every line up to and including the tagged answer. */
async function command(client: RawClient, tag: string, text: string): Promise<string[]> {
	client.sendLine(`${tag} ${text}`);
	return client.linesUntil(new RegExp(`^${tag} (OK|NO|BAD)`));
}

async function loggedIn(user = 'learner', select = true): Promise<RawClient> {
	const client = await RawClient.plain(server.ports.plain);
	expect(await client.line()).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 STARTTLS/);
	expect((await command(client, 'l1', `LOGIN ${user} secret-pw`)).at(-1)).toMatch(/^l1 OK/);
	if (select) expect((await command(client, 's1', 'SELECT INBOX')).at(-1)).toMatch(/^s1 OK \[READ-WRITE\]/);
	return client;
}

describe('IMAP with Python imaplib', () => {
	for (const [mode, auth, open] of [
		['plain', 'login', 'select'],
		['starttls', 'plain', 'examine'],
		['tls', 'login', 'select'],
	] as const) {
		it(`reads the newest message byte for byte over ${mode} (${auth}, ${open})`, { timeout: 30_000 }, async () => {
			const port = mode === 'tls' ? server.ports.tls : server.ports.plain;
			const out = JSON.parse(await runPython(IMAPLIB, [mode, String(port), cert.certPath, 'learner', 'pw', auth, open])) as {
				caps: string[];
				exists: number;
				uids: string[];
				sha: string;
				len: number;
				meta: string;
				store: string;
			};
			const newest = Buffer.from(multipart, 'utf8');
			expect(out.exists).toBe(2);
			expect(out.uids).toEqual(['1', '2']);
			expect(out.sha).toBe(sha256(newest));
			expect(out.len).toBe(newest.length);
			expect(out.caps.includes('STARTTLS')).toBe(mode === 'plain');
			expect(out.meta).toContain('("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "8BIT"');
			expect(out.meta).toContain('"MIXED" ("BOUNDARY" "outer")');
			expect(out.meta).toContain('("ATTACHMENT" ("FILENAME" "r.pdf"))');
			expect(out.meta).toContain('(("Alice Example" NIL "alice" "example.test"))');
			// After SELECT flags can be set for the session; after EXAMINE nothing can be changed.
			expect(out.store).toBe(open === 'select' ? 'OK' : 'NO');
		});
	}
});

describe('IMAP over a raw socket', () => {
	it('answers FETCH items with the right sizes, sections and partial ranges', async () => {
		const client = await loggedIn();
		const raw = Buffer.from(multipart, 'utf8');
		client.sendLine('f1 FETCH 2 (UID RFC822.SIZE FLAGS INTERNALDATE BODY.PEEK[]<0.10>)');
		const head = await client.line();
		expect(head).toBe(`* 2 FETCH (UID 2 RFC822.SIZE ${raw.length} FLAGS () INTERNALDATE "01-Dec-2026 10:00:00 +0000" BODY[]<0> {10}`);
		expect((await client.bytes(10)).equals(raw.subarray(0, 10))).toBe(true);
		expect(await client.line()).toBe(')');
		expect(await client.line()).toMatch(/^f1 OK/);

		client.sendLine('f2 UID FETCH 2 (BODY.PEEK[HEADER.FIELDS (Subject From)])');
		const fieldsHead = await client.line();
		const size = Number(/\{(\d+)\}$/.exec(fieldsHead)?.[1]);
		const fields = (await client.bytes(size)).toString('utf8');
		expect(fields).toBe('From: "Alice Example" <alice@example.test>\r\nSubject: =?UTF-8?B?7JWI64WV?= report\r\n\r\n');
		await client.linesUntil(/^f2 OK/);

		client.sendLine('f3 FETCH 2 (BODY[1] BODY[2.MIME])');
		const part1Head = await client.line();
		const part1 = await client.bytes(Number(/\{(\d+)\}$/.exec(part1Head)?.[1]));
		expect(part1.toString('utf8')).toBe('안녕하세요, report attached.\r\n.a line with a dot');
		const mimeHead = await client.line();
		const mime = await client.bytes(Number(/\{(\d+)\}$/.exec(mimeHead)?.[1]));
		expect(mime.toString()).toContain('Content-Disposition: attachment; filename="r.pdf"');
		await client.linesUntil(/^f3 OK/);

		const lines = await command(client, 'f4', 'FETCH 1:* (UID)');
		expect(lines).toEqual(['* 1 FETCH (UID 1)', '* 2 FETCH (UID 2)', 'f4 OK FETCH completed']);
		// f3 read BODY[1] without PEEK, which marked the message seen for this session.
		expect((await command(client, 'f5', 'UID FETCH 3:* (FLAGS)'))[0]).toBe('* 2 FETCH (UID 2 FLAGS (\\Seen))');
		expect((await command(client, 'f6', 'FETCH 5 (UID)')).at(-1)).toMatch(/^f6 BAD No such message/);
		expect((await command(client, 'f7', 'FETCH 1 (NONSENSE)')).at(-1)).toMatch(/^f7 BAD Unknown FETCH data item/);
		client.close();
	});

	it('searches by UID, flags, size, date and text, and refuses unknown keys', async () => {
		const client = await loggedIn();
		expect(await command(client, 'a', 'UID SEARCH ALL')).toEqual(['* SEARCH 1 2', 'a OK UID SEARCH completed']);
		expect((await command(client, 'b', 'UID SEARCH UID 2:*'))[0]).toBe('* SEARCH 2');
		expect((await command(client, 'c', 'SEARCH UNSEEN NOT DELETED'))[0]).toBe('* SEARCH 1 2');
		expect((await command(client, 'd', 'SEARCH SEEN'))[0]).toBe('* SEARCH');
		expect((await command(client, 'e', 'SEARCH SUBJECT 안녕'))[0]).toBe('* SEARCH 2');
		expect((await command(client, 'f', 'SEARCH OR FROM alice SMALLER 150'))[0]).toBe('* SEARCH 1 2');
		expect((await command(client, 'g', 'SEARCH SINCE 1-Dec-2026'))[0]).toBe('* SEARCH 2');
		expect((await command(client, 'h', 'SEARCH BODY "report attached"'))[0]).toBe('* SEARCH 2');
		expect((await command(client, 'i', 'SEARCH FROBNICATE')).at(-1)).toMatch(/^i BAD Unknown search key "FROBNICATE"/);
		expect((await command(client, 'j', 'SEARCH CHARSET KOI8-R ALL')).at(-1)).toMatch(/^j NO \[BADCHARSET \(UTF-8 US-ASCII\)\] Only UTF-8 and US-ASCII/);
		client.close();
	});

	it('keeps flags for the session after SELECT, and refuses everything after EXAMINE', async () => {
		const client = await loggedIn();
		expect(await command(client, 'v1', 'STORE 1 +FLAGS (\\Seen \\flagged)')).toEqual(['* 1 FETCH (FLAGS (\\Seen \\Flagged))', 'v1 OK STORE completed (flags last for this session only)']);
		expect(await command(client, 'v2', 'UID STORE 1 -FLAGS.SILENT (\\Flagged)')).toEqual(['v2 OK UID STORE completed (flags last for this session only)']);
		expect((await command(client, 'v3', 'SEARCH SEEN'))[0]).toBe('* SEARCH 1');
		expect((await command(client, 'v4', 'SEARCH UNSEEN'))[0]).toBe('* SEARCH 2');
		expect((await command(client, 'v5', 'STORE 1 +FLAGS (\\Recent)')).at(-1)).toMatch(/^v5 BAD/);
		// Reading a body without PEEK marks it seen, and the answer says so.
		client.sendLine('v6 FETCH 2 (BODY[HEADER.FIELDS (Subject)])');
		const head = await client.line();
		await client.bytes(Number(/\{(\d+)\}$/.exec(head)?.[1]));
		expect(await client.line()).toBe(' FLAGS (\\Seen))');
		await client.linesUntil(/^v6 OK/);
		for (const [tag, text] of [
			['w3', 'COPY 1 Trash'],
			['w4', 'EXPUNGE'],
			['w5', 'UID MOVE 1 Trash'],
		]) {
			expect((await command(client, tag ?? '', text ?? '')).at(-1)).toMatch(new RegExp(`^${tag} NO \\[CANNOT\\]`));
		}
		expect((await command(client, 'x1', 'EXAMINE INBOX')).at(-1)).toBe('x1 OK [READ-ONLY] EXAMINE completed');
		expect((await command(client, 'x2', 'FETCH 1 FLAGS'))[0]).toBe('* 1 FETCH (FLAGS ())');
		for (const [tag, text] of [
			['w1', 'STORE 1 +FLAGS (\\Seen)'],
			['w2', 'UID STORE 1 +FLAGS (\\Deleted)'],
			['w6', 'EXPUNGE'],
		]) {
			expect((await command(client, tag ?? '', text ?? '')).at(-1)).toMatch(new RegExp(`^${tag} NO \\[READ-ONLY\\]`));
		}
		expect((await command(client, 'w6', 'CREATE Archive')).at(-1)).toMatch(/^w6 NO \[CANNOT\]/);
		expect((await command(client, 'w7', 'DELETE INBOX')).at(-1)).toMatch(/^w7 NO \[CANNOT\]/);
		// APPEND with a synchronising literal is refused before the client sends the message.
		client.sendLine('w8 APPEND INBOX {20}');
		expect(await client.line()).toMatch(/^w8 NO \[CANNOT\]/);
		expect(await command(client, 'w9', 'NOOP')).toEqual(['w9 OK NOOP completed']);
		expect(await source.list('default')).toHaveLength(2);
		client.close();
	});

	it('answers bad input and commands in the wrong state without dropping the connection', async () => {
		const client = await RawClient.plain(server.ports.plain);
		await client.line();
		expect((await command(client, 'x1', 'SELECT INBOX')).at(-1)).toBe('x1 BAD SELECT is not valid now: log in first (LOGIN or AUTHENTICATE)');
		expect((await command(client, 'x2', 'FETCH 1 FLAGS')).at(-1)).toMatch(/^x2 BAD FETCH is not valid now/);
		expect((await command(client, 'x3', 'FROB')).at(-1)).toBe('x3 BAD Unknown command "FROB"');
		expect((await command(client, 'x4', 'LOGIN "unterminated')).at(-1)).toBe('x4 BAD Unterminated quoted string');
		client.send(Buffer.from([0x00, 0xff, 0x0d, 0x0a]));
		expect(await client.line()).toMatch(/^(\* BAD|\S+ BAD)/);
		client.sendLine('');
		expect(await client.line()).toMatch(/^\* BAD/);
		client.sendLine(`x5 NOOP ${'x'.repeat(10_000)}`);
		expect(await client.line()).toBe('x5 BAD Command line too long (limit 8192 octets)');
		client.sendLine('x6 LOGIN {99999999}');
		expect(await client.line()).toMatch(/^x6 BAD \[TOOBIG\] Literal too large/);
		// A login with literals: the server asks for each literal with a continuation.
		client.sendLine('x7 LOGIN {7}');
		expect(await client.line()).toBe('+ Ready for literal data');
		client.sendLine('learner {9}');
		expect(await client.line()).toBe('+ Ready for literal data');
		client.sendLine('secret-pw');
		expect(await client.line()).toMatch(/^x7 OK \[CAPABILITY IMAP4rev1 IDLE/);
		expect((await command(client, 'x8', 'LOGIN a b')).at(-1)).toMatch(/^x8 BAD LOGIN is not valid now: already logged in/);
		expect((await command(client, 'x9', 'SELECT Archive')).at(-1)).toMatch(/^x9 NO \[NONEXISTENT\]/);
		expect((await command(client, 'y1', 'FETCH 1 FLAGS')).at(-1)).toMatch(/^y1 BAD FETCH is not valid now: SELECT or EXAMINE INBOX first/);
		client.close();
	});

	it('refuses a non-synchronising literal of any size past the limit instead of reading its bytes as commands', async () => {
		const client = await RawClient.plain(server.ports.plain);
		await client.line();
		// Eleven digits were once taken for the end of the line, and the literal's bytes ran as the next command.
		client.send('z1 LOGIN {00000000013+}\r\nz2 CAPABILITY\r\n');
		expect(await client.line()).toBe('z1 BAD LOGIN needs a user name and a password');
		expect(await command(client, 'z3', 'NOOP')).toEqual(['z3 OK NOOP completed']);
		client.send('z4 LOGIN {99999999999+}\r\nz5 CAPABILITY\r\n');
		expect(await client.line()).toBe('z4 BAD [TOOBIG] Literal too large to send without a continuation (limit 4096 octets)');
		expect(await client.line()).toMatch(/^\* BYE /);
		await client.closed();
	});

	it('offers LITERAL- (RFC 7888): literals up to 4096 octets need no continuation, a larger one ends the session', async () => {
		const client = await RawClient.plain(server.ports.plain);
		expect(await client.line()).toMatch(/^\* OK \[CAPABILITY .* LITERAL-\]/);
		// Both literals arrive with the command, no "+" between them.
		client.send('n1 LOGIN {7+}\r\nlearner {9+}\r\nsecret-pw\r\n');
		expect(await client.line()).toMatch(/^n1 OK \[CAPABILITY .* LITERAL-\] Logged in/);
		expect((await command(client, 'n2a', 'EXAMINE INBOX')).at(-1)).toMatch(/^n2a OK/);
		client.send(`n2 SEARCH SUBJECT {4096+}\r\n${'a'.repeat(4096)}\r\n`);
		expect(await client.linesUntil(/^n2 /)).toEqual(['* SEARCH', 'n2 OK SEARCH completed']);
		client.send(`n3 SEARCH SUBJECT {4097+}\r\n${'a'.repeat(4097)}\r\n`);
		expect(await client.line()).toBe('n3 BAD [TOOBIG] Literal too large to send without a continuation (limit 4096 octets)');
		expect(await client.line()).toMatch(/^\* BYE /);
		await client.closed();
	});

	it('ends the session when a command line too long to read announced a literal sent without waiting', async () => {
		const client = await RawClient.plain(server.ports.plain);
		await client.line();
		// The dropped line's literal bytes would otherwise run as the next command: here, a LOGOUT.
		client.send(`o1 SEARCH TEXT "${'x'.repeat(9000)}" TEXT {20+}\r\no2 LOGOUT\r\nabcdefghi\r\n`);
		expect(await client.line()).toBe('o1 BAD [TOOBIG] Command line too long (limit 8192 octets)');
		expect(await client.line()).toMatch(/^\* BYE /);
		await client.closed();
		// A synchronising one waits for a continuation that never comes: the client hears BAD and goes on.
		const patient = await RawClient.plain(server.ports.plain);
		await patient.line();
		patient.send(`p1 SEARCH TEXT "${'x'.repeat(9000)}" TEXT {20}\r\n`);
		expect(await patient.line()).toBe('p1 BAD Command line too long (limit 8192 octets)');
		expect(await command(patient, 'p2', 'NOOP')).toEqual(['p2 OK NOOP completed']);
		patient.close();
	});

	it('keeps BAD answers on one line when a literal brings CR and LF into the error', async () => {
		const client = await loggedIn();
		client.sendLine('z3 SEARCH {10}');
		expect(await client.line()).toBe('+ Ready for literal data');
		client.send('a\r\nz4 NOOP\r\n');
		const lines = await client.linesUntil(/^z3 /);
		expect(lines).toEqual(['z3 BAD Unexpected string "a??z4 NOOP"']);
		expect(await command(client, 'z5', 'NOOP')).toEqual(['z5 OK NOOP completed']);
		// A zero-length literal: continuation, no bytes, then the rest of the command's line.
		client.sendLine('z6 SEARCH SUBJECT {0}');
		expect(await client.line()).toBe('+ Ready for literal data');
		client.sendLine(' ALL');
		expect(await client.linesUntil(/^z6 /)).toEqual(['* SEARCH 1 2', 'z6 OK SEARCH completed']);
		// CRLF cannot stand in a quoted string: the line ends there, and what follows is a line of its own.
		client.send('z7 SEARCH SUBJECT "ab\r\ncd" ALL\r\n');
		expect(await client.line()).toBe('z7 BAD Unterminated quoted string');
		expect(await client.line()).toBe('* BAD Missing or invalid tag');
		expect(await command(client, 'z8', 'NOOP')).toEqual(['z8 OK NOOP completed']);
		client.close();
	});

	it('lists INBOX, reports STATUS, and handles CLOSE and LOGOUT', async () => {
		const client = await loggedIn('lister', false);
		expect(await command(client, 'a', 'LIST "" "*"')).toEqual(['* LIST (\\HasNoChildren) "/" INBOX', 'a OK LIST completed']);
		expect(await command(client, 'b', 'LIST "" ""')).toEqual(['* LIST (\\Noselect) "/" ""', 'b OK LIST completed']);
		expect(await command(client, 'c', 'LSUB "" "%"')).toEqual(['* LSUB (\\HasNoChildren) "/" INBOX', 'c OK LSUB completed']);
		expect(await command(client, 'd', 'LIST "" "Sent*"')).toEqual(['d OK LIST completed']);
		expect((await command(client, 'e', 'STATUS INBOX (MESSAGES UIDNEXT UNSEEN)'))[0]).toBe('* STATUS INBOX (MESSAGES 2 UIDNEXT 3 UNSEEN 2)');
		const examine = await command(client, 'f', 'EXAMINE INBOX');
		expect(examine).toContain('* 2 EXISTS');
		expect(examine).toContain('* 0 RECENT');
		expect(examine).toContain('* OK [PERMANENTFLAGS ()] Read-only (EXAMINE)');
		expect(examine.some((l) => /^\* OK \[UIDVALIDITY \d+\]/.test(l))).toBe(true);
		expect(examine).toContain('* OK [UIDNEXT 3] Predicted next UID');
		expect(await command(client, 'g', 'CLOSE')).toEqual(['g OK CLOSE completed']);
		expect((await command(client, 'h', 'FETCH 1 FLAGS')).at(-1)).toMatch(/^h BAD/);
		expect(await command(client, 'i', 'LOGOUT')).toEqual(['* BYE Postlab IMAP sandbox logging out', 'i OK LOGOUT completed']);
		await client.closed();
	});

	it('tells an IDLE client about new mail as it arrives', async () => {
		const own = new MemoryMailboxSource();
		own.add('default', simple);
		const idleServer = await startImapServer({ source: own, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0 });
		try {
			const client = await RawClient.tls(idleServer.ports.tls, cert.cert);
			await client.line();
			await command(client, 'a', 'LOGIN u p');
			await command(client, 'b', 'SELECT INBOX');
			client.sendLine('c IDLE');
			expect(await client.line()).toBe('+ idling');
			own.add('default', multipart);
			expect(await client.line()).toBe('* 2 EXISTS');
			client.sendLine('DONE');
			expect(await client.line()).toBe('c OK IDLE terminated');
			expect((await command(client, 'd', 'UID FETCH 2 (RFC822.SIZE)'))[0]).toBe(`* 2 FETCH (UID 2 RFC822.SIZE ${Buffer.byteLength(multipart)})`);
			// Mail that arrives outside IDLE is announced with the next command's answers.
			own.add('default', simple);
			expect(await command(client, 'e', 'NOOP')).toEqual(['* 3 EXISTS', 'e OK NOOP completed']);
			client.close();
		} finally {
			await idleServer.close();
		}
	});

	it('announces messages removed from the store with EXPUNGE at NOOP', async () => {
		const own = new MemoryMailboxSource();
		const first = own.add('default', simple);
		own.add('default', multipart);
		const s = await startImapServer({ source: own, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0 });
		try {
			const client = await RawClient.plain(s.ports.plain);
			await client.line();
			await command(client, 'a', 'LOGIN u p');
			await command(client, 'b', 'SELECT INBOX');
			await own.remove('default', [first.id]);
			expect(await command(client, 'c', 'NOOP')).toEqual(['* 1 EXPUNGE', 'c OK NOOP completed']);
			expect((await command(client, 'd', 'FETCH 1 (UID)'))[0]).toBe('* 1 FETCH (UID 2)');
			client.close();
		} finally {
			await s.close();
		}
	});

	it('upgrades with STARTTLS, drops commands sent before the handshake, and re-announces capabilities', async () => {
		const ended = transcripts.of('tls-user');
		const client = await RawClient.plain(server.ports.plain);
		await client.line();
		client.send('t1 STARTTLS\r\nt2 LOGIN injected pw\r\n');
		expect(await client.line()).toBe('t1 OK Begin TLS negotiation now');
		await client.upgrade(cert.cert);
		const caps = await command(client, 't3', 'CAPABILITY');
		expect(caps[0]).not.toContain('STARTTLS');
		expect(caps[0]).toContain('AUTH=PLAIN');
		expect((await command(client, 't4', 'STARTTLS')).at(-1)).toMatch(/^t4 BAD TLS is already active/);
		await command(client, 't5', 'LOGIN tls-user pw');
		await command(client, 't6', 'LOGOUT');
		await client.closed();
		const transcript = await ended;
		expect(transcript.tls).toBe('starttls');
		expect(transcript.entries.some((e) => e.event === 'tls')).toBe(true);
		expect(transcript.entries.some((e) => e.line.includes('injected'))).toBe(false);
	});

	it('records sessions with passwords and AUTHENTICATE payloads redacted and bodies elided', async () => {
		const ended = transcripts.of('secret-user');
		const client = await RawClient.plain(server.ports.plain);
		await client.line();
		expect((await command(client, 'a', 'LOGIN secret-user wrong-pw-1')).at(-1)).toMatch(/^a OK/);
		await command(client, 'b', 'SELECT INBOX');
		await command(client, 'c', 'FETCH 2 BODY.PEEK[]');
		await command(client, 'd', 'LOGOUT');
		await client.closed();
		const transcript = await ended;
		const text = transcript.entries.map((e) => e.line).join('\n');
		expect(text).toContain('a LOGIN "secret-user" [redacted]');
		expect(text).not.toContain('wrong-pw-1');
		expect(text).not.toContain('report attached');
		expect(text).toContain(`[${Buffer.byteLength(multipart)} octets elided]`);

		const saslEnded = transcripts.of('sasl-user');
		const sasl = await RawClient.plain(server.ports.plain);
		await sasl.line();
		const payload = Buffer.from('\0sasl-user\0sasl-secret').toString('base64');
		sasl.sendLine('s1 AUTHENTICATE PLAIN');
		expect(await sasl.line()).toBe('+ ');
		sasl.sendLine(payload);
		expect(await sasl.line()).toMatch(/^s1 OK/);
		await command(sasl, 's2', 'LOGOUT');
		await sasl.closed();
		const saslText = (await saslEnded).entries.map((e) => e.line).join('\n');
		expect(saslText).not.toContain(payload);
		expect(saslText).not.toContain('sasl-secret');
		expect(saslText).toContain('[redacted]');
	});

	it('redacts whatever follows LOGIN or AUTHENTICATE, however malformed, and never echoes it', async () => {
		const secrets = ['unclosed-secret-1', 'glued-secret-2', 'tab-secret-3', 'lower-secret-4', 'quote"d-secret-5'];
		const ended = transcripts.of('malformed-imap');
		const client = await RawClient.plain(server.ports.plain);
		await client.line();
		const bad = await command(client, 'a', `LOGIN "malformed-imap" "${secrets[0]}`);
		expect(bad.at(-1)).toMatch(/^a BAD/);
		expect((await command(client, 'b', `LOGIN${secrets[1]} x`)).at(-1)).toMatch(/^b BAD Unknown command$/);
		await command(client, 'c', `LOGIN\tmalformed-imap\t${secrets[2]}`);
		expect((await command(client, 'q', `LOGIN malformed-imap ${secrets[4]}`)).at(-1)).toBe('q BAD Malformed login command');
		expect((await command(client, 'd', `login malformed-imap ${secrets[3]}`)).at(-1)).toMatch(/^d (OK|NO)/);
		await command(client, 'e', 'LOGOUT');
		await client.closed();
		const text = (await ended).entries.map((e) => e.line).join('\n');
		for (const secret of secrets) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
		expect(text).toContain('a LOGIN [redacted]');
		expect(text).toContain('b LOGIN [redacted]');
	});

	it('serves a 10 MB message intact', { timeout: 30_000 }, async () => {
		const line = `${'abcdefghij'.repeat(7)}\r\n`;
		const big = Buffer.from(`From: big@example.test\r\nSubject: big\r\n\r\n.dot first\r\n${line.repeat(Math.ceil((10 * 1024 * 1024) / line.length))}`);
		const own = new MemoryMailboxSource();
		own.add('default', big);
		const s = await startImapServer({ source: own, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0 });
		try {
			const client = await RawClient.tls(s.ports.tls, cert.cert);
			await client.line();
			await command(client, 'a', 'LOGIN u p');
			await command(client, 'b', 'SELECT INBOX');
			client.sendLine('c UID FETCH 1 (RFC822.SIZE BODY.PEEK[])');
			expect(await client.line()).toBe(`* 1 FETCH (UID 1 RFC822.SIZE ${big.length} BODY[] {${big.length}}`);
			expect(sha256(await client.bytes(big.length))).toBe(sha256(big));
			expect(await client.line()).toBe(')');
			expect(await client.line()).toBe('c OK UID FETCH completed');
			client.close();
		} finally {
			await s.close();
		}
	});

	it('serves 50 concurrent connections', { timeout: 30_000 }, async () => {
		const clients = await Promise.all(Array.from({ length: 50 }, () => RawClient.plain(server.ports.plain)));
		await Promise.all(
			clients.map(async (client, index) => {
				await client.line();
				await command(client, 'a', `LOGIN user${index} pw`);
				await command(client, 'b', 'EXAMINE INBOX');
				expect((await command(client, 'c', 'UID FETCH 1:* (UID)')).length).toBe(3);
				await command(client, 'd', 'LOGOUT');
				await client.closed();
			}),
		);
	});

	it('turns away connections over the limit with a BYE', async () => {
		const { greeting, refusal } = await greetingAndRefusal(startImapServer, source, cert);
		expect(greeting).toMatch(/^\* OK/);
		expect(refusal).toMatch(/^\* BYE \[UNAVAILABLE\] Too many connections/);
	});
});

describe('new mail outside IDLE', () => {
	it('is announced with EXISTS before the tagged answer of the next command', async () => {
		const own = new MemoryMailboxSource();
		own.add('default', simple);
		const s = await startImapServer({ source: own, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0 });
		try {
			const client = await RawClient.plain(s.ports.plain);
			await client.line();
			await command(client, 'a', 'LOGIN u p');
			await command(client, 'b', 'EXAMINE INBOX');
			own.add('default', multipart);
			expect(await command(client, 'c', 'UID SEARCH ALL')).toEqual(['* SEARCH 1', '* 2 EXISTS', 'c OK UID SEARCH completed']);
			client.close();
		} finally {
			await s.close();
		}
	});
});
