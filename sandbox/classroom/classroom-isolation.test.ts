/**
 * Issue 5's "classroom mode isolates learners", over real sockets: one classroom sandbox, two learners (A, B)
 * and the instructor. Mail goes in through the capture SMTP port with each learner's own login (STARTTLS,
 * certificate verified); it comes out through the JSON API, its event stream, POP3 and IMAP. A must never
 * see, change or hear about B's mail; the instructor sees all; no password shows anywhere it should not.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../testing/pop3-imap-fixtures.ts';
import { startForum } from '../forum/start-forum.ts';
import type { ForumService } from '../forum/forum-service.ts';
import type { MailMessage, RealMailSender } from '../outbound/mail-sender.ts';
import { AUTH_FAILED_MESSAGE, AUTH_REQUIRED_MESSAGE } from '../smtp/capture-server.ts';
import { openLiveEvents, type LiveEventsClient } from '../testing/live-events.ts';
import { SmtpDialogue } from '../testing/smtp-dialogue.ts';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';
import { FORUM_SMTP_USER, INSTRUCTOR_COOKIE, LEARNER_COOKIE, type Learner, type LearnerCredentials } from './classroom.ts';
import { englishLog } from '../testing/english-log.ts';

const TOKEN = 'classroom-test-token-7f3a9c1e5b2d4f60';

interface Member {
	learner: Learner;
	credentials: LearnerCredentials;
	cookie: string;
}

let t: TestSandbox;
let a: Member;
let b: Member;
let instructorCookie: string;
/** Everything the sandbox and the forum said: their logs, every API answer and every event stream. */
const seen: string[] = [];
const ids = { a: '', b: '', bAttachment: '' };

function cookieHeader(member: Member | 'instructor' | null): Record<string, string> {
	if (member === null) return {};
	if (member === 'instructor') return { cookie: `${INSTRUCTOR_COOKIE}=${instructorCookie}` };
	return { cookie: `${LEARNER_COOKIE}=${member.cookie}` };
}

async function api(path: string, who: Member | 'instructor' | null, init: RequestInit = {}): Promise<{ status: number; text: string; json: unknown }> {
	const response = await fetch(`${t.baseUrl}${path}`, { ...init, headers: { ...cookieHeader(who), ...(init.headers as Record<string, string>) } });
	const text = await response.text();
	seen.push(text);
	let json: unknown = null;
	try {
		json = JSON.parse(text);
	} catch {
		json = null;
	}
	return { status: response.status, text, json };
}

/** Sends one message with a learner's SMTP login the way Django with EMAIL_USE_TLS = True does; resolves with its id. */
async function sendAs(member: Member | { credentials: { smtpUser: string; smtpPassword: string } }, subject: string, withAttachment = false): Promise<string> {
	const transport = nodemailer.createTransport({
		host: '127.0.0.1',
		port: t.sandbox.ports.smtp,
		secure: false,
		requireTLS: true,
		tls: { ca: t.sandbox.certificate.pem, servername: 'localhost' },
		auth: { user: member.credentials.smtpUser, pass: member.credentials.smtpPassword },
	});
	try {
		const info = await transport.sendMail({
			from: 'django@example.com',
			to: 'someone@example.com',
			subject,
			text: `body of ${subject}`,
			html: `<p>body of ${subject}</p>`,
			...(withAttachment ? { attachments: [{ filename: 'secret-notes.txt', content: `attachment of ${subject}` }] } : {}),
		});
		const id = /stored as (\S+)/.exec(info.response)?.[1];
		if (!id) throw new Error(`no id in ${info.response}`);
		return id;
	} finally {
		transport.close();
	}
}

/** One live-events client of `who`; every event it reads is also part of what was seen. */
async function openStream(who: Member | 'instructor', query = ''): Promise<LiveEventsClient> {
	const stream = openLiveEvents(`${t.baseUrl}/api/v1/events${query}`, { headers: cookieHeader(who), onEvent: (event) => seen.push(event.data) });
	await stream.opened;
	return stream;
}

beforeAll(async () => {
	t = await startTestSandbox({ SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: TOKEN }, { log: (line) => seen.push(line) });
	const classroom = t.sandbox.classroom;
	const joinA = await classroom.join('Learner A');
	const joinB = await classroom.join('Learner B');
	a = { learner: joinA.learner, credentials: joinA.credentials, cookie: joinA.cookieValue };
	b = { learner: joinB.learner, credentials: joinB.credentials, cookie: joinB.cookieValue };
	instructorCookie = (await classroom.instructorLogin(TOKEN))!;
	ids.a = await sendAs(a, 'From A');
	ids.b = await sendAs(b, 'From B, private');
	ids.bAttachment = await sendAs(b, 'From B with attachment', true);
});

afterAll(async () => {
	await t.stop();
});

describe('SMTP in classroom mode', () => {
	it('files each learner’s mail in their own mailbox', () => {
		expect(t.sandbox.store.getSummary(ids.a)?.mailbox).toBe(a.learner.mailbox);
		expect(t.sandbox.store.getSummary(ids.b)?.mailbox).toBe(b.learner.mailbox);
	});

	it('refuses mail without AUTH (530) and a wrong password (535), with the explanation', async () => {
		const smtp = await SmtpDialogue.open(t.sandbox.ports.smtp);
		try {
			expect(await smtp.reply()).toMatch(/^220 .*personal SMTP user and password/);
			expect(await smtp.command('EHLO learner.example')).toMatch(/AUTH PLAIN LOGIN/);
			expect(await smtp.command('MAIL FROM:<django@example.com>')).toBe(`530 ${AUTH_REQUIRED_MESSAGE}`);
			const wrong = Buffer.from(`\0${a.credentials.smtpUser}\0${b.credentials.smtpPassword}`).toString('base64');
			expect(await smtp.command(`AUTH PLAIN ${wrong}`)).toBe(`535 ${AUTH_FAILED_MESSAGE}`);
			const forumGuess = Buffer.from(`\0${FORUM_SMTP_USER}\0guess`).toString('base64');
			expect(await smtp.command(`AUTH PLAIN ${forumGuess}`)).toMatch(/^535 /);
			expect(await smtp.command('MAIL FROM:<django@example.com>')).toMatch(/^530 /);
		} finally {
			smtp.end();
		}
		await expect(sendAs({ credentials: { smtpUser: a.credentials.smtpUser, smtpPassword: 'abcd efgh ijkl mnop' } }, 'nope')).rejects.toThrow(/535/);
	});

	it('accepts the password with or without its spaces, as Gmail does', async () => {
		const id = await sendAs({ credentials: { ...a.credentials, smtpPassword: a.credentials.smtpPassword.replaceAll(' ', '') } }, 'A again');
		expect(t.sandbox.store.getSummary(id)?.mailbox).toBe(a.learner.mailbox);
	});
});

describe('the JSON API in classroom mode', () => {
	it('answers 401 with the way to join to anonymous calls (health excepted, which says only that Postlab is up)', async () => {
		for (const path of ['/api/v1/messages', `/api/v1/messages/${ids.a}`, `/api/v1/messages/${ids.a}/raw`, '/api/v1/events', '/api/v1/mailread/sessions', '/api/v1/classroom/roster']) {
			const answer = await api(path, null);
			expect(answer.status, path).toBe(401);
			expect(answer.json).toMatchObject({ error: { status: 401 }, join: '/ko/classroom/' });
		}
		expect((await api('/api/v1/messages', null, { method: 'DELETE' })).status).toBe(401);
		expect(t.sandbox.store.getSummary(ids.b)).not.toBeNull();
		const health = await api('/api/v1/health', null);
		expect(health.status).toBe(200);
		// Not the ports, not the certificate's path on the instructor's disk, not the class's mail count.
		expect(health.json).toEqual({ status: 'ok' });
		const learnerHealth = (await api('/api/v1/health', a)).json as Record<string, unknown>;
		expect(learnerHealth).toMatchObject({ status: 'ok', ports: { smtp: t.sandbox.ports.smtp } });
		expect((await api('/api/v1/messages', { ...a, cookie: `${a.learner.id}.forged` })).status).toBe(401);
	});

	it('lists only the learner’s own mail, whatever mailbox is asked for', async () => {
		for (const query of ['', `?mailbox=${b.learner.mailbox}`, '?query=From%20B', '?limit=500']) {
			const answer = await api(`/api/v1/messages${query}`, a);
			expect(answer.status).toBe(200);
			const { messages } = answer.json as { messages: Array<{ id: string; mailbox: string }> };
			expect(messages.every((m) => m.mailbox === a.learner.mailbox), query).toBe(true);
			expect(messages.map((m) => m.id)).not.toContain(ids.b);
		}
		const own = (await api('/api/v1/messages', a)).json as { messages: Array<{ id: string }> };
		expect(own.messages.map((m) => m.id)).toContain(ids.a);
		expect(((await api('/api/v1/health', a)).json as { messages: { count: number } }).messages.count).toBe(own.messages.length);
	});

	it('answers 404 for another learner’s message on every route, exactly as for a missing one, and changes nothing', async () => {
		const missing = await api('/api/v1/messages/20000101-000000-000-0000', a);
		const same = (answer: { status: number; json: unknown }) => {
			expect(answer.status).toBe(404);
			return (answer.json as { error: { message: string } }).error.message.replace(/\S+\. It may/, 'X. It may');
		};
		const missingText = same(missing);
		expect(same(await api(`/api/v1/messages/${ids.b}`, a))).toBe(missingText);
		for (const sub of ['raw', 'raw?download=1', 'html', 'attachments/0']) {
			const answer = await api(`/api/v1/messages/${ids.bAttachment}/${sub}`, a);
			expect(answer.status, sub).toBe(404);
			expect(answer.text).not.toContain('attachment of');
			expect(answer.text).not.toContain('From B');
		}
		const patch = await api(`/api/v1/messages/${ids.b}`, a, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"read":true}' });
		expect(patch.status).toBe(404);
		expect(t.sandbox.store.getSummary(ids.b)?.read).toBe(false);
		expect((await api(`/api/v1/messages/${ids.b}`, a, { method: 'DELETE' })).status).toBe(404);
		expect(t.sandbox.store.getSummary(ids.b)).not.toBeNull();
	});

	it('lets a learner read and change their own mail', async () => {
		expect(((await api(`/api/v1/messages/${ids.a}`, a)).json as { subject: string }).subject).toBe('From A');
		expect((await api(`/api/v1/messages/${ids.a}/raw`, a)).text).toContain('Subject: From A');
		expect((await api(`/api/v1/messages/${ids.a}/html`, a)).status).toBe(200);
		const patch = await api(`/api/v1/messages/${ids.a}`, a, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"read":true}' });
		expect(patch.json).toMatchObject({ id: ids.a, read: true });
		// Another site's page cannot make the learner's browser change it.
		const foreign = await api(`/api/v1/messages/${ids.a}`, a, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
			body: '{"read":false}',
		});
		expect(foreign.status).toBe(403);
	});

	it('streams only the learner’s own events; the instructor hears all, and who joins', async () => {
		const streamA = await openStream(a, `?mailbox=${b.learner.mailbox}`);
		const streamInstructor = await openStream('instructor');
		try {
			// B's mail goes first, A's second: A's stream getting A's event proves B's was left out, not late.
			const idB = await sendAs(b, 'B while A listens');
			const idA = await sendAs(a, 'A while A listens');
			await streamA.waitFor((e) => e.type === 'message' && e.data.includes(idA));
			await streamInstructor.waitFor((e) => e.type === 'message' && e.data.includes(idA));
			expect(streamInstructor.events.some((e) => e.data.includes(idB))).toBe(true);
			await api(`/api/v1/messages/${idB}`, b, { method: 'DELETE' });
			await api(`/api/v1/messages/${idA}`, a, { method: 'DELETE' });
			await streamA.waitFor((e) => e.type === 'message-deleted' && e.data.includes(idA));
			const joined = await t.sandbox.classroom.join('Learner C');
			const event = await streamInstructor.waitFor((e) => e.type === 'learner-joined');
			expect(JSON.parse(event.data)).toEqual({ learner: joined.learner });
			await sendAs(b, 'B after C joined');
			const idA2 = await sendAs(a, 'A after C joined');
			await streamA.waitFor((e) => e.data.includes(idA2));
			expect(streamA.events.filter((e) => e.data.includes(b.learner.mailbox) || e.data.includes(idB))).toEqual([]);
			expect(streamA.events.some((e) => e.type === 'learner-joined')).toBe(false);
			expect(streamA.events.every((e) => e.type === 'mailbox-cleared' || e.data.includes(a.learner.mailbox))).toBe(true);
		} finally {
			streamA.close();
			streamInstructor.close();
		}
	});

	it('clears only the learner’s own mailbox', async () => {
		const idA = await sendAs(a, 'A to be cleared');
		const answer = await api(`/api/v1/messages?mailbox=${b.learner.mailbox}`, a, { method: 'DELETE' });
		expect(answer.status).toBe(200);
		expect(t.sandbox.store.getSummary(idA)).toBeNull();
		expect(t.sandbox.store.listMailbox(a.learner.mailbox)).toEqual([]);
		expect(t.sandbox.store.getSummary(ids.b)).not.toBeNull();
		expect(t.sandbox.store.getSummary(ids.bAttachment)).not.toBeNull();
		ids.a = await sendAs(a, 'From A');
	});

	it('shows the instructor every mailbox, one on request, and the roster; learners get 403 for the roster', async () => {
		const all = (await api('/api/v1/messages?limit=500', 'instructor')).json as { messages: Array<{ id: string }> };
		expect(all.messages.map((m) => m.id)).toEqual(expect.arrayContaining([ids.a, ids.b, ids.bAttachment]));
		const onlyB = (await api(`/api/v1/messages?mailbox=${b.learner.mailbox}`, 'instructor')).json as { messages: Array<{ mailbox: string }> };
		expect(onlyB.messages.length).toBeGreaterThan(0);
		expect(onlyB.messages.every((m) => m.mailbox === b.learner.mailbox)).toBe(true);
		expect((await api(`/api/v1/messages/${ids.b}`, 'instructor')).status).toBe(200);
		expect((await api(`/api/v1/messages/${ids.bAttachment}/attachments/0`, 'instructor')).text).toBe('attachment of From B with attachment');

		const roster = await api('/api/v1/classroom/roster', 'instructor');
		expect(roster.status).toBe(200);
		const learners = (roster.json as { learners: Array<{ id: string; name: string; messageCount: number; lastMessageAt: string | null }> }).learners;
		const entryB = learners.find((l) => l.id === b.learner.id)!;
		expect(entryB).toMatchObject({ name: 'Learner B', messageCount: t.sandbox.store.listMailbox(b.learner.mailbox).length });
		expect(entryB.lastMessageAt).not.toBeNull();
		expect(learners.find((l) => l.name === 'Learner C')).toMatchObject({ messageCount: 0, lastMessageAt: null });
		expect(roster.text).not.toMatch(/cookieHash|smtpPassword/);
		expect((await api('/api/v1/classroom/roster', a)).status).toBe(403);
		expect((await api('/api/v1/messages', null, { headers: { cookie: `${INSTRUCTOR_COOKIE}=${instructorCookie}x` } })).status).toBe(401);
	});
});

describe('POP3 and IMAP in classroom mode', () => {
	it('POP3: A’s login shows A’s mail only; B’s user with A’s password is refused', async () => {
		const expected = t.sandbox.store.listMailbox(a.learner.mailbox);
		const client = await RawClient.plain(t.sandbox.ports.pop3);
		try {
			expect(await client.line()).toMatch(/^\+OK/);
			client.sendLine(`USER ${b.credentials.smtpUser}`);
			expect(await client.line()).toMatch(/^\+OK/);
			client.sendLine(`PASS ${a.credentials.smtpPassword}`);
			expect(await client.line()).toMatch(/^-ERR/);
		} finally {
			client.close();
		}
		const pop = await RawClient.plain(t.sandbox.ports.pop3);
		try {
			await pop.line();
			pop.sendLine(`USER ${a.credentials.smtpUser}`);
			await pop.line();
			pop.sendLine(`PASS ${a.credentials.smtpPassword}`);
			expect(await pop.line()).toMatch(/^\+OK/);
			pop.sendLine('STAT');
			expect(await pop.line()).toMatch(new RegExp(`^\\+OK ${expected.length} `));
			for (let n = 1; n <= expected.length; n++) {
				pop.sendLine(`TOP ${n} 0`);
				const lines = await pop.linesUntil(/^\.$/);
				expect(lines.join('\n')).not.toContain('From B');
			}
			pop.sendLine('QUIT');
			await pop.line();
		} finally {
			pop.close();
		}
	});

	it('IMAP: A’s login selects A’s mail only', async () => {
		const expected = t.sandbox.store.listMailbox(a.learner.mailbox);
		const imap = await RawClient.plain(t.sandbox.ports.imap);
		try {
			await imap.line();
			imap.sendLine(`w1 LOGIN ${a.credentials.smtpUser} "${b.credentials.smtpPassword}"`);
			expect((await imap.linesUntil(/^w1 /)).at(-1)).toMatch(/^w1 NO/);
			imap.sendLine(`l1 LOGIN ${a.credentials.smtpUser} "${a.credentials.smtpPassword}"`);
			expect((await imap.linesUntil(/^l1 /)).at(-1)).toMatch(/^l1 OK/);
			imap.sendLine('s1 SELECT INBOX');
			const selected = await imap.linesUntil(/^s1 /);
			expect(selected).toContain(`* ${expected.length} EXISTS`);
			imap.sendLine('f1 FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])');
			const fetched = (await imap.linesUntil(/^f1 /)).join('\n');
			expect(fetched).toContain('From A');
			expect(fetched).not.toContain('From B');
			imap.sendLine('o1 LOGOUT');
			await imap.linesUntil(/^o1 /);
		} finally {
			imap.close();
		}
	});

	it('shows a learner only their own POP3/IMAP sessions', async () => {
		const mine = (await api('/api/v1/mailread/sessions', a)).json as { sessions: Array<{ user: string | null }> };
		expect(mine.sessions.length).toBeGreaterThan(0);
		expect(mine.sessions.every((s) => s.user === a.credentials.smtpUser)).toBe(true);
		const theirs = (await api('/api/v1/mailread/sessions', b)).json as { sessions: Array<{ user: string | null }> };
		// The session that tried B's user with A's password is B's to see (someone tried their name), not A's.
		expect(theirs.sessions.every((s) => s.user === b.credentials.smtpUser)).toBe(true);
	});
});

describe('the forum in classroom mode', () => {
	let forum: ForumService;
	const realSends: MailMessage[] = [];

	beforeAll(async () => {
		const realMailer: RealMailSender = {
			settings: { host: 'smtp.example.com', port: 587, tls: 'starttls', user: 'teacher@example.com' },
			admit: () => ({ ok: true }),
			send: async (message) => {
				realSends.push(message);
				return { messageId: 'x', accepted: [message.to], rejected: [], response: '250 OK' };
			},
			verify: async () => undefined,
			close: () => undefined,
		};
		({ forum } = await startForum({
			env: {},
			dataDir: t.dataDir,
			host: '127.0.0.1',
			smtpPort: t.sandbox.ports.smtp,
			certificatePem: t.sandbox.certificate.pem,
			httpPort: t.httpPort,
			realMailer,
			classroom: t.sandbox.classroom,
			log: englishLog(seen),
		}));
	});
	afterAll(() => {
		forum.mailer.close();
	});

	it('files a learner’s account’s reset mail in that learner’s mailbox, and refuses them the real server', async () => {
		const signed = await forum.signUp(undefined, { username: 'ann', email: 'ann@example.com', password1: 'tulip-orbit-58', password2: 'tulip-orbit-58' }, { mailbox: a.learner.mailbox });
		expect(signed.kind).toBe('done');
		expect(forum.accounts.byUsername('ann')?.mailbox).toBe(a.learner.mailbox);

		const refused = await forum.requestPasswordReset({ email: 'ann@example.com', lang: 'en', clientKey: 'a', submissionKey: null, route: 'real', realAllowed: false });
		expect(refused).toMatchObject({ kind: 'invalid', errors: { route: [{ code: 'route_unavailable' }] } });
		expect(realSends).toEqual([]);

		const before = new Set(t.sandbox.store.listMailbox(a.learner.mailbox).map((m) => m.id));
		const done = await forum.requestPasswordReset({ email: 'ann@example.com', lang: 'en', clientKey: 'a', submissionKey: null, route: 'sandbox', realAllowed: false });
		expect(done.kind).toBe('done');
		const arrived = t.sandbox.store.listMailbox(a.learner.mailbox).filter((m) => !before.has(m.id));
		expect(arrived.map((m) => m.subject)).toEqual(['Password reset on Postlab']);
		expect(t.sandbox.store.listMailbox(b.learner.mailbox).some((m) => m.subject.startsWith('Password reset'))).toBe(false);
		const listedByB = (await api('/api/v1/messages', b)).json as { messages: Array<{ subject: string }> };
		expect(listedByB.messages.some((m) => m.subject.startsWith('Password reset'))).toBe(false);
	});

	it('sends an instructor’s reset through the real server; accounts no learner made get their mail in the instructor’s view', async () => {
		await forum.signUp(undefined, { username: 'teacher', email: 'teacher@example.com', password1: 'maple-river-93', password2: 'maple-river-93' });
		const real = await forum.requestPasswordReset({ email: 'teacher@example.com', lang: 'en', clientKey: 'i', submissionKey: null, route: 'real', realAllowed: true });
		expect(real.kind).toBe('done');
		expect(realSends.map((m) => m.to)).toEqual(['teacher@example.com']);
		const sandboxed = await forum.requestPasswordReset({ email: 'teacher@example.com', lang: 'en', clientKey: 'i', submissionKey: null });
		expect(sandboxed.kind).toBe('done');
		expect(t.sandbox.store.listMailbox('default').some((m) => m.to.some((to) => to.address === 'teacher@example.com'))).toBe(true);
	});
});

describe('secrets', () => {
	it('no learner password or the instructor token appears in a log line, API answer, event, transcript or data file', async () => {
		// The transcripts, as the API gives them, are part of what was seen.
		for (const id of [ids.a]) await api(`/api/v1/messages/${id}`, a);
		for (const id of [ids.b, ids.bAttachment]) await api(`/api/v1/messages/${id}`, 'instructor');
		await api('/api/v1/mailread/sessions', 'instructor');
		await api('/api/v1/health', 'instructor');
		const files: string[] = [];
		for (const entry of await readdir(t.dataDir, { recursive: true, withFileTypes: true })) {
			if (entry.isFile()) files.push(await readFile(join(entry.parentPath, entry.name), 'latin1'));
		}
		const forms = (user: string, secret: string): string[] => {
			const bare = secret.replaceAll(' ', '');
			return [secret, bare, ...[secret, bare, `\0${user}\0${secret}`, `\0${user}\0${bare}`].map((s) => Buffer.from(s).toString('base64'))];
		};
		const secrets = [...forms(a.credentials.smtpUser, a.credentials.smtpPassword), ...forms(b.credentials.smtpUser, b.credentials.smtpPassword), TOKEN, Buffer.from(TOKEN).toString('base64')];
		const everything = [...seen, ...files];
		expect(everything.length).toBeGreaterThan(20);
		for (const secret of secrets) {
			expect(everything.filter((text) => text.includes(secret)), secret).toEqual([]);
		}
	});
});
