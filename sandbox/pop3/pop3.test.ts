import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptAnyLogin, type Authenticator } from '../line-protocol/mailbox-source.ts';
import { MemoryMailboxSource } from '../line-protocol/memory-source.ts';
import { greetingAndRefusal, makeTestCert, RawClient, runPython, SessionTranscripts, sha256, testServerOptions, type TestCert } from '../testing/pop3-imap-fixtures.ts';
import type { RunningMailReadServer } from '../line-protocol/server-options.ts';
import { startPop3Server } from './pop3-server.ts';

const message = [
	'From: Alice <alice@example.test>',
	'To: Bob <bob@example.test>',
	'Subject: =?UTF-8?B?7JWI64WV?= hello',
	'Date: Tue, 01 Dec 2026 10:00:00 +0000',
	'Message-ID: <m1@example.test>',
	'',
	'First line',
	// RFC 5322 §2.1.1 allows 998 characters; poplib refuses lines over 2048, so this is the longest that is fair.
	`.${'x'.repeat(997)}`,
	'.a line that starts with a dot',
	'..two dots',
	'.',
	'안녕하세요',
	'',
].join('\r\n');

const POPLIB = `
import poplib, ssl, sys, hashlib, json
mode, port, cafile, user, password = sys.argv[1:6]
ctx = ssl.create_default_context(cafile=cafile)
if mode == 'tls':
    pop = poplib.POP3_SSL('localhost', int(port), context=ctx, timeout=20)
else:
    pop = poplib.POP3('localhost', int(port), timeout=20)
    if mode == 'stls':
        pop.stls(context=ctx)
capa = sorted(pop.capa().keys())
pop.user(user)
pop.pass_(password)
count, size = pop.stat()
resp, lines, octets = pop.retr(count)
data = b'\\r\\n'.join(lines) + b'\\r\\n'
uidl = pop.uidl(count).decode()
listed = int(pop.list(count).decode().split()[2])
pop.quit()
print(json.dumps({'count': count, 'sha': hashlib.sha256(data).hexdigest(), 'len': len(data), 'uidl': uidl, 'listed': listed, 'capa': capa}))
`;

let cert: TestCert;
let source: MemoryMailboxSource;
let server: RunningMailReadServer;
const transcripts = new SessionTranscripts();

beforeAll(async () => {
	cert = await makeTestCert();
	source = new MemoryMailboxSource();
	source.add('default', 'From: a@example.test\r\nSubject: older\r\n\r\nolder body\r\n');
	source.add('default', message);
	server = await startPop3Server({ ...testServerOptions(source, cert), onSession: transcripts.onSession });
});

afterAll(async () => {
	await server.close();
});

async function login(client: RawClient, user = 'learner', greeted = false): Promise<void> {
	if (!greeted) expect(await client.line()).toMatch(/^\+OK/);
	client.sendLine(`USER ${user}`);
	expect(await client.line()).toMatch(/^\+OK/);
	client.sendLine('PASS secret-pass');
	expect(await client.line()).toMatch(/^\+OK 2 messages/);
}

describe('POP3 with Python poplib', () => {
	const newest = () => Buffer.from(message, 'utf8');

	for (const mode of ['plain', 'stls', 'tls'] as const) {
		// Python takes a couple of seconds to start on a busy machine.
		it(`reads the newest message byte for byte over ${mode}`, { timeout: 30_000 }, async () => {
			const port = mode === 'tls' ? server.ports.tls : server.ports.plain;
			const out = JSON.parse(await runPython(POPLIB, [mode, String(port), cert.certPath, 'learner', 'pw'])) as {
				count: number;
				sha: string;
				len: number;
				uidl: string;
				listed: number;
				capa: string[];
			};
			expect(out.count).toBe(2);
			expect(out.sha).toBe(sha256(newest()));
			expect(out.len).toBe(newest().length);
			expect(out.listed).toBe(newest().length);
			expect(out.uidl).toBe(`+OK 2 ${(await source.list('default'))[1]?.id}`);
			expect(out.capa).toContain('UIDL');
			expect(out.capa.includes('STLS')).toBe(mode === 'plain');
		});
	}
});

describe('POP3 over a raw socket', () => {
	it('dot-stuffs lines that start with a dot and ends the body with a lone dot', async () => {
		const client = await RawClient.plain(server.ports.plain);
		await login(client);
		client.sendLine('RETR 2');
		expect(await client.line()).toBe(`+OK ${Buffer.byteLength(message)} octets`);
		const lines = await client.linesUntil(/^\.$/);
		expect(lines).toContain('..a line that starts with a dot');
		expect(lines).toContain('...two dots');
		expect(lines).toContain('..');
		expect(lines.at(-2)).toBe('안녕하세요');
		client.sendLine('QUIT');
		await client.closed();
	});

	it('answers TOP with the header and the first body lines only', async () => {
		const client = await RawClient.plain(server.ports.plain);
		await login(client);
		client.sendLine('TOP 2 1');
		expect(await client.line()).toMatch(/^\+OK/);
		const lines = await client.linesUntil(/^\.$/);
		expect(lines.slice(-3)).toEqual(['', 'First line', '.']);
		expect(lines[0]).toBe('From: Alice <alice@example.test>');
		client.close();
	});

	it('refuses commands in the wrong state and unknown commands, and keeps going', async () => {
		const client = await RawClient.plain(server.ports.plain);
		expect(await client.line()).toMatch(/^\+OK/);
		client.sendLine('STAT');
		expect(await client.line()).toMatch(/^-ERR Command not valid in this state/);
		client.sendLine('PASS nouser');
		expect(await client.line()).toMatch(/^-ERR Send USER first/);
		client.sendLine('HELLO world');
		expect(await client.line()).toBe('-ERR Unknown command "HELLO"');
		client.send(Buffer.from([0x00, 0xff, 0x1b, 0x0d, 0x0a]));
		expect(await client.line()).toMatch(/^-ERR Unknown command/);
		client.sendLine(`NOOP ${'x'.repeat(2000)}`);
		expect(await client.line()).toMatch(/^-ERR Line too long/);
		await login(client, 'learner', true);
		client.sendLine('USER again');
		expect(await client.line()).toMatch(/^-ERR Command not valid in this state \(already logged in\)/);
		client.sendLine('RETR 99');
		expect(await client.line()).toMatch(/^-ERR No message 99/);
		client.sendLine('RETR abc');
		expect(await client.line()).toMatch(/^-ERR Give a message number/);
		client.sendLine('STLS');
		expect(await client.line()).toMatch(/^-ERR STLS is only allowed before login/);
		client.sendLine('NOOP');
		expect(await client.line()).toBe('+OK');
		client.close();
	});

	it('marks with DELE, unmarks with RSET, and keeps the mail after QUIT when read-only', async () => {
		const readOnly = await startPop3Server({ source, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0, readOnly: true });
		const client = await RawClient.plain(readOnly.ports.plain);
		await login(client);
		client.sendLine('DELE 1');
		expect(await client.line()).toMatch(/^\+OK Message 1 marked for deletion/);
		client.sendLine('RETR 1');
		expect(await client.line()).toMatch(/^-ERR Message 1 is marked as deleted/);
		client.sendLine('STAT');
		expect(await client.line()).toBe(`+OK 1 ${Buffer.byteLength(message)}`);
		client.sendLine('LIST');
		expect(await client.linesUntil(/^\.$/)).toEqual(['+OK 1 messages', `2 ${Buffer.byteLength(message)}`, '.']);
		client.sendLine('RSET');
		expect(await client.line()).toBe('+OK 2 messages');
		client.sendLine('DELE 1');
		expect(await client.line()).toMatch(/^\+OK/);
		client.sendLine('QUIT');
		expect(await client.line()).toMatch(/^\+OK Signing off \(1 marked messages kept: this sandbox is read-only/);
		await client.closed();
		await readOnly.close();
		expect(await source.list('default')).toHaveLength(2);
	});

	it('records the session with the password redacted and the body elided', async () => {
		const ended = transcripts.of('redaction-check');
		const client = await RawClient.plain(server.ports.plain);
		await login(client, 'redaction-check');
		client.sendLine('RETR 2');
		await client.linesUntil(/^\.$/);
		client.sendLine('QUIT');
		await client.closed();
		const transcript = await ended;
		const text = transcript.entries.map((e) => e.line).join('\n');
		expect(text).toContain('PASS [redacted]');
		expect(text).not.toContain('secret-pass');
		expect(text).not.toContain('First line');
		expect(text).toContain(`[${Buffer.byteLength(message)} octets of message data elided]`);
		expect(transcript.user).toBe('redaction-check');
		expect(transcript.protocol).toBe('pop3');
		expect(server.transcripts().some((t) => t.id === transcript.id)).toBe(true);
	});

	it('redacts whatever follows PASS or AUTH, however malformed, and never echoes it', async () => {
		const ended = transcripts.of('malformed-pop');
		const client = await RawClient.plain(server.ports.plain);
		expect(await client.line()).toMatch(/^\+OK/);
		const secrets = ['glued-secret-1', 'plain-secret-2', 'sasl-secret-3', 'tab-secret-4', 'spaced-secret-5'];
		const b64 = (text: string) => Buffer.from(`\0malformed-pop\0${text}`).toString('base64');
		for (const line of ['USER malformed-pop', `PASS${secrets[0]}`, `AUTH PLAIN ${b64(secrets[1]!)}`, b64(secrets[2]!), `pass\t${secrets[3]}`, `PASS   ${secrets[4]}`, 'QUIT']) {
			client.sendLine(line);
			await client.line();
		}
		await client.closed();
		const transcript = await ended;
		const text = transcript.entries.map((e) => e.line).join('\n');
		for (const secret of [...secrets, b64(secrets[1]!), b64(secrets[2]!)]) {
			expect(text).not.toContain(secret);
			expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
		}
		expect(text).toContain('PASS [redacted]');
		expect(text).toContain('AUTH PLAIN [redacted]');
		// The tab-separated PASS was read as PASS: it logged in.
		expect(transcript.user).toBe('malformed-pop');
	});

	it('upgrades with STLS, records the TLS event and ignores commands sent before the handshake', async () => {
		const ended = transcripts.of('stls-check');
		const client = await RawClient.plain(server.ports.plain);
		expect(await client.line()).toMatch(/^\+OK/);
		// A command injected right behind STLS must be dropped, not run after the upgrade.
		client.send('STLS\r\nUSER injected\r\n');
		expect(await client.line()).toBe('+OK Begin TLS negotiation');
		await client.upgrade(cert.cert);
		client.sendLine('CAPA');
		const capa = await client.linesUntil(/^\.$/);
		expect(capa).not.toContain('STLS');
		client.sendLine('PASS x');
		expect(await client.line()).toMatch(/^-ERR Send USER first/);
		await login(client, 'stls-check', true);
		client.sendLine('QUIT');
		await client.closed();
		const transcript = await ended;
		expect(transcript.tls).toBe('starttls');
		expect(transcript.entries.some((e) => e.event === 'tls')).toBe(true);
	});

	it('serves a 10 MB message intact', { timeout: 30_000 }, async () => {
		const line = `${'0123456789'.repeat(7)}\r\n`;
		const body = line.repeat(Math.ceil((10 * 1024 * 1024) / line.length));
		const big = Buffer.from(`From: big@example.test\r\nSubject: big\r\n\r\n.dot first\r\n${body}`);
		const ref = source.add('big', big);
		const bigAuth: Authenticator = { authenticate: async () => 'big' };
		const bigServer = await startPop3Server({ source, authenticator: bigAuth, tls: cert, port: 0, tlsPort: 0 });
		try {
			const client = await RawClient.tls(bigServer.ports.tls, cert.cert);
			expect(await client.line()).toMatch(/^\+OK/);
			client.sendLine('USER u');
			await client.line();
			client.sendLine('PASS p');
			expect(await client.line()).toBe(`+OK 1 messages (${big.length} octets)`);
			client.sendLine('UIDL 1');
			expect(await client.line()).toBe(`+OK 1 ${ref.id}`);
			client.sendLine('RETR 1');
			expect(await client.line()).toBe(`+OK ${big.length} octets`);
			// Stuffing adds one byte for the dotted line; the terminator adds three.
			const received = await client.bytes(big.length + 1 + 3);
			const unstuffed = Buffer.from(received.toString('latin1').replace(/(^|\n)\./g, '$1'), 'latin1').subarray(0, big.length);
			expect(received.subarray(-5).toString()).toBe('\r\n.\r\n');
			expect(sha256(unstuffed)).toBe(sha256(big));
			client.close();
		} finally {
			await bigServer.close();
		}
	});

	it('serves 50 concurrent connections', { timeout: 30_000 }, async () => {
		const clients = await Promise.all(Array.from({ length: 50 }, () => RawClient.plain(server.ports.plain)));
		await Promise.all(
			clients.map(async (client) => {
				await login(client);
				client.sendLine('STAT');
				expect(await client.line()).toMatch(/^\+OK 2 /);
				client.sendLine('QUIT');
				await client.closed();
			}),
		);
	});

	it('turns away connections over the limit with a POP3 answer', async () => {
		const { greeting, refusal } = await greetingAndRefusal(startPop3Server, source, cert);
		expect(greeting).toMatch(/^\+OK/);
		expect(refusal).toMatch(/^-ERR \[SYS\/TEMP\] Too many connections/);
	});

	it('removes marked messages at QUIT (RFC 1939 UPDATE state)', async () => {
		const own = new MemoryMailboxSource();
		own.add('default', 'Subject: one\r\n\r\n1\r\n');
		own.add('default', 'Subject: two\r\n\r\n2\r\n');
		const deleting = await startPop3Server({ source: own, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0 });
		try {
			const client = await RawClient.plain(deleting.ports.plain);
			await client.line();
			client.sendLine('USER u');
			await client.line();
			client.sendLine('PASS p');
			await client.line();
			client.sendLine('DELE 1');
			await client.line();
			client.sendLine('QUIT');
			expect(await client.line()).toBe('+OK Signing off (1 messages deleted)');
			await client.closed();
			expect((await own.list('default')).length).toBe(1);
		} finally {
			await deleting.close();
		}
	});

	it('logs in with AUTH PLAIN (RFC 5034): initial response or after "+ ", a wrong password refused, "*" cancels', async () => {
		const refusing: Authenticator = { authenticate: async (user, password) => (user === 'ann' && password === 'right' ? 'default' : null) };
		const strict = await startPop3Server({ source, authenticator: refusing, tls: cert, port: 0, tlsPort: 0 });
		const plain = (user: string, password: string) => Buffer.from(`\0${user}\0${password}`).toString('base64');
		try {
			const client = await RawClient.plain(strict.ports.plain);
			await client.line();
			client.sendLine('CAPA');
			expect(await client.linesUntil(/^\.$/)).toContain('SASL PLAIN');
			client.sendLine('AUTH');
			expect(await client.linesUntil(/^\.$/)).toEqual(['+OK Supported mechanisms follow', 'PLAIN', '.']);
			client.sendLine('AUTH CRAM-MD5');
			expect(await client.line()).toMatch(/^-ERR Unsupported mechanism/);
			client.sendLine('AUTH PLAIN');
			expect(await client.line()).toBe('+ ');
			client.sendLine('*');
			expect(await client.line()).toBe('-ERR Authentication cancelled');
			client.sendLine(`AUTH PLAIN ${plain('ann', 'wrong')}`);
			expect(await client.line()).toBe('-ERR [AUTH] Wrong user name or password');
			client.sendLine(`AUTH PLAIN ${plain('ann', 'right')}`);
			expect(await client.line()).toMatch(/^\+OK \d+ messages/);
			client.sendLine('QUIT');
			await client.closed();
		} finally {
			await strict.close();
		}
	});

	it('refuses wrong credentials with [AUTH] and closes after repeated failures', async () => {
		const refusing: Authenticator = { authenticate: async (user, password) => (user === 'ann' && password === 'right' ? 'default' : null) };
		const strict = await startPop3Server({ source, authenticator: refusing, tls: cert, port: 0, tlsPort: 0 });
		try {
			const client = await RawClient.plain(strict.ports.plain);
			await client.line();
			for (let i = 0; i < 3; i += 1) {
				client.sendLine('USER ann');
				await client.line();
				client.sendLine('PASS wrong');
				expect(await client.line()).toBe('-ERR [AUTH] Wrong user name or password');
			}
			expect(await client.line()).toMatch(/Too many failed logins/);
			await client.closed();
		} finally {
			await strict.close();
		}
	});
});
