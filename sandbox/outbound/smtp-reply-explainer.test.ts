/**
 * The explainer is fed the errors nodemailer really produces against real local servers (real sockets,
 * real TLS), so a change in nodemailer's error shape shows up here. Only DNS failures are built by hand:
 * no test may touch the network, and a lookup would.
 */
import { createServer, type AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { explainReply, explainSmtpError, parseReply, transcriptSteps } from './smtp-reply-explainer.ts';
import { SMTP_REPLY_RULES, type SmtpStep } from './smtp-reply-rules.ts';
import { useGmailLikeServers } from '../testing/use-gmail-like-servers.ts';

const PASSWORD = 'abcdefghijklmnop';
const gmailServers = useGmailLikeServers(PASSWORD);
const server = gmailServers.start;

/** Runs a nodemailer action that must fail and returns its error. */
async function failure(action: () => Promise<unknown>): Promise<unknown> {
	try {
		await action();
	} catch (error) {
		return error;
	}
	throw new Error('expected the SMTP action to fail');
}

function transport(port: number, options: Record<string, unknown> = {}) {
	return nodemailer.createTransport({ host: 'localhost', port, tls: { ca: gmailServers.ca() }, ...options });
}

async function closedPort(): Promise<number> {
	const probe = createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
	const port = (probe.address() as AddressInfo).port;
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	return port;
}

const message = { from: 'me@gmail.com', to: 'you@example.com', subject: 't', text: 't' };

describe('explanations of real nodemailer errors', { timeout: 60_000 }, () => {
	it('535 5.7.8: wrong or revoked app password', async () => {
		const { port } = await server();
		const error = await failure(() => transport(port, { requireTLS: true, auth: { user: 'me@gmail.com', pass: 'wrongpassword000' } }).verify());
		expect(error).toMatchObject({ code: 'EAUTH', responseCode: 535 });
		const explanation = explainSmtpError(error);
		expect(explanation).toMatchObject({ id: 'auth-rejected', kind: 'auth', settings: ['EMAIL_HOST_PASSWORD', 'EMAIL_HOST_USER'] });
		expect(explanation.reply).toBe('535 5.7.8 Username and Password not accepted');
		expect(explanation.what.en).toContain('account password');
		expect(explanation.todo.ko).toContain('앱 비밀번호');
	});

	it('534 5.7.9: app password required', async () => {
		const { port } = await server({ appPasswordRequired: true });
		const error = await failure(() => transport(port, { requireTLS: true, auth: { user: 'me@gmail.com', pass: 'MyAccountPass1' } }).verify());
		expect(explainSmtpError(error)).toMatchObject({ id: 'app-password-required', kind: 'auth', settings: ['EMAIL_HOST_PASSWORD'] });
	});

	it('530 5.7.0 Must issue a STARTTLS command first', async () => {
		const { port } = await server();
		const error = await failure(() => transport(port, { ignoreTLS: true, auth: { user: 'me@gmail.com', pass: PASSWORD } }).verify());
		expect(error).toMatchObject({ responseCode: 530 });
		const explanation = explainSmtpError(error);
		expect(explanation).toMatchObject({ id: 'starttls-required', kind: 'tls' });
		expect(explanation.settings[0]).toBe('EMAIL_USE_TLS');
	});

	it('530 5.7.0 Authentication Required', async () => {
		const { port } = await server();
		const error = await failure(() => transport(port, { requireTLS: true }).sendMail(message));
		expect(explainSmtpError(error)).toMatchObject({ id: 'auth-required', kind: 'auth', settings: ['EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD'] });
	});

	it('TLS "wrong version number": implicit TLS to a STARTTLS port', async () => {
		const { port } = await server();
		const error = await failure(() => transport(port, { secure: true }).verify());
		const explanation = explainSmtpError(error, { host: 'localhost', port, security: 'implicit' });
		expect(explanation).toMatchObject({ id: 'tls-wrong-version', kind: 'tls' });
		expect(explanation.todo.en).toContain('EMAIL_USE_SSL=False');
		expect(explanation.what.en).toContain(`localhost:${port}`);
	});

	it('greeting timeout: plain/STARTTLS to an implicit-TLS port', async () => {
		const { port } = await server({ implicitTls: true });
		const error = await failure(() => transport(port, { secure: false, greetingTimeout: 300 }).verify());
		expect(error).toMatchObject({ code: 'ETIMEDOUT' });
		const explanation = explainSmtpError(error);
		expect(explanation).toMatchObject({ id: 'greeting-timeout', kind: 'tls' });
		expect(explanation.todo.en).toContain('EMAIL_USE_SSL=True');
	});

	it('ECONNREFUSED: nothing listens on the port', async () => {
		const port = await closedPort();
		const error = await failure(() => nodemailer.createTransport({ host: '127.0.0.1', port }).verify());
		expect(error).toMatchObject({ originalCode: 'ECONNREFUSED' });
		expect(explainSmtpError(error)).toMatchObject({ id: 'connection-refused', kind: 'connection', settings: ['EMAIL_PORT', 'EMAIL_HOST'] });
	});

	it('self-signed certificate that is not trusted', async () => {
		const { port } = await server({ implicitTls: true });
		const error = await failure(() => nodemailer.createTransport({ host: 'localhost', port, secure: true }).verify());
		const explanation = explainSmtpError(error);
		expect(explanation).toMatchObject({ id: 'certificate-untrusted', kind: 'tls' });
		expect(explanation.todo.en).toContain('Do not turn certificate checks off');
	});

	it('certificate for another name', async () => {
		const { port } = await server({ implicitTls: true });
		const error = await failure(() => nodemailer.createTransport({ host: '127.0.0.1', port, secure: true, tls: { ca: gmailServers.ca(), servername: 'smtp.gmail.com' } }).verify());
		expect(explainSmtpError(error, { host: '127.0.0.1' })).toMatchObject({ id: 'certificate-name-mismatch', kind: 'tls' });
	});

	it('553 sender rejected', async () => {
		const { port } = await server({ mailFromReply: [553, '5.7.1 Sender address rejected: not owned by user'] });
		const error = await failure(() => transport(port, { requireTLS: true, auth: { user: 'me@gmail.com', pass: PASSWORD } }).sendMail(message));
		expect(explainSmtpError(error)).toMatchObject({ id: 'sender-rejected', kind: 'rejected', settings: ['DEFAULT_FROM_EMAIL', 'EMAIL_HOST_USER'] });
	});

	it('421 4.7.0 try again later', async () => {
		const { port } = await server({ mailFromReply: [421, '4.7.0 Try again later, closing connection.'] });
		const error = await failure(() => transport(port, { requireTLS: true, auth: { user: 'me@gmail.com', pass: PASSWORD } }).sendMail(message));
		expect(explainSmtpError(error)).toMatchObject({ id: 'rate-limited', kind: 'rejected' });
	});

	it('550 5.4.5 daily sending limit', async () => {
		const { port } = await server({ mailFromReply: [550, '5.4.5 Daily user sending limit exceeded.'] });
		const error = await failure(() => transport(port, { requireTLS: true, auth: { user: 'me@gmail.com', pass: PASSWORD } }).sendMail(message));
		expect(explainSmtpError(error)).toMatchObject({ id: 'daily-limit', kind: 'rejected' });
	});
});

describe('DNS failures (shaped like nodemailer 10 reports them; no lookup is made)', () => {
	it.each([
		['ENOTFOUND', 'dns-not-found'],
		['EAI_AGAIN', 'dns-unavailable'],
	])('%s → %s', (originalCode, id) => {
		const error = Object.assign(new Error(`getaddrinfo ${originalCode} smtp.gmial.com`), { code: 'EDNS', originalCode, command: 'CONN' });
		const explanation = explainSmtpError(error, { host: 'smtp.gmial.com' });
		expect(explanation).toMatchObject({ id, kind: 'connection', settings: ['EMAIL_HOST'] });
		expect(explanation.what.en).toContain('smtp.gmial.com');
	});
});

describe('every explanation speaks both languages', () => {
	it.each([
		{ responseCode: 535, response: '535 5.7.8 x' },
		{ responseCode: 534, response: '534 5.7.9 x' },
		{ responseCode: 530, response: '530 5.7.0 Must issue a STARTTLS command first' },
		{ responseCode: 530, response: '530 5.7.0 Authentication Required' },
		{ responseCode: 421, response: '421 4.7.0 x' },
		{ responseCode: 553, response: '553 5.7.1 x', command: 'MAIL FROM' },
		{ responseCode: 550, response: '550 5.1.1 x', command: 'RCPT TO' },
		{ code: 'ETIMEDOUT', message: 'Connection timeout' },
		{ code: 'ETLS', message: 'x' },
		{ code: 'ECONNECTION', message: 'Connection closed unexpectedly' },
		{ code: 'EAUTH', message: 'x' },
		{ code: 'EWHATEVER', message: 'x' },
	])('%o', (shape) => {
		const explanation = explainSmtpError(Object.assign(new Error(shape.message ?? 'x'), shape));
		for (const text of [explanation.what, explanation.todo]) {
			expect(text.ko).toMatch(/[가-힣]/);
			expect(text.en).not.toMatch(/[가-힣]/);
		}
	});
});

describe('explainReply', () => {
	it('reads the code of single and multi-line replies', () => {
		expect(explainReply('250-SIZE 26214400', 'en')?.term).toBe('250');
		expect(explainReply('535 5.7.8 Username and Password not accepted', 'en')?.text).toMatch(/app password/);
	});
	it('falls back to the class digit for codes it has no entry for', () => {
		expect(explainReply('557 custom', 'en')?.text).toMatch(/Permanent/);
	});
	it('ignores lines that are not replies', () => {
		expect(explainReply('hello', 'en')).toBeNull();
		expect(explainReply('25', 'en')).toBeNull();
	});
});

describe("Gmail's replies, by the step they answer (as nodemailer reports them)", () => {
	// nodemailer's error for each: the reply and the command it was running.
	it.each([
		['535-5.7.8 Username and Password not accepted.', 'AUTH PLAIN', 'EAUTH', 'auth-rejected', 'auth'],
		['534-5.7.9 Application-specific password required.', 'AUTH PLAIN', 'EAUTH', 'app-password-required', 'auth'],
		['530 5.7.0 Must issue a STARTTLS command first.', 'MAIL FROM', 'EENVELOPE', 'starttls-required', 'tls'],
		['530-5.7.0 Authentication Required.', 'MAIL FROM', 'EENVELOPE', 'auth-required', 'auth'],
		['550-5.4.5 Daily user sending limit exceeded.', 'MAIL FROM', 'EENVELOPE', 'daily-limit', 'rejected'],
		['421-4.7.0 Try again later, closing connection.', 'EHLO', 'ECONNECTION', 'rate-limited', 'rejected'],
		['451-4.3.0 Mail server temporarily rejected message.', 'DATA', 'EMESSAGE', 'server-busy', 'rejected'],
		['550-5.1.1 The email account that you tried to reach does not exist.', 'RCPT TO', 'EENVELOPE', 'recipient-unknown', 'rejected'],
		["552-5.3.4 Your message exceeded Google's message size limits.", 'DATA', 'EMESSAGE', 'message-too-large', 'rejected'],
		['553 5.7.1 Sender address rejected: not owned by user', 'MAIL FROM', 'EENVELOPE', 'sender-rejected', 'rejected'],
		['550 5.7.1 Relaying denied', 'RCPT TO', 'EENVELOPE', 'recipient-rejected', 'rejected'],
	])('%s at %s → %s', (response, command, code, id, kind) => {
		const error = Object.assign(new Error(`Message failed: ${response}`), { code, response, responseCode: Number(response.slice(0, 3)), command });
		const explanation = explainSmtpError(error);
		expect(explanation).toMatchObject({ id, kind, reply: response });
		expect(explanation.what.en).toContain(response.slice(0, 3));
		expect(explanation.what.ko).toMatch(/[가-힣]/);
	});

	it('tells a 552 for the size announced at MAIL FROM from a refused sender', () => {
		const error = Object.assign(new Error('x'), { code: 'EENVELOPE', response: '552 5.3.4 Message size exceeds fixed limit', responseCode: 552, command: 'MAIL FROM' });
		expect(explainSmtpError(error).id).toBe('message-too-large');
	});
});

describe('the rule table', () => {
	it('reads enhanced status codes from single and multi-line replies', () => {
		expect(parseReply('535-5.7.8 Username and Password not accepted.')).toEqual({ code: 535, enhanced: '5.7.8', text: 'Username and Password not accepted.' });
		expect(parseReply('250 OK')).toEqual({ code: 250, text: 'OK' });
		expect(parseReply('250')).toEqual({ code: 250, text: '' });
		expect(parseReply('2500 no')).toBeNull();
	});

	it('gives every diagnosis what to do, in both languages', () => {
		for (const rule of SMTP_REPLY_RULES.filter((r) => r.kind !== undefined)) {
			expect(rule.todo, rule.id).toBeDefined();
			expect(rule.settings, rule.id).toBeDefined();
		}
	});

	it('explains a reply by the step it answers', () => {
		expect(explainReply('220 2.0.0 Ready to start TLS', 'en', 'starttls')?.text).toMatch(/encrypted/);
		expect(explainReply('220 smtp.example ESMTP', 'en', 'greeting')?.text).toMatch(/greets/);
		expect(explainReply('250 2.0.0 OK: queued', 'en', 'message')?.text).toMatch(/responsibility/);
		expect(explainReply('250 2.1.0 Ok', 'en', 'mail')?.text).toMatch(/^OK/);
		expect(explainReply('550 5.1.1 no such user', 'ko', 'rcpt')?.text).toMatch(/받는 사람 주소가 없습니다/);
	});

	it('follows a transcript: the greeting, each command, and the reply after the final dot', () => {
		const entries = [
			{ from: 'server', line: '220 ready' },
			{ from: 'client', line: 'EHLO me' },
			{ from: 'server', line: '250-ok' },
			{ from: 'client', line: 'AUTH PLAIN' },
			{ from: 'client', line: '[hidden]' },
			{ from: 'server', line: '235 ok' },
			{ from: 'client', line: 'MAIL FROM:<a@b>' },
			{ from: 'server', line: '250 ok' },
			{ from: 'client', line: 'DATA' },
			{ from: 'server', line: '354 go on' },
			{ from: 'event', line: '' },
			{ from: 'server', line: '250 queued' },
		];
		const expected: SmtpStep[] = ['greeting', 'ehlo', 'ehlo', 'auth', 'auth', 'auth', 'mail', 'mail', 'data', 'data', 'message', 'message'];
		expect(transcriptSteps(entries)).toEqual(expected);
	});
});
