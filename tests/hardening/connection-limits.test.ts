/**
 * Connection limits that protect the class instead of locking it out. One machine (127.0.0.2) opens 150
 * idle, never-authenticated connections to each of SMTP, POP3 and IMAP; then a learner on another machine
 * (127.0.0.3) sends a message and reads it back over SMTP, IMAP, POP3 and the web. In local mode all 150
 * are served (the global limit is far above a class). In classroom mode, listening on 0.0.0.0, the first 20
 * from one address are served and the rest hear their protocol's "try later", while the learner notices
 * nothing; a flood of event streams from one address is refused politely and health and SMTP still answer.
 * Connections that do not log in are closed after the login timeout.
 *
 * The sandbox runs in this process, so each connection costs two file descriptors here: these tests need an
 * open-file limit of a few thousand (Node raises its soft limit to the hard one, usually 4096 or more).
 */
import { request } from 'node:http';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageSummary } from '../../sandbox/store/types.ts';
import { RawClient } from '../../sandbox/testing/pop3-imap-fixtures.ts';
import { startTestSandbox, type TestSandbox } from '../../sandbox/testing/test-sandbox.ts';
import { LineClient } from './support/line-client.ts';

const CROWD = 150;
const INTRUDER = '127.0.0.2';
const LEARNER = '127.0.0.3';
const CLASSROOM = { SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: 'a-long-instructor-token-for-tests', HOST: '0.0.0.0' };

let t: TestSandbox | null = null;
/** Connections and requests the current test opened, closed after it. */
const open: Array<{ destroy(): void }> = [];
afterEach(async () => {
	for (const client of open.splice(0)) client.destroy();
	await t?.stop();
	t = null;
});

type Service = 'smtp' | 'pop3' | 'imap';
const GREETING: Record<Service, RegExp> = { smtp: /^220 /, pop3: /^\+OK /, imap: /^\* OK / };
const TRY_LATER: Record<Service, RegExp> = {
	smtp: /^421 Too many connections from your address \(20 at once\)/,
	pop3: /^-ERR \[SYS\/TEMP\] Too many connections from your address \(20 at once\)/,
	imap: /^\* BYE \[UNAVAILABLE\] Too many connections from your address \(20 at once\)/,
};

/** Opens `count` connections from `from` that never log in; resolves with each one's first line. */
async function crowd(port: number, count: number, from: string): Promise<Array<string | null>> {
	const clients = await Promise.all(Array.from({ length: count }, () => LineClient.open({ port, from })));
	open.push(...clients);
	return Promise.all(clients.map((client) => client.line()));
}

function portOf(sandbox: TestSandbox, service: Service): number {
	return sandbox.sandbox.ports[service];
}

/** A learner's message, sent from the learner's own machine. */
async function sendFromLearner(sandbox: TestSandbox, subject: string, auth?: { user: string; pass: string }): Promise<void> {
	const transport = nodemailer.createTransport({
		host: '127.0.0.1',
		port: sandbox.sandbox.ports.smtp,
		localAddress: LEARNER,
		requireTLS: true,
		tls: { ca: sandbox.sandbox.certificate.pem, servername: 'localhost' },
		...(auth ? { auth } : {}),
	});
	try {
		const info = await transport.sendMail({ from: 'learner@classroom.test', to: 'reset@example.com', subject, text: 'Go to the reset link.' });
		expect(info.response).toMatch(/^250 /);
	} finally {
		transport.close();
	}
}

/** Reads the subjects of the mailbox over IMAP (TLS from the first byte) and POP3 (the same), from the learner's machine. */
async function readBack(sandbox: TestSandbox, user: string, pass: string): Promise<{ imap: string[]; pop3: string[] }> {
	const ca = sandbox.sandbox.certificate.pem;
	const imap = await LineClient.open({ port: sandbox.sandbox.ports.imaps, from: LEARNER, tls: { ca } });
	expect(await imap.line()).toMatch(GREETING.imap);
	imap.send(`a1 LOGIN "${user}" "${pass}"`);
	expect((await imap.until(/^a1 /)).at(-1)).toMatch(/^a1 OK/);
	imap.send('a2 SELECT INBOX');
	expect((await imap.until(/^a2 /)).at(-1)).toMatch(/^a2 OK/);
	imap.send('a3 FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])');
	const fetched = await imap.until(/^a3 /);
	imap.send('a4 LOGOUT');
	await imap.closed;

	const pop3 = await LineClient.open({ port: sandbox.sandbox.ports.pop3s, from: LEARNER, tls: { ca } });
	expect(await pop3.line()).toMatch(GREETING.pop3);
	pop3.send(`USER ${user}`);
	expect(await pop3.line()).toMatch(/^\+OK/);
	pop3.send(`PASS ${pass}`);
	expect(await pop3.line()).toMatch(/^\+OK/);
	pop3.send('TOP 1 0');
	const top = await pop3.until(/^\.$/);
	pop3.send('QUIT');
	await pop3.closed;
	const subjects = (lines: string[]) => lines.filter((line) => /^Subject: /i.test(line)).map((line) => line.slice('Subject: '.length));
	return { imap: subjects(fetched), pop3: subjects(top) };
}

function get(port: number, path: string, from: string, cookie?: string): Promise<{ status: number; type: string; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, path, localAddress: from, agent: false, headers: cookie ? { cookie } : {} }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
		});
		req.on('error', reject);
		req.end();
	});
}

describe('local mode', () => {
	it(`serves ${CROWD} idle connections to each of SMTP, POP3 and IMAP beside a delivery and its reading`, async () => {
		t = await startTestSandbox();
		for (const service of ['smtp', 'pop3', 'imap'] as const) {
			const greetings = await crowd(portOf(t, service), CROWD, INTRUDER);
			expect(greetings.filter((line) => !GREETING[service].test(line ?? '')), service).toEqual([]);
		}
		await sendFromLearner(t, 'Delivered beside the crowd');
		expect(await readBack(t, 'learner', 'any password')).toEqual({ imap: ['Delivered beside the crowd'], pop3: ['Delivered beside the crowd'] });
		expect((await get(t.httpPort, '/api/v1/health', LEARNER)).status).toBe(200);
	});
});

/** Opens `count` event streams at once from `from`; resolves with each answer's status (streams stay open). */
async function streams(port: number, count: number, from: string, cookie?: string): Promise<number[]> {
	return Promise.all(
		Array.from({ length: count }, () => {
			const req = request({ host: '127.0.0.1', port, path: '/api/v1/events', localAddress: from, agent: false, headers: cookie ? { cookie } : {} });
			open.push(req);
			return new Promise<number>((resolve, reject) => {
				req.on('response', (res) => {
					// An open stream keeps its connection; a refusal is read to its end.
					if (res.statusCode !== 200) res.resume();
					resolve(res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/event-stream') ? 200 : (res.statusCode ?? 0));
				});
				req.on('error', reject);
				req.end();
			});
		}),
	);
}

function count(statuses: number[]): Record<number, number> {
	const counts: Record<number, number> = {};
	for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
	return counts;
}

describe('local mode, event streams', () => {
	it('keeps a fifth of the web for pages and health however many streams one client opens', async () => {
		// 200 connections for the web: 160 may be streams.
		t = await startTestSandbox({ SANDBOX_MAX_CONNECTIONS: '200' });
		expect(count(await streams(t.httpPort, 190, INTRUDER))).toEqual({ 200: 160, 503: 30 });
		expect((await get(t.httpPort, '/api/v1/health', LEARNER)).status).toBe(200);
		const smtp = await LineClient.open({ port: t.sandbox.ports.smtp, from: LEARNER });
		open.push(smtp);
		expect(await smtp.line()).toMatch(GREETING.smtp);
	});
});

describe('classroom mode, listening on 0.0.0.0', () => {
	it(`gives one address 20 connections per service, tells the other ${CROWD - 20} to try later, and the learner next door notices nothing`, async () => {
		t = await startTestSandbox(CLASSROOM);
		expect(t.config.host).toBe('0.0.0.0');
		const { learner, credentials, cookieValue } = await t.sandbox.classroom.join('Learner Three');
		for (const service of ['smtp', 'pop3', 'imap'] as const) {
			const lines = await crowd(portOf(t, service), CROWD, INTRUDER);
			expect(lines.filter((line) => GREETING[service].test(line ?? '')), service).toHaveLength(20);
			expect(lines.filter((line) => TRY_LATER[service].test(line ?? '')), service).toHaveLength(CROWD - 20);
		}
		await sendFromLearner(t, 'Delivered while a neighbour loops', { user: credentials.smtpUser, pass: credentials.smtpPassword });
		expect(await readBack(t, credentials.smtpUser, credentials.smtpPassword)).toEqual({
			imap: ['Delivered while a neighbour loops'],
			pop3: ['Delivered while a neighbour loops'],
		});
		const inbox = await get(t.httpPort, '/api/v1/messages', LEARNER, `postlab_learner=${cookieValue}`);
		expect(inbox.status).toBe(200);
		expect((JSON.parse(inbox.body) as { messages: MessageSummary[] }).messages.map((m) => [m.subject, m.mailbox])).toEqual([
			['Delivered while a neighbour loops', learner.mailbox],
		]);
	});

	it('refuses a flood of event streams from one address politely, and health and SMTP keep answering', async () => {
		t = await startTestSandbox(CLASSROOM);
		const { cookieValue } = await t.sandbox.classroom.join('Looping Laptop');
		// The address's 20 connections become streams; 40 more hear 429.
		expect(count(await streams(t.httpPort, 60, INTRUDER, `postlab_learner=${cookieValue}`))).toEqual({ 200: 20, 429: 40 });
		expect((await get(t.httpPort, '/api/v1/health', LEARNER)).body).toBe('{"status":"ok"}');
		const smtp = await LineClient.open({ port: t.sandbox.ports.smtp, from: LEARNER });
		open.push(smtp);
		expect(await smtp.line()).toMatch(GREETING.smtp);
	});
});

describe('connections upgraded to TLS', () => {
	it('gives back the place of every connection that upgraded to TLS, so the limit is never used up by closed ones', async () => {
		// smtp-server's STARTTLS upgrade drops every listener of the plain socket; a place held until that socket's
		// 'close' was never given back, and after SANDBOX_MAX_CONNECTIONS upgraded sessions SMTP took no one.
		const LIMIT = 3;
		t = await startTestSandbox({ SANDBOX_MAX_CONNECTIONS: String(LIMIT) });
		const { pem } = t.sandbox.certificate;
		for (let round = 0; round < LIMIT * 3; round += 1) {
			const transport = nodemailer.createTransport({
				host: '127.0.0.1',
				port: t.sandbox.ports.smtp,
				requireTLS: true,
				tls: { ca: pem, servername: 'localhost' },
			});
			await transport.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: `upgraded ${round}`, text: 'x' });
			transport.close();
			for (const [service, command, answer] of [
				['pop3', 'STLS', /^\+OK/],
				['imap', 'a STARTTLS', /^a OK/],
			] as const) {
				const client = await RawClient.plain(portOf(t, service));
				expect(await client.line(), `${service} round ${round}`).toMatch(GREETING[service]);
				client.sendLine(command);
				expect(await client.line()).toMatch(answer);
				await client.upgrade(pem);
				client.close();
			}
		}
		const list = await fetch(`${t.baseUrl}/api/v1/messages?limit=50`);
		expect(((await list.json()) as { total: number }).total).toBe(LIMIT * 3);
	});
});

describe('the login timeout', () => {
	it('closes SMTP, POP3, IMAP and HTTP connections that do not log in (or send a request) in time, with a reason', async () => {
		// Two seconds: short for a test, long enough that the client that does log in is never late on a busy machine.
		t = await startTestSandbox({ SANDBOX_LOGIN_TIMEOUT_SECONDS: '2' });
		const smtp = await LineClient.open({ port: t.sandbox.ports.smtp, from: INTRUDER });
		const pop3 = await LineClient.open({ port: t.sandbox.ports.pop3, from: INTRUDER });
		const imap = await LineClient.open({ port: t.sandbox.ports.imap, from: INTRUDER });
		const http = await LineClient.open({ port: t.httpPort, from: INTRUDER });
		open.push(smtp, pop3, imap, http);
		expect(await smtp.line()).toMatch(GREETING.smtp);
		expect(await smtp.line()).toMatch(/^421 Closing: no login or message within 2 seconds\. /);
		expect(await pop3.line()).toMatch(GREETING.pop3);
		expect(await pop3.line()).toBe('-ERR [AUTH] No login in time, closing');
		expect(await imap.line()).toMatch(GREETING.imap);
		expect(await imap.line()).toBe('* BYE No login in time, logging out');
		expect(await http.line()).toBe('HTTP/1.1 408 Request Timeout');
		await Promise.all([smtp.closed, pop3.closed, imap.closed, http.closed]);
		// A client that logs in keeps its connection past the deadline.
		const loggedIn = await LineClient.open({ port: t.sandbox.ports.imap, from: LEARNER });
		open.push(loggedIn);
		expect(await loggedIn.line()).toMatch(GREETING.imap);
		loggedIn.send('a1 LOGIN learner secret');
		expect((await loggedIn.until(/^a1 /)).at(-1)).toMatch(/^a1 OK/);
		const late = await LineClient.open({ port: t.sandbox.ports.imap, from: LEARNER });
		open.push(late);
		expect(await late.line()).toMatch(GREETING.imap);
		// The second connection's deadline passing proves the first one's has too.
		expect(await late.line()).toBe('* BYE No login in time, logging out');
		loggedIn.send('a2 NOOP');
		expect((await loggedIn.until(/^a2 /)).at(-1)).toMatch(/^a2 OK/);
	});
});
