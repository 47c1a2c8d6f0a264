/**
 * The console bridge over real sockets: a WebSocket client (as the lesson page) through the bridge to the
 * sandbox's own SMTP server, STARTTLS with real TLS, AUTH by the login helper, a message stored; what the
 * bridge refuses (another host or port, another site, a foreign Host), idle sessions closed; classroom mode
 * keeps a learner's console in their own mailbox.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';
import { LEARNER_COOKIE } from '../classroom/classroom.ts';
import { CONSOLE_LOGIN_TIMEOUT_MS } from '../connections/console-links.ts';
import { openConsole, refusedStatus } from './console-test-client.ts';

const PASSWORD = 'console-secret-pw';

describe('console bridge (local mode)', () => {
	let t: TestSandbox;
	beforeAll(async () => {
		t = await startTestSandbox({}, { consoleIdleMs: 1500 });
	});
	afterAll(async () => {
		await t.stop();
	});

	it('delivers a message typed by hand over STARTTLS and AUTH, and checks the goals from the store', async () => {
		const c = await openConsole(t.baseUrl, 'protocol=smtp');
		await c.reply(/^220 /);
		c.type('EHLO django.local');
		await c.reply(/^250 /);
		c.type('STARTTLS');
		await c.reply(/^220 /);
		const tls = await c.waitFor((m) => m.t === 'tls');
		expect(tls.t === 'tls' && tls.version).toMatch(/^TLSv1\.[23]$/);
		c.type('EHLO django.local');
		await c.reply(/^250 /);
		c.send({ t: 'login', mechanism: 'PLAIN', user: 'me@example.com', password: PASSWORD });
		await c.reply(/^235 /);
		c.type('MAIL FROM:<me@example.com>', 'RCPT TO:<hidden@example.com>', 'DATA');
		await c.reply(/^354 /);
		c.type('From: me@example.com', 'To: shown@example.com', 'Subject: typed by hand', '', 'Hello from the console.', '.');
		const stored = await c.reply(/^250 .*stored as/);
		const id = /stored as (\S+)/.exec(stored)![1]!;
		await c.waitFor((m) => m.t === 'goals' && m.goals.filter((g) => g.done).length >= 3);
		const done = c.goals().filter((g) => g.done).map((g) => g.id);
		expect(done).toEqual(expect.arrayContaining(['smtp-deliver', 'smtp-envelope', 'smtp-starttls-auth']));
		expect(done).not.toContain('smtp-refusal');

		// The message is in the inbox with the capture server's own transcript of this session.
		const session = await t.sandbox.store.getSession(id);
		expect(session?.tls).toBe('starttls');
		expect(session?.auth?.user).toBe('me@example.com');
		expect(session?.envelope.rcptTo).toEqual(['hidden@example.com']);
		const everything = JSON.stringify(c.received) + JSON.stringify(session);
		expect(everything).not.toContain(PASSWORD);
		expect(everything).not.toContain(Buffer.from(`\0me@example.com\0${PASSWORD}`).toString('base64'));
		expect(c.received).toContainEqual({ t: 'line', from: 'client', line: 'AUTH PLAIN [redacted]' });
		c.close();
	});

	it('redacts AUTH LOGIN answers and typed AUTH PLAIN lines in what it shows', async () => {
		const c = await openConsole(t.baseUrl, 'protocol=smtp');
		await c.reply(/^220 /);
		c.type('EHLO x');
		await c.reply(/^250 /);
		c.send({ t: 'login', mechanism: 'LOGIN', user: 'me', password: PASSWORD });
		await c.reply(/^235 /);
		const shown = c.received.filter((m) => m.t === 'line' && m.from === 'client').map((m) => (m.t === 'line' ? m.line : ''));
		expect(shown).toEqual(['EHLO x', 'AUTH LOGIN', '[redacted]', '[redacted]']);
		// Logged in on a plain connection: the STARTTLS goal is not met, and the hint says why.
		const goal = c.goals().find((g) => g.id === 'smtp-starttls-auth');
		expect(goal?.done).toBe(false);
		expect(goal?.hint?.en).toMatch(/not encrypted/);
		c.close();
	});

	it('counts a provoked 503 (RCPT before MAIL) as the refusal goal, with the reply explained', async () => {
		const c = await openConsole(t.baseUrl, 'protocol=smtp');
		await c.reply(/^220 /);
		c.type('EHLO x');
		await c.reply(/^250 /);
		c.type('RCPT TO:<a@example.com>');
		await c.reply(/^503 /);
		const goals = await c.waitFor((m) => m.t === 'goals' && m.goals.some((g) => g.id === 'smtp-refusal' && g.done));
		const refusal = goals.t === 'goals' ? goals.goals.find((g) => g.id === 'smtp-refusal') : undefined;
		expect(refusal?.hint?.en).toMatch(/Bad sequence/);
		expect(refusal?.hint?.ko).toMatch(/순서/);
		c.close();
	});

	it('counts a SIZE= over the limit answered 552 as the refusal goal', async () => {
		const c = await openConsole(t.baseUrl, 'protocol=smtp');
		await c.reply(/^220 /);
		c.type('EHLO x');
		await c.reply(/^250 /);
		c.type(`MAIL FROM:<me@example.com> SIZE=${t.config.maxMessageBytes + 1}`);
		await c.reply(/^552 /);
		await c.waitFor((m) => m.t === 'goals' && m.goals.some((g) => g.id === 'smtp-refusal' && g.done));
		c.close();
	});

	it('refuses any other host or port, another site, no Origin and a foreign Host', async () => {
		const origin = { origin: t.baseUrl };
		expect(await refusedStatus(t.baseUrl, `protocol=smtp&host=example.com`, origin)).toBe(400);
		expect(await refusedStatus(t.baseUrl, `protocol=smtp&port=22`, origin)).toBe(400);
		expect(await refusedStatus(t.baseUrl, `protocol=http`, origin)).toBe(400);
		expect(await refusedStatus(t.baseUrl, `protocol=smtp`, { origin: 'http://evil.example' })).toBe(403);
		expect(await refusedStatus(t.baseUrl, `protocol=smtp`, {})).toBe(403);
		expect(await refusedStatus(t.baseUrl, `protocol=smtp`, { origin: 'http://rebind.example', host: 'rebind.example' })).toBe(421);
		await expect.poll(() => t.sandbox.console.open).toBe(0);
	});

	it('closes a console left idle and says so', async () => {
		const c = await openConsole(t.baseUrl, 'protocol=smtp');
		await c.reply(/^220 /);
		await c.waitFor((m) => m.t === 'note' && m.key === 'idle-closed', 5000);
		await c.waitFor((m) => m.t === 'closed', 2000);
		await expect.poll(() => t.sandbox.console.open).toBe(0);
	});

	it('refuses over-long lines and line breaks inside a line without sending them', async () => {
		const c = await openConsole(t.baseUrl, 'protocol=smtp');
		await c.reply(/^220 /);
		c.type('NOOP'.padEnd(2000, 'x'));
		await c.waitFor((m) => m.t === 'note' && m.key === 'line-too-long');
		c.type('NOOP\r\nQUIT');
		await c.waitFor((m) => m.t === 'note' && m.key === 'bad-characters');
		expect(c.received.filter((m) => m.t === 'line' && m.from === 'client')).toEqual([]);
		c.close();
	});
});

describe('console bridge (classroom mode)', () => {
	let t: TestSandbox;
	beforeAll(async () => {
		t = await startTestSandbox({ SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: 'console-instructor-token-123456' });
	});
	afterAll(async () => {
		await t.stop();
	});

	it('logs in as the learner, files their mail in their own mailbox, and refuses typed logins', async () => {
		const a = await t.sandbox.classroom.join('Console A');
		const b = await t.sandbox.classroom.join('Console B');
		expect(await refusedStatus(t.baseUrl, 'protocol=smtp', { origin: t.baseUrl })).toBe(401);
		const c = await openConsole(t.baseUrl, 'protocol=smtp', { cookie: `${LEARNER_COOKIE}=${a.cookieValue}` });
		const open = await c.waitFor((m) => m.t === 'open');
		expect(open.t === 'open' && open.user).toBe(a.credentials.smtpUser);
		// The page can tell the learner how long the server waits for a console's login (longer than a program's).
		expect(open.t === 'open' && open.loginSeconds).toBe(Math.max(t.config.limits.loginTimeoutMs, CONSOLE_LOGIN_TIMEOUT_MS) / 1000);
		await c.reply(/^220 /);
		c.type('EHLO x');
		await c.reply(/^250 /);
		// Learner B's credentials typed by hand never reach the server.
		c.type(`AUTH PLAIN ${Buffer.from(`\0${b.credentials.smtpUser}\0${b.credentials.smtpPassword}`).toString('base64')}`);
		await c.waitFor((m) => m.t === 'note' && m.key === 'login-by-helper');
		c.send({ t: 'login', mechanism: 'PLAIN', user: b.credentials.smtpUser, password: b.credentials.smtpPassword });
		await c.reply(/^235 /);
		c.type('MAIL FROM:<a@example.com>', 'RCPT TO:<a@example.com>', 'DATA');
		await c.reply(/^354 /);
		c.type('Subject: mine', '', 'x', '.');
		const stored = await c.reply(/^250 .*stored as/);
		const id = /stored as (\S+)/.exec(stored)![1]!;
		expect(t.sandbox.store.getSummary(id)?.mailbox).toBe(a.learner.mailbox);
		expect(t.sandbox.store.listMailbox(b.learner.mailbox)).toEqual([]);
		expect(JSON.stringify(c.received)).not.toContain(a.credentials.smtpPassword);
		c.close();
	});
});

describe('console bridge (classroom mode, per-address limits)', () => {
	let t: TestSandbox;
	beforeAll(async () => {
		t = await startTestSandbox({ SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: 'console-instructor-token-123456', SANDBOX_MAX_CONNECTIONS_PER_ADDRESS: '2' });
	});
	afterAll(async () => {
		await t.stop();
	});

	it("counts consoles by each learner's address, not the bridge's loopback on the sandbox's ports", async () => {
		// Three learners on three machines: three SMTP sessions from the bridge's one address, over a share of 2.
		const consoles = [];
		for (const [index, from] of ['127.0.0.2', '127.0.0.3', '127.0.0.4'].entries()) {
			const joined = await t.sandbox.classroom.join(`Machine ${index}`);
			const c = await openConsole(t.baseUrl, 'protocol=smtp', { cookie: `${LEARNER_COOKIE}=${joined.cookieValue}` }, from);
			await c.reply(/^220 /);
			consoles.push(c);
		}
		// One machine opening more consoles than its share hears "too many" (a learner's own limit).
		const greedy = await t.sandbox.classroom.join('Greedy');
		const cookie = { origin: t.baseUrl, cookie: `${LEARNER_COOKIE}=${greedy.cookieValue}` };
		const own = [await openConsole(t.baseUrl, 'protocol=smtp', cookie, '127.0.0.5'), await openConsole(t.baseUrl, 'protocol=smtp', cookie, '127.0.0.5')];
		expect(await refusedStatus(t.baseUrl, 'protocol=smtp', cookie, '127.0.0.5')).toBe(429);
		for (const c of [...consoles, ...own]) c.close();
	});
});

describe('console bridge (rate limit)', () => {
	let t: TestSandbox;
	beforeAll(async () => {
		t = await startTestSandbox();
	});
	afterAll(async () => {
		await t.stop();
	});

	it('sends what a person types and refuses a script-speed burst with a note, not a closed session', async () => {
		const c = await openConsole(t.baseUrl, 'protocol=smtp');
		await c.reply(/^220 /);
		for (let i = 0; i < 40; i += 1) c.type('NOOP');
		await c.waitFor((m) => m.t === 'note' && m.key === 'rate-limited');
		const sent = c.received.filter((m) => m.t === 'line' && m.from === 'client').length;
		expect(sent).toBeGreaterThan(0);
		expect(sent).toBeLessThan(40);
		c.close();
	});
});

describe('console bridge (malformed handshakes)', () => {
	let t: TestSandbox;
	beforeAll(async () => {
		t = await startTestSandbox({ SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: 'console-instructor-token-123456', SANDBOX_MAX_CONNECTIONS_PER_ADDRESS: '2' });
	});
	afterAll(async () => {
		await t.stop();
	});

	it('frees the place of an upgrade that was not a WebSocket handshake', async () => {
		const learner = await t.sandbox.classroom.join('Handshake');
		const cookie = `${LEARNER_COOKIE}=${learner.cookieValue}`;
		for (let i = 0; i < 3; i += 1) {
			const status = await new Promise<string>((resolve, reject) => {
				const socket = connect({ host: '127.0.0.1', port: t.httpPort, localAddress: '127.0.0.6' }, () => {
					socket.write(`GET /api/v1/console?protocol=smtp HTTP/1.1\r\nHost: 127.0.0.1:${t.httpPort}\r\nOrigin: ${t.baseUrl}\r\nCookie: ${cookie}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`);
				});
				socket.once('data', (chunk) => resolve(chunk.toString('latin1').split('\r\n')[0] ?? ''));
				socket.once('error', reject);
			});
			expect(status).toMatch(/^HTTP\/1\.1 400/);
			// The server closes it; the next attempt must not find the place still taken.
		}
		const c = await openConsole(t.baseUrl, 'protocol=smtp', { cookie }, '127.0.0.6');
		await c.reply(/^220 /);
		c.close();
	});
});
