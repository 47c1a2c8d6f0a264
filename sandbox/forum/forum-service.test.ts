/**
 * The forum's reset flow end to end: a real smtp-server receives the mail over real TLS (STARTTLS,
 * certificate verified) through the nodemailer transport, the test reads the link out of the received
 * email and follows it through the service, like a learner's browser would through the pages.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSandboxMailTransport } from '../outbound/mail-transport.ts';
import { createForum } from './create-forum.ts';
import type { ForumOptions, ForumService } from './forum-service.ts';
import type { MailSender } from '../outbound/mail-sender.ts';
import { newSubmissionKey } from './submission-guard.ts';
import { startCaptureSmtp, type CaptureSmtp } from '../testing/capture-smtp.ts';

const SECRET = 'test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz';
const ORIGIN = 'http://127.0.0.1:4321';
const PASSWORD = 'tulip-orbit-58';
const NEW_PASSWORD = 'maple-river-93';

let smtp: CaptureSmtp;
let dataDir: string;
let mailer: MailSender;
let clock: Date;
let forum: ForumService;

async function makeForum(overrides: Partial<ForumOptions> = {}): Promise<ForumService> {
	return createForum({
		dataDir,
		secretKey: SECRET,
		siteOrigin: ORIGIN,
		mailer,
		now: () => clock,
		scrypt: { cost: 1024, blockSize: 8, parallelism: 1 },
		// No padding here: these tests count mails and connections, not milliseconds.
		minResetResponseMs: 0,
		...overrides,
	});
}

async function signUp(username = 'minji', email = 'minji@example.com'): Promise<string> {
	const result = await forum.signUp(undefined, { username, email, password1: PASSWORD, password2: PASSWORD });
	if (result.kind !== 'done') throw new Error(`sign-up failed: ${JSON.stringify(result)}`);
	await forum.logOut(result.sessionId);
	return result.sessionId;
}

function resetRequest(email: string, submissionKey: string | null = newSubmissionKey(), clientKey = '127.0.0.1') {
	return forum.requestPasswordReset({ email, lang: 'en', clientKey, submissionKey });
}

/** The reset link in a received email: in the text part, and the same in the HTML part's <a href>. */
function linkIn(index: number): URL {
	const mail = smtp.messages[index]!.parsed;
	const fromText = /https?:\/\/\S+\/reset\/[^\s/]+\/[^\s/]+\//.exec(mail.text ?? '')?.[0];
	if (!fromText) throw new Error(`no reset link in: ${mail.text}`);
	expect(typeof mail.html === 'string' && mail.html.includes(`href="${fromText}"`)).toBe(true);
	return new URL(fromText);
}

function linkParts(url: URL): { uidb64: string; token: string } {
	const [, uidb64, token] = /\/reset\/([^/]+)\/([^/]+)\/$/.exec(url.pathname) ?? [];
	return { uidb64: uidb64!, token: token! };
}

/** Asks for minji's reset and follows the emailed link, as her browser would: the session may now set a password. */
async function followResetLink(): Promise<{ confirm: { sessionId: string }; uidb64: string; token: string }> {
	await resetRequest('minji@example.com');
	await smtp.waitForMessages(1);
	const { uidb64, token } = linkParts(linkIn(0));
	const confirm = await forum.openResetLink(undefined, uidb64, token, 'en');
	if (confirm.kind !== 'redirect') throw new Error('link refused');
	return { confirm, uidb64, token };
}

async function logIn(password: string) {
	return forum.logIn(undefined, { username: 'minji', password });
}

beforeAll(async () => {
	smtp = await startCaptureSmtp();
	mailer = createSandboxMailTransport({ port: smtp.port, certificatePem: smtp.certificatePem });
});
afterAll(async () => {
	mailer.close();
	await smtp.close();
});
beforeEach(async () => {
	smtp.messages.length = 0;
	clock = new Date('2026-12-01T10:00:00Z');
	dataDir = await mkdtemp(join(tmpdir(), 'postlab-forum-service-'));
	forum = await makeForum();
});
afterEach(async () => {
	await rm(dataDir, { recursive: true, force: true });
});

describe('password reset, end to end over real SMTP with TLS', () => {
	it('sign up → forgot → email → link → set-password → done → log in with the new password; the old one fails', async () => {
		await signUp();
		expect(await resetRequest('minji@example.com')).toMatchObject({ kind: 'done', settings: { host: '127.0.0.1', port: smtp.port, tls: 'starttls', user: null } });

		const [mail] = await smtp.waitForMessages(1);
		expect(mail!.secure).toBe(true);
		expect(mail!.rcptTo).toEqual(['minji@example.com']);
		expect(mail!.parsed.subject).toBe('Password reset on Postlab');
		expect(mail!.parsed.text).toContain('Your username, in case you’ve forgotten: minji');
		const link = linkIn(0);
		expect(link.origin).toBe(ORIGIN);
		expect(link.pathname).toMatch(/^\/en\/sandbox\/forum\/reset\/MQ\/[0-9a-z]+-[0-9a-f]{32}\/$/);

		// The confirm step: token into the session, redirect to a URL without it.
		const { uidb64, token } = linkParts(link);
		const confirm = await forum.openResetLink(undefined, uidb64, token, 'en');
		expect(confirm.kind).toBe('redirect');
		if (confirm.kind !== 'redirect') return;
		expect(confirm.location).toBe('/en/sandbox/forum/reset/MQ/set-password/');
		expect(confirm.location).not.toContain(token);
		expect((await forum.openResetLink(confirm.sessionId, uidb64, 'set-password', 'en')).kind).toBe('form');

		const done = await forum.setPasswordFromReset(confirm.sessionId, uidb64, { password1: NEW_PASSWORD, password2: NEW_PASSWORD }, 'en');
		expect(done).toMatchObject({ kind: 'done', location: '/en/sandbox/forum/reset/done/', notified: true });

		// The owner is told by email that the password changed.
		const [, notice] = await smtp.waitForMessages(2);
		expect(notice!.parsed.subject).toBe('Your password on Postlab was changed');
		expect(notice!.rcptTo).toEqual(['minji@example.com']);

		expect((await logIn(NEW_PASSWORD)).kind).toBe('done');
		expect(await logIn(PASSWORD)).toEqual({ kind: 'invalid', errors: { __all__: [{ code: 'invalid_login' }] } });
	});

	it('writes the email in Korean for a Korean page, with text and HTML parts', async () => {
		await signUp();
		await forum.requestPasswordReset({ email: 'minji@example.com', lang: 'ko', clientKey: 'c', submissionKey: null });
		const [mail] = await smtp.waitForMessages(1);
		expect(mail!.parsed.subject).toBe('Postlab 비밀번호 재설정');
		expect(mail!.parsed.text).toContain('/ko/sandbox/forum/reset/MQ/');
		expect(mail!.parsed.html).toContain('<html lang="ko">');
	});

	it('makes a link single-use: after the password is set, the same link is invalid', async () => {
		await signUp();
		const { confirm, uidb64, token } = await followResetLink();
		await forum.setPasswordFromReset(confirm.sessionId, uidb64, { password1: NEW_PASSWORD, password2: NEW_PASSWORD }, 'en');
		expect((await forum.openResetLink(undefined, uidb64, token, 'en')).kind).toBe('invalid');
		// And the session that used it cannot set a second password.
		expect((await forum.setPasswordFromReset(confirm.sessionId, uidb64, { password1: 'x-another-9', password2: 'x-another-9' }, 'en')).kind).toBe('invalid-link');
	});

	it('voids a link when the user logs in before using it', async () => {
		await signUp();
		await resetRequest('minji@example.com');
		await smtp.waitForMessages(1);
		const { uidb64, token } = linkParts(linkIn(0));
		clock = new Date(clock.getTime() + 5_000);
		expect((await logIn(PASSWORD)).kind).toBe('done');
		expect((await forum.openResetLink(undefined, uidb64, token, 'en')).kind).toBe('invalid');
	});

	it('expires a link after PASSWORD_RESET_TIMEOUT (259200 s)', async () => {
		await signUp();
		await resetRequest('minji@example.com');
		await smtp.waitForMessages(1);
		const { uidb64, token } = linkParts(linkIn(0));
		clock = new Date(clock.getTime() + 259_200_000);
		expect((await forum.openResetLink(undefined, uidb64, token, 'en')).kind).toBe('redirect');
		clock = new Date(clock.getTime() + 1_000);
		expect((await forum.openResetLink(undefined, uidb64, token, 'en')).kind).toBe('invalid');
	});

	it("refuses a token used with another user's uidb64, and a set-password step without the token in the session", async () => {
		await signUp('minji', 'minji@example.com');
		await signUp('jisoo', 'jisoo@example.com');
		await resetRequest('minji@example.com');
		await smtp.waitForMessages(1);
		const { token } = linkParts(linkIn(0));
		expect((await forum.openResetLink(undefined, 'Mg', token, 'en')).kind).toBe('invalid');
		expect((await forum.openResetLink(undefined, 'MQ', 'set-password', 'en')).kind).toBe('invalid');
		const otherBrowser = await forum.ensureSession(undefined);
		expect((await forum.setPasswordFromReset(otherBrowser, 'MQ', { password1: NEW_PASSWORD, password2: NEW_PASSWORD }, 'en')).kind).toBe('invalid-link');
		expect((await logIn(PASSWORD)).kind).toBe('done');
	});

	it('applies the password rules on the set-password step', async () => {
		await signUp();
		const { confirm, uidb64 } = await followResetLink();
		const outcome = await forum.setPasswordFromReset(confirm.sessionId, uidb64, { password1: 'minji123', password2: 'minji123' }, 'en');
		expect(outcome.kind).toBe('invalid-form');
		const mismatch = await forum.setPasswordFromReset(confirm.sessionId, uidb64, { password1: NEW_PASSWORD, password2: `${NEW_PASSWORD}!` }, 'en');
		expect(mismatch).toEqual({ kind: 'invalid-form', errors: { password2: [{ code: 'password_mismatch' }] } });
		// Still usable after the refused attempts.
		expect((await forum.openResetLink(confirm.sessionId, uidb64, 'set-password', 'en')).kind).toBe('form');
	});

	it('ends the other sessions of the account when the password is reset', async () => {
		await signUp();
		const elsewhere = await logIn(PASSWORD);
		if (elsewhere.kind !== 'done') throw new Error('login failed');
		expect(forum.visitor(elsewhere.sessionId).user?.username).toBe('minji');
		clock = new Date(clock.getTime() + 1000);
		const { confirm, uidb64 } = await followResetLink();
		await forum.setPasswordFromReset(confirm.sessionId, uidb64, { password1: NEW_PASSWORD, password2: NEW_PASSWORD }, 'en');
		expect(forum.visitor(elsewhere.sessionId).user).toBeNull();
	});
});

describe('reset requests do not tell who has an account', () => {
	it('answers an unknown address like a known one, sends no mail, but talks to the mail server all the same', async () => {
		await signUp();
		const before = smtp.connections();
		const unknown = await resetRequest('nobody@example.com');
		expect(smtp.connections()).toBe(before + 1);
		const known = await resetRequest('minji@example.com');
		expect(smtp.connections()).toBe(before + 2);
		expect(unknown).toEqual(known);
		await smtp.waitForMessages(1);
		expect(smtp.messages.map((m) => m.rcptTo)).toEqual([['minji@example.com']]);
	});

	it('matches the address case-insensitively and sends to the address stored on the account', async () => {
		await signUp('minji', 'Minji@Example.com');
		await resetRequest('  MINJI@example.COM ');
		const [mail] = await smtp.waitForMessages(1);
		// The local part is the stored one, not the typed "MINJI" (nodemailer lowercases the domain, which is case-insensitive).
		expect(mail!.rcptTo).toEqual(['Minji@example.com']);
	});

	it('rate-limits per address, the same for known and unknown addresses', async () => {
		forum = await makeForum({ resetLimitPerAddress: { limit: 2, windowMs: 60_000 } });
		await signUp();
		for (const email of ['minji@example.com', 'nobody@example.com']) {
			expect((await resetRequest(email)).kind).toBe('done');
			expect((await resetRequest(email.toUpperCase())).kind).toBe('done');
			expect(await resetRequest(email)).toEqual({ kind: 'rate-limited', retryAfterSeconds: 60 });
		}
		// The same form, sent again once the window has passed, goes through.
		const key = newSubmissionKey();
		expect((await resetRequest('minji@example.com', key)).kind).toBe('rate-limited');
		clock = new Date(clock.getTime() + 60_000);
		expect((await resetRequest('minji@example.com', key)).kind).toBe('done');
	});

	it('rate-limits per client across addresses', async () => {
		forum = await makeForum({ resetLimitPerClient: { limit: 3, windowMs: 60_000 } });
		for (let i = 0; i < 3; i++) expect((await resetRequest(`a${i}@example.com`, newSubmissionKey(), '10.0.0.1')).kind).toBe('done');
		expect((await resetRequest('a9@example.com', newSubmissionKey(), '10.0.0.1')).kind).toBe('rate-limited');
		expect((await resetRequest('a9@example.com', newSubmissionKey(), '10.0.0.2')).kind).toBe('done');
	});

	it('refuses something that is not an email address, keeping what was typed for the form', async () => {
		expect(await resetRequest('not an address')).toEqual({ kind: 'invalid', errors: { email: [{ code: 'email_invalid' }] } });
		expect(await resetRequest('')).toEqual({ kind: 'invalid', errors: { email: [{ code: 'required' }] } });
	});
});

describe('double submission', () => {
	it('sends one email for a double-clicked form', async () => {
		await signUp();
		const key = newSubmissionKey();
		const [first, second] = await Promise.all([resetRequest('minji@example.com', key), resetRequest('minji@example.com', key)]);
		expect(second).toEqual(first);
		// A third, later repeat of the same form also sends nothing new.
		expect(await resetRequest('minji@example.com', key)).toEqual(first);
		// A fresh form does send again, and its mail arrives after the first: so a second one from the double click would have too.
		await resetRequest('minji@example.com');
		await smtp.waitForMessages(2);
		expect(smtp.messages).toHaveLength(2);
	});
});

describe('when the mail server is down', () => {
	async function closedPort(): Promise<number> {
		const probe = createServer();
		await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
		const { port } = probe.address() as AddressInfo;
		await new Promise<void>((resolve) => probe.close(() => resolve()));
		return port;
	}

	it('says what failed, keeps the account as it was, and lets the learner retry the same form', async () => {
		await signUp();
		const port = await closedPort();
		let attempts = 0;
		const dead = createSandboxMailTransport({ port, certificatePem: smtp.certificatePem });
		const counting: MailSender = {
			settings: dead.settings,
			send: (m) => (attempts++, dead.send(m)),
			verify: () => (attempts++, dead.verify()),
			close: () => dead.close(),
		};
		forum = await makeForum({ mailer: counting });
		const key = newSubmissionKey();
		const outcome = await resetRequest('minji@example.com', key);
		expect(outcome).toMatchObject({ kind: 'send-failed', failure: { host: '127.0.0.1', port, code: 'ESOCKET' } });
		if (outcome.kind === 'send-failed') expect(outcome.failure.message).toMatch(/ECONNREFUSED/);
		expect((await resetRequest('minji@example.com', key)).kind).toBe('send-failed');
		expect(attempts).toBe(2);
		// Nothing changed: the old password still works.
		expect((await logIn(PASSWORD)).kind).toBe('done');
		// The unknown-address path fails the same way, so the error does not reveal accounts either.
		expect((await resetRequest('nobody@example.com')).kind).toBe('send-failed');
	});

	it('sets the new password when the password-changed notice cannot be sent, says so, and logs why', async () => {
		const dead = createSandboxMailTransport({ port: await closedPort(), certificatePem: smtp.certificatePem });
		let sends = 0;
		// The reset email goes out; the server is gone by the time the notice follows.
		const failingSecond: MailSender = {
			settings: mailer.settings,
			send: (m) => (++sends === 1 ? mailer.send(m) : dead.send(m)),
			verify: () => mailer.verify(),
			close: () => dead.close(),
		};
		const logged: string[] = [];
		forum = await makeForum({ mailer: failingSecond, log: (line) => logged.push(line) });
		await signUp();
		const { confirm, uidb64 } = await followResetLink();
		const done = await forum.setPasswordFromReset(confirm.sessionId, uidb64, { password1: NEW_PASSWORD, password2: NEW_PASSWORD }, 'en');
		failingSecond.close();
		expect(done).toMatchObject({ kind: 'done', notified: false });
		expect(logged).toEqual([expect.stringMatching(/^Failed to send the password-changed notice to 1: .*ECONNREFUSED/)]);
		expect((await logIn(NEW_PASSWORD)).kind).toBe('done');
	});
});

describe('sign-up and log-in', () => {
	it("applies Django's rules and keeps accounts across a restart", async () => {
		const weak = await forum.signUp(undefined, { username: 'minji', email: 'minji@example.com', password1: '12345678', password2: '12345678' });
		expect(weak.kind === 'invalid' && weak.errors['password2']?.map((e) => e.code)).toEqual(['password_too_common', 'password_entirely_numeric']);
		const bad = await forum.signUp(undefined, { username: 'min ji', email: 'nope', password1: 'a', password2: 'b' });
		expect(bad.kind === 'invalid' && Object.keys(bad.errors).sort()).toEqual(['email', 'password2', 'username']);
		await signUp();
		const taken = await forum.signUp(undefined, { username: 'MINJI', email: 'x@example.com', password1: PASSWORD, password2: PASSWORD });
		expect(taken).toEqual({ kind: 'invalid', errors: { username: [{ code: 'username_taken' }] } });

		forum = await makeForum();
		expect((await logIn(PASSWORD)).kind).toBe('done');
		expect((await forum.logIn(undefined, { username: 'nobody', password: PASSWORD })).kind).toBe('invalid');
	});

	it('gives a new session id at login and ends the session at logout', async () => {
		const anonymous = await forum.ensureSession(undefined);
		const result = await forum.logIn(anonymous, { username: 'x', password: 'y' });
		expect(result.kind).toBe('invalid');
		await signUp();
		const login = await forum.logIn(anonymous, { username: 'minji', password: PASSWORD });
		if (login.kind !== 'done') throw new Error('login failed');
		expect(login.sessionId).not.toBe(anonymous);
		expect(forum.visitor(anonymous).user).toBeNull();
		expect(forum.visitor(login.sessionId).user?.username).toBe('minji');
		await forum.logOut(login.sessionId);
		expect(forum.visitor(login.sessionId).user).toBeNull();
	});
});
