/**
 * POP3 and IMAP through the console bridge over real sockets: STLS/STARTTLS upgrade the bridge's side with
 * real TLS, the login helper logs in, and the goals follow the server's answers and the store. In classroom
 * mode a learner's console only ever sees that learner's mailbox, and typed logins never reach the server.
 */
import { readFile } from 'node:fs/promises';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEARNER_COOKIE } from '../classroom/classroom.ts';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';
import { openConsole, type ConsoleTestClient } from './console-test-client.ts';

async function send(t: TestSandbox, subject: string, auth?: { user: string; pass: string }): Promise<void> {
	const transport = nodemailer.createTransport({
		host: '127.0.0.1',
		port: t.sandbox.ports.smtp,
		secure: false,
		requireTLS: true,
		tls: { ca: await readFile(t.sandbox.certificate.path, 'utf8'), servername: 'localhost' },
		...(auth ? { auth } : {}),
	});
	await transport.sendMail({ from: 'app@example.com', to: 'reader@example.com', subject, text: 'Hello' });
	transport.close();
}

const done = (c: ConsoleTestClient, id: string) => c.waitFor((m) => m.t === 'goals' && m.goals.some((g) => g.id === id && g.done));

describe('console bridge: POP3 and IMAP (local mode)', () => {
	let t: TestSandbox;
	beforeAll(async () => {
		t = await startTestSandbox();
		await send(t, 'Older message');
		await send(t, 'Newest message');
	});
	afterAll(async () => {
		await t.stop();
	});

	it('POP3: STLS, login, LIST, RETR the newest, DELE + QUIT judged by what the store holds after', async () => {
		const c = await openConsole(t.baseUrl, 'protocol=pop3');
		await c.reply(/^\+OK/);
		c.type('STLS');
		await c.reply(/^\+OK/);
		await c.waitFor((m) => m.t === 'tls');
		c.send({ t: 'login', mechanism: 'PLAIN', user: 'me', password: 'pop-secret' });
		await done(c, 'pop3-login');
		c.type('LIST');
		await done(c, 'pop3-list');
		await c.reply(/^\.$/);
		c.type('RETR 2');
		await done(c, 'pop3-retr-newest');
		await c.reply(/^Subject: Newest message/);
		const before = t.sandbox.store.listMailbox().length;
		c.type('DELE 1', 'QUIT');
		await c.reply(/^\+OK Signing off/);
		await c.waitFor((m) => m.t === 'closed');
		const goal = c.goals().find((g) => g.id === 'pop3-dele')!;
		// Met exactly when the server really removed the message (the mailbox branch makes QUIT delete).
		expect(goal.done).toBe(t.sandbox.store.listMailbox().length < before);
		if (!goal.done) expect(goal.hint?.en).toContain('Signing off');
		expect(JSON.stringify(c.received)).not.toContain('pop-secret');
		expect(c.received).toContainEqual({ t: 'line', from: 'client', line: 'PASS [redacted]' });
	});

	it('POP3: a long message shows its first lines and a count, and the answer after it still counts', async () => {
		const transport = nodemailer.createTransport({ host: '127.0.0.1', port: t.sandbox.ports.smtp, secure: false, ignoreTLS: true });
		await transport.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'Long', text: Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n') });
		transport.close();
		const c = await openConsole(t.baseUrl, 'protocol=pop3');
		await c.reply(/^\+OK/);
		c.send({ t: 'login', mechanism: 'PLAIN', user: 'me', password: 'x' });
		const login = await c.reply(/^\+OK \d+ messages/);
		const newest = Number(/^\+OK (\d+)/.exec(login)![1]);
		c.type(`RETR ${newest}`);
		await done(c, 'pop3-retr-newest');
		const note = await c.waitFor((m) => m.t === 'note' && m.key === 'elided');
		expect(note.t === 'note' && note.count).toBeGreaterThan(500);
		await c.reply(/^\.$/);
		expect(c.received.filter((m) => m.t === 'line' && m.from === 'server').length).toBeLessThan(420);
		c.close();
	});

	it('IMAP: STARTTLS, login, SELECT INBOX, the subject by BODY.PEEK, then STORE \\Seen', async () => {
		const c = await openConsole(t.baseUrl, 'protocol=imap');
		await c.reply(/^\* OK/);
		c.type('a1 STARTTLS');
		await c.reply(/^a1 OK/);
		await c.waitFor((m) => m.t === 'tls');
		c.send({ t: 'login', mechanism: 'PLAIN', user: 'me', password: 'imap-secret' });
		await c.reply(/^L1 OK/);
		c.type('a2 SELECT INBOX');
		const exists = await c.reply(/^\* \d+ EXISTS/);
		const newest = Number(/\* (\d+)/.exec(exists)![1]);
		await done(c, 'imap-select');
		// BODY[] without PEEK is the wrong way: a hint, not the goal.
		c.type(`a3 FETCH ${newest} (BODY[HEADER.FIELDS (SUBJECT)])`);
		await c.reply(/^a3 OK/);
		const wrong = await c.waitFor((m) => m.t === 'goals' && m.goals.some((g) => g.id === 'imap-peek-subject' && g.hint !== undefined));
		expect(wrong.t === 'goals' && wrong.goals.find((g) => g.id === 'imap-peek-subject')?.done).toBe(false);
		c.type(`a4 FETCH ${newest} (BODY.PEEK[HEADER.FIELDS (SUBJECT)])`);
		await c.reply(/^a4 OK/);
		await done(c, 'imap-peek-subject');
		c.type(`a5 STORE ${newest} +FLAGS (\\Seen)`);
		await c.reply(/^a5 OK/);
		await done(c, 'imap-mark-read');
		expect(JSON.stringify(c.received)).not.toContain('imap-secret');
		expect(c.received).toContainEqual({ t: 'line', from: 'client', line: 'L1 LOGIN [redacted]' });
		c.close();
	});
});

describe('console bridge: POP3 and IMAP (classroom mode)', () => {
	let t: TestSandbox;
	beforeAll(async () => {
		t = await startTestSandbox({ SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: 'console-instructor-token-123456' });
	});
	afterAll(async () => {
		await t.stop();
	});

	it("a learner's console sees only that learner's mailbox, whatever login is typed", async () => {
		const a = await t.sandbox.classroom.join('Reader A');
		const b = await t.sandbox.classroom.join('Reader B');
		await send(t, 'For A only', { user: a.credentials.smtpUser, pass: a.credentials.smtpPassword });
		await send(t, 'For B one', { user: b.credentials.smtpUser, pass: b.credentials.smtpPassword });
		await send(t, 'For B two', { user: b.credentials.smtpUser, pass: b.credentials.smtpPassword });
		const cookie = { cookie: `${LEARNER_COOKIE}=${a.cookieValue}` };

		const pop = await openConsole(t.baseUrl, 'protocol=pop3', cookie);
		await pop.reply(/^\+OK/);
		pop.type('USER x', `PASS ${b.credentials.smtpPassword}`);
		await pop.waitFor((m) => m.t === 'note' && m.key === 'login-by-helper');
		pop.send({ t: 'login', mechanism: 'PLAIN', user: b.credentials.smtpUser, password: b.credentials.smtpPassword });
		await done(pop, 'pop3-login');
		pop.type('STAT');
		expect(await pop.reply(/^\+OK \d+ \d+/)).toMatch(/^\+OK 1 /);
		pop.type('RETR 1');
		await pop.reply(/^Subject: For A only/);
		pop.close();

		const imap = await openConsole(t.baseUrl, 'protocol=imap', cookie);
		await imap.reply(/^\* OK/);
		imap.type(`a1 LOGIN ${b.credentials.smtpUser} ${b.credentials.smtpPassword}`);
		await imap.waitFor((m) => m.t === 'note' && m.key === 'login-by-helper');
		imap.send({ t: 'login', mechanism: 'PLAIN', user: '', password: '' });
		await imap.reply(/^L1 OK/);
		imap.type('a2 SELECT INBOX');
		expect(await imap.reply(/^\* \d+ EXISTS/)).toBe('* 1 EXISTS');
		const everything = JSON.stringify([...pop.received, ...imap.received]);
		expect(everything).not.toContain('For B');
		expect(everything).not.toContain(a.credentials.smtpPassword);
		expect(everything).not.toContain(b.credentials.smtpPassword);
		imap.close();
	});
});
