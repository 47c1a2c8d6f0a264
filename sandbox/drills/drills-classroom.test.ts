/**
 * Failure drills in classroom mode, over real sockets: a learner's drill refuses only their own SMTP login,
 * the instructor's applies to the whole class (a learner's own wins), and each sees only their own refusals.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTRUCTOR_COOKIE, LEARNER_COOKIE, type LearnerCredentials } from '../classroom/classroom.ts';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';
import type { DrillRefusal } from './drill-switch.ts';

const TOKEN = 'classroom-drills-token-5e1d9a3c7b2f4e60';

let t: TestSandbox;
const members: Record<'a' | 'b', { credentials: LearnerCredentials; cookie: string; mailbox: string }> = {} as never;
let instructorCookie: string;

beforeAll(async () => {
	t = await startTestSandbox({ SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: TOKEN }, { log: () => undefined });
	for (const [key, name] of [['a', 'Drill A'], ['b', 'Drill B']] as const) {
		const joined = await t.sandbox.classroom.join(name);
		members[key] = { credentials: joined.credentials, cookie: `${LEARNER_COOKIE}=${joined.cookieValue}`, mailbox: joined.learner.mailbox };
	}
	instructorCookie = `${INSTRUCTOR_COOKIE}=${(await t.sandbox.classroom.instructorLogin(TOKEN))!}`;
});
afterAll(async () => {
	await t.stop();
});

async function drills(cookie: string, init: RequestInit = {}): Promise<{ status: number; json: { active?: unknown; refusals?: DrillRefusal[] } }> {
	const response = await fetch(`${t.baseUrl}/api/v1/drills`, { ...init, headers: { cookie, origin: t.baseUrl, 'content-type': 'application/json' } });
	return { status: response.status, json: (await response.json()) as { active?: unknown; refusals?: DrillRefusal[] } };
}

/** Sends as a learner's login, the way Django with EMAIL_USE_TLS = True does; the reply code it ended with. */
async function sendAs(member: 'a' | 'b'): Promise<number> {
	const transport = nodemailer.createTransport({
		host: '127.0.0.1',
		port: t.sandbox.ports.smtp,
		requireTLS: true,
		tls: { ca: t.sandbox.certificate.pem, servername: 'localhost' },
		auth: { user: members[member].credentials.smtpUser, pass: members[member].credentials.smtpPassword },
	});
	try {
		const info = await transport.sendMail({ from: 'django@example.com', to: 'someone@example.com', subject: `from ${member}`, text: 'hi' });
		return Number(info.response.slice(0, 3));
	} catch (error) {
		return (error as { responseCode?: number }).responseCode ?? 0;
	} finally {
		transport.close();
	}
}

describe('drills in classroom mode', () => {
	it('a learner’s drill refuses only their own login', async () => {
		expect((await drills(members.a.cookie, { method: 'PUT', body: JSON.stringify({ drill: 'wrong-app-password' }) })).status).toBe(200);
		expect(await sendAs('a')).toBe(535);
		expect(await sendAs('b')).toBe(250);
	});

	it('the instructor’s drill applies to the whole class, and a learner’s own drill wins over it', async () => {
		expect((await drills(instructorCookie, { method: 'PUT', body: JSON.stringify({ drill: 'daily-limit' }) })).status).toBe(200);
		expect(await sendAs('b')).toBe(550);
		expect(await sendAs('a')).toBe(535);
		expect((await drills(instructorCookie, { method: 'DELETE' })).status).toBe(200);
		expect(await sendAs('b')).toBe(250);
	});

	it('each learner sees only their own refusals; the instructor sees the class’s', async () => {
		const a = (await drills(members.a.cookie)).json;
		const b = (await drills(members.b.cookie)).json;
		expect(a.refusals!.length).toBeGreaterThan(0);
		expect(a.refusals!.every((refusal) => refusal.mailbox === members.a.mailbox)).toBe(true);
		expect(b.refusals!.map((refusal) => refusal.drill)).toEqual(['daily-limit']);
		expect(b.refusals![0]!.classWide).toBe(true);
		const all = (await drills(instructorCookie)).json;
		expect(new Set(all.refusals!.map((refusal) => refusal.mailbox))).toEqual(new Set([members.a.mailbox, members.b.mailbox]));
		// Nobody's password is in any of it.
		for (const member of [members.a, members.b]) expect(JSON.stringify(all)).not.toContain(member.credentials.smtpPassword);
	});

	it('without a classroom identity the API answers 401', async () => {
		expect((await drills('')).status).toBe(401);
	});
});
