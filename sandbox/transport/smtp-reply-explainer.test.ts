/**
 * The explainer is fed the errors nodemailer really produces against real local servers (real sockets,
 * real TLS), so a change in nodemailer's error shape shows up here. Only DNS failures are built by hand:
 * no test may touch the network, and a lookup would.
 */
import { createServer, type AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainSmtpError } from './smtp-reply-explainer.ts';
import { makeLocalhostCertificate, startGmailLikeServer, type GmailLikeServer, type TestCertificate } from './gmail-like-test-server.ts';

const PASSWORD = 'abcdefghijklmnop';
let certificate: TestCertificate;
const servers: GmailLikeServer[] = [];

async function server(options: Partial<Parameters<typeof startGmailLikeServer>[0]> = {}): Promise<GmailLikeServer> {
	const started = await startGmailLikeServer({ certificate, password: PASSWORD, ...options });
	servers.push(started);
	return started;
}

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
	return nodemailer.createTransport({ host: 'localhost', port, tls: { ca: certificate.cert }, ...options });
}

async function closedPort(): Promise<number> {
	const probe = createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
	const port = (probe.address() as AddressInfo).port;
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	return port;
}

const message = { from: 'me@gmail.com', to: 'you@example.com', subject: 't', text: 't' };

// Generating an RSA key can take seconds on a loaded machine.
beforeAll(async () => {
	certificate = await makeLocalhostCertificate();
}, 60_000);

afterAll(async () => {
	await Promise.all(servers.map((s) => s.close()));
});

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
		const error = await failure(() => nodemailer.createTransport({ host: '127.0.0.1', port, secure: true, tls: { ca: certificate.cert, servername: 'smtp.gmail.com' } }).verify());
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
		expect(explainSmtpError(error)).toMatchObject({ id: 'rate-limited' });
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
