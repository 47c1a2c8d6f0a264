/**
 * Issue 8's bar, end to end: a message captured over SMTP is read back by Python's poplib and imaplib
 * byte-for-byte equal to what the JSON API serves as its raw source, over the plain, STLS/STARTTLS and
 * TLS ports of a whole sandbox.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';
import { newestFetch, type MailReadSession } from '../../src/labs/mailread/fetch-check.ts';
import { runPython, sha256 } from '../testing/pop3-imap-fixtures.ts';

const READ_NEWEST = String.raw`
import hashlib, imaplib, json, poplib, ssl, sys
protocol, mode, port, cafile = sys.argv[1:5]
ctx = ssl.create_default_context(cafile=cafile)
if protocol == 'pop3':
    pop = poplib.POP3_SSL('localhost', int(port), context=ctx, timeout=30) if mode == 'tls' else poplib.POP3('localhost', int(port), timeout=30)
    if mode == 'stls':
        pop.stls(context=ctx)
    pop.user('learner')
    pop.pass_('any password')
    count, _ = pop.stat()
    _, lines, _ = pop.retr(count)
    pop.quit()
    data = b'\r\n'.join(lines) + b'\r\n'
else:
    imap = imaplib.IMAP4_SSL('localhost', int(port), ssl_context=ctx, timeout=30) if mode == 'tls' else imaplib.IMAP4('localhost', int(port), timeout=30)
    if mode == 'starttls':
        imap.starttls(ssl_context=ctx)
    imap.login('learner', 'any password')
    _, [count] = imap.select('INBOX', readonly=True)
    _, parts = imap.fetch(count.decode(), '(BODY.PEEK[])')
    data = parts[0][1]
    imap.logout()
print(json.dumps({'sha256': hashlib.sha256(data).hexdigest(), 'size': len(data)}))
`;

let t: TestSandbox;
let rawSha = '';
let rawSize = 0;

beforeAll(async () => {
	t = await startTestSandbox();
	const transport = nodemailer.createTransport({
		host: '127.0.0.1',
		port: t.sandbox.ports.smtp,
		requireTLS: true,
		auth: { user: 'learner', pass: 'secret' },
		tls: { ca: t.sandbox.certificate.pem, servername: 'localhost' },
	});
	// Two messages, so "the newest" is not also "the only one"; the second has a line starting with a dot.
	await transport.sendMail({ from: 'forum@example.com', to: 'learner@example.com', subject: 'older', text: 'first' });
	await transport.sendMail({
		from: 'forum@example.com',
		to: 'learner@example.com',
		subject: '비밀번호 재설정',
		text: 'Line one\n.leading dot survives\n안녕하세요\n',
	});
	transport.close();
	const list = (await (await fetch(`${t.baseUrl}/api/v1/messages?limit=1`)).json()) as { messages: Array<{ id: string; subject: string }> };
	const newest = list.messages[0];
	expect(newest?.subject).toBe('비밀번호 재설정');
	const raw = Buffer.from(await (await fetch(`${t.baseUrl}/api/v1/messages/${newest?.id}/raw`)).arrayBuffer());
	rawSha = sha256(raw);
	rawSize = raw.length;
}, 60_000);

afterAll(async () => {
	await t?.stop();
});

describe('the newest captured message, read by a real mail client', () => {
	it.each([
		['pop3', 'plain', () => t.sandbox.ports.pop3],
		['pop3', 'stls', () => t.sandbox.ports.pop3],
		['pop3', 'tls', () => t.sandbox.ports.pop3s],
		['imap', 'plain', () => t.sandbox.ports.imap],
		['imap', 'starttls', () => t.sandbox.ports.imap],
		['imap', 'tls', () => t.sandbox.ports.imaps],
	])('%s over %s equals /raw byte for byte', async (protocol, mode, port) => {
		const out = JSON.parse(await runPython(READ_NEWEST, [protocol, mode, String(port()), t.sandbox.certificate.path])) as {
			sha256: string;
			size: number;
		};
		expect(out.size).toBe(rawSize);
		expect(out.sha256).toBe(rawSha);
	}, 60_000);

	it('reports the POP3 and IMAP ports in /api/v1/health', async () => {
		const health = (await (await fetch(`${t.baseUrl}/api/v1/health`)).json()) as { ports: Record<string, number> };
		expect(health.ports).toMatchObject({
			pop3: t.sandbox.ports.pop3,
			pop3s: t.sandbox.ports.pop3s,
			imap: t.sandbox.ports.imap,
			imaps: t.sandbox.ports.imaps,
		});
		expect(new Set([health.ports['pop3'], health.ports['pop3s'], health.ports['imap'], health.ports['imaps']]).size).toBe(4);
	});

	it('lists the finished sessions for the lesson check, newest first, fetches found and passwords hidden', async () => {
		// A session is listed once the server has seen the client close, which may trail Python's exit.
		let text = '';
		await expect
			.poll(async () => {
				const response = await fetch(`${t.baseUrl}/api/v1/mailread/sessions`);
				expect(response.status).toBe(200);
				text = await response.text();
				return (JSON.parse(text) as { sessions: unknown[] }).sessions.length;
			}, { timeout: 10_000 })
			.toBe(6);
		expect(text).not.toContain('any password');
		expect(text).not.toContain(Buffer.from('\0learner\0any password').toString('base64'));
		const { sessions } = JSON.parse(text) as { sessions: MailReadSession[] };
		// The six reads above, each a finished session of its own.
		expect(sessions).toHaveLength(6);
		const ends = sessions.map((session) => session.endedAt ?? '');
		expect(ends).toEqual([...ends].sort().reverse());
		const found = newestFetch(sessions);
		// The last read above was IMAP over TLS.
		expect(found?.session).toMatchObject({ protocol: 'imap', tls: 'implicit', localPort: t.sandbox.ports.imaps });
		expect(found?.command).toMatch(/FETCH \d+ \(BODY\.PEEK\[\]\)/);
	});
});
