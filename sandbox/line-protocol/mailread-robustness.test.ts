/**
 * Behaviour both servers share: idle timeouts, CRLF normalisation of stored mail, survival of garbage
 * and of clients that pipeline far more than they read.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImapServer } from '../imap/imap-server.ts';
import { startPop3Server } from '../pop3/pop3-server.ts';
import { acceptAnyLogin } from './mailbox-source.ts';
import { MemoryMailboxSource } from './memory-source.ts';
import type { RunningMailReadServer } from './server-options.ts';
import { makeTestCert, RawClient, sha256, type TestCert } from '../testing/pop3-imap-fixtures.ts';

/** Stored with bare LF line ends, as a message written by hand into the store might be. */
const bareLf = 'From: lf@example.test\nSubject: bare LF\n\n.first line\nsecond line\n';
const servedCrlf = Buffer.from(bareLf.replace(/\n/g, '\r\n'));

let cert: TestCert;
let source: MemoryMailboxSource;
let pop3: RunningMailReadServer;
let imap: RunningMailReadServer;

beforeAll(async () => {
	cert = await makeTestCert();
	source = new MemoryMailboxSource();
	source.add('default', bareLf);
	pop3 = await startPop3Server({ source, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0 });
	imap = await startImapServer({ source, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0 });
});

afterAll(async () => {
	await Promise.all([pop3.close(), imap.close()]);
});

describe('idle timeouts', () => {
	it('POP3 closes a silent connection (autologout, no UPDATE)', async () => {
		const quick = await startPop3Server({ source, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0, idleTimeoutMs: 150 });
		try {
			const client = await RawClient.plain(quick.ports.plain);
			expect(await client.line()).toMatch(/^\+OK/);
			await client.closed();
			expect(client.ended).toBe(true);
		} finally {
			await quick.close();
		}
	});

	it('IMAP says BYE before closing a silent connection', async () => {
		// Plain port: a TLS handshake slower than the timeout (a busy test machine) would end the
		// connection before the session exists, silently and correctly, but then there is no BYE to see.
		const quick = await startImapServer({ source, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0, idleTimeoutMs: 400 });
		try {
			const client = await RawClient.plain(quick.ports.plain);
			expect(await client.line()).toMatch(/^\* OK/);
			expect(await client.line()).toBe('* BYE Idle for too long, logging out');
			await client.closed();
		} finally {
			await quick.close();
		}
	});
});

describe('CRLF normalisation', () => {
	it('POP3 serves bare-LF mail with CRLF and reports the served size', async () => {
		const client = await RawClient.plain(pop3.ports.plain);
		await client.line();
		client.sendLine('USER u');
		await client.line();
		client.sendLine('PASS p');
		expect(await client.line()).toBe(`+OK 1 messages (${servedCrlf.length} octets)`);
		client.sendLine('RETR 1');
		expect(await client.line()).toBe(`+OK ${servedCrlf.length} octets`);
		expect(await client.linesUntil(/^\.$/)).toEqual(['From: lf@example.test', 'Subject: bare LF', '', '..first line', 'second line', '.']);
		client.close();
	});

	it('IMAP serves bare-LF mail with CRLF and an RFC822.SIZE that matches the bytes', async () => {
		const client = await RawClient.plain(imap.ports.plain);
		await client.line();
		client.sendLine('a LOGIN u p');
		await client.linesUntil(/^a OK/);
		client.sendLine('b EXAMINE INBOX');
		await client.linesUntil(/^b OK/);
		client.sendLine('c FETCH 1 (RFC822.SIZE RFC822)');
		expect(await client.line()).toBe(`* 1 FETCH (RFC822.SIZE ${servedCrlf.length} RFC822 {${servedCrlf.length}}`);
		expect(sha256(await client.bytes(servedCrlf.length))).toBe(sha256(servedCrlf));
		client.close();
	});
});

describe('garbage and floods', () => {
	for (const protocol of ['pop3', 'imap'] as const) {
		it(`${protocol}: random bytes never crash the server`, async () => {
			const server = protocol === 'pop3' ? pop3 : imap;
			for (let round = 0; round < 5; round += 1) {
				const client = await RawClient.plain(server.ports.plain);
				await client.line();
				for (let i = 0; i < 50; i += 1) client.send(randomBytes(200 + i * 37));
				client.send('\r\n');
				client.close();
			}
			// A garbage line that ends in a literal marker must not leave the parser waiting for ever.
			const literalGarbage = await RawClient.plain(server.ports.plain);
			await literalGarbage.line();
			literalGarbage.send('x {5}\r\nabcde\r\n');
			expect(await literalGarbage.line()).toMatch(/^(\+|-ERR|\* BAD|x BAD)/);
			literalGarbage.close();
			const healthy = await RawClient.plain(server.ports.plain);
			expect(await healthy.line()).toMatch(protocol === 'pop3' ? /^\+OK/ : /^\* OK/);
			healthy.close();
		});

		it(`${protocol}: a client that pipelines thousands of commands gets every answer in order`, { timeout: 30_000 }, async () => {
			const server = protocol === 'pop3' ? pop3 : imap;
			const client = await RawClient.plain(server.ports.plain);
			await client.line();
			const count = 3000;
			const batch = Array.from({ length: count }, (_, i) => (protocol === 'pop3' ? 'CAPA\r\n' : `n${i} NOOP\r\n`)).join('');
			client.send(batch);
			for (let i = 0; i < count; i += 1) {
				if (protocol === 'pop3') expect((await client.linesUntil(/^\.$/))[0]).toBe('+OK Capability list follows');
				else expect(await client.line()).toBe(`n${i} OK NOOP completed`);
			}
			client.close();
		});
	}
});

describe('a Thunderbird-like IMAP session', () => {
	it('gets through capability, SASL-IR login, ID, namespace, folder listing, header and body fetches', async () => {
		const own = new MemoryMailboxSource();
		const raw = Buffer.from('From: a@example.test\r\nTo: b@example.test\r\nSubject: hi\r\nContent-Type: text/plain\r\n\r\nbody\r\n');
		own.add('default', raw);
		const server = await startImapServer({ source: own, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0 });
		try {
			const client = await RawClient.tls(server.ports.tls, cert.cert);
			const run = async (tag: string, text: string): Promise<string[]> => {
				client.sendLine(`${tag} ${text}`);
				return client.linesUntil(new RegExp(`^${tag} (OK|NO|BAD)`));
			};
			await client.line();
			expect((await run('1', 'capability'))[0]).toContain('AUTH=PLAIN');
			expect((await run('2', `authenticate PLAIN ${Buffer.from('\0user@example.test\0pw').toString('base64')}`)).at(-1)).toMatch(/^2 OK/);
			expect((await run('3', 'ID ("name" "Thunderbird" "version" "140.0")')).at(-1)).toMatch(/^3 OK/);
			expect((await run('4', 'namespace'))[0]).toBe('* NAMESPACE (("" "/")) NIL NIL');
			expect((await run('5', 'lsub "" "*"'))[0]).toBe('* LSUB (\\HasNoChildren) "/" INBOX');
			expect((await run('6', 'list "" "INBOX"'))[0]).toBe('* LIST (\\HasNoChildren) "/" INBOX');
			expect((await run('7', 'select "INBOX"')).at(-1)).toMatch(/^7 OK \[READ-WRITE\]/);
			expect(await run('8', 'UID fetch 1:* (FLAGS)')).toEqual(['* 1 FETCH (UID 1 FLAGS ())', '8 OK UID FETCH completed']);
			client.sendLine(
				'9 UID fetch 1 (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To)])',
			);
			const head = await client.line();
			expect(head).toMatch(/^\* 1 FETCH \(UID 1 RFC822\.SIZE \d+ FLAGS \(\) BODY\[HEADER\.FIELDS \(FROM TO CC BCC SUBJECT DATE MESSAGE-ID PRIORITY X-PRIORITY REFERENCES NEWSGROUPS IN-REPLY-TO CONTENT-TYPE REPLY-TO\)\] \{\d+\}$/);
			await client.bytes(Number(/\{(\d+)\}$/.exec(head)?.[1]));
			await client.linesUntil(/^9 OK/);
			client.sendLine('10 UID fetch 1 (UID RFC822.SIZE BODY.PEEK[]<0.65536>)');
			expect(await client.line()).toBe(`* 1 FETCH (UID 1 RFC822.SIZE ${raw.length} BODY[]<0> {${raw.length}}`);
			expect((await client.bytes(raw.length)).equals(raw)).toBe(true);
			await client.linesUntil(/^10 OK/);
			// Marking read reaches the store; deleting is \Deleted then UID EXPUNGE (RFC 4315), as Thunderbird does it.
			expect(await run('11', 'UID store 1 +FLAGS (\\Seen)')).toEqual(['* 1 FETCH (UID 1 FLAGS (\\Seen))', '11 OK UID STORE completed']);
			expect((await own.list('default'))[0]?.flags).toEqual(['\\Seen']);
			expect(await run('12', 'UID expunge 1')).toEqual(['12 OK UID EXPUNGE completed']);
			expect(await run('13', 'UID store 1 +FLAGS.SILENT (\\Deleted)')).toEqual(['13 OK UID STORE completed']);
			expect(await run('14', 'UID expunge 1')).toEqual(['* 1 EXPUNGE', '14 OK UID EXPUNGE completed']);
			expect(await own.list('default')).toEqual([]);
			client.close();
		} finally {
			await server.close();
		}
	});
});

describe('a real client library end to end', () => {
	it('imaplib sees mail that arrives while it IDLEs', { timeout: 30_000 }, async () => {
		const own = new MemoryMailboxSource();
		own.add('default', 'Subject: one\r\n\r\n1\r\n');
		const server = await startImapServer({ source: own, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0 });
		const script = `
import imaplib, sys
imap = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=20)
imap.login('u', 'p')
imap.select('INBOX', readonly=True)
tag = imap._new_tag().decode()
imap.send(f'{tag} IDLE\\r\\n'.encode())
assert imap.readline().startswith(b'+')
print('idling', flush=True)
line = imap.readline()
imap.send(b'DONE\\r\\n')
print(line.decode().strip(), flush=True)
`;
		try {
			// The new message is stored once Python reports it is idling; no timers involved.
			const child = spawn('python3', ['-c', script, String(server.ports.plain)]);
			let output = '';
			const finished = new Promise<string>((resolve, reject) => {
				child.stdout.on('data', (chunk: Buffer) => {
					output += chunk.toString();
					if (output.includes('idling') && !output.includes('added')) {
						output += 'added\n';
						own.add('default', 'Subject: two\r\n\r\n2\r\n');
					}
				});
				child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`python exited ${code}`))));
			});
			expect(await finished).toContain('* 2 EXISTS');
		} finally {
			await server.close();
		}
	});
});


describe('requireTlsForLogin (classroom mode)', () => {
	it('POP3 refuses USER in plain text and accepts it after STLS', async () => {
		const strict = await startPop3Server({ source, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0, requireTlsForLogin: true });
		try {
			const client = await RawClient.plain(strict.ports.plain);
			await client.line();
			client.sendLine('CAPA');
			expect(await client.linesUntil(/^\.$/)).not.toContain('USER');
			client.sendLine('USER u');
			expect(await client.line()).toMatch(/^-ERR \[SYS\/PERM\] Use STLS/);
			client.sendLine('STLS');
			await client.line();
			await client.upgrade(cert.cert);
			client.sendLine('USER u');
			expect(await client.line()).toMatch(/^\+OK/);
			client.sendLine('PASS p');
			expect(await client.line()).toMatch(/^\+OK 1 messages/);
			client.close();
		} finally {
			await strict.close();
		}
	});

	it('IMAP advertises LOGINDISABLED and answers PRIVACYREQUIRED until TLS', async () => {
		const strict = await startImapServer({ source, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0, requireTlsForLogin: true });
		try {
			const plain = await RawClient.plain(strict.ports.plain);
			expect(await plain.line()).toMatch(/STARTTLS LOGINDISABLED/);
			plain.sendLine('a LOGIN u p');
			expect(await plain.line()).toMatch(/^a NO \[PRIVACYREQUIRED\]/);
			plain.sendLine(`b AUTHENTICATE PLAIN ${Buffer.from('\0u\0p').toString('base64')}`);
			expect(await plain.line()).toMatch(/^b NO \[PRIVACYREQUIRED\]/);
			plain.close();
			const secure = await RawClient.tls(strict.ports.tls, cert.cert);
			expect(await secure.line()).toMatch(/AUTH=PLAIN/);
			secure.sendLine('c LOGIN u p');
			expect(await secure.line()).toMatch(/^c OK/);
			secure.close();
		} finally {
			await strict.close();
		}
	});
});
