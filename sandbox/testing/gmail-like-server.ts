/**
 * Test support: a tiny SMTP server on 127.0.0.1 that answers like smtp.gmail.com does, so the real-SMTP code
 * can be tested over real sockets and real TLS without touching the internet. STARTTLS is offered; AUTH or
 * MAIL before STARTTLS gets `530 5.7.0 Must issue a STARTTLS command first`; MAIL without AUTH gets
 * `530 5.7.0 Authentication Required`; a wrong password gets `535 5.7.8 Username and Password not accepted`.
 * Its certificate is self-signed for `localhost`; clients trust it through `ca` or NODE_EXTRA_CA_CERTS.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAuthenticationResponse, type SMTPServerSession } from 'smtp-server';
import { generate } from 'selfsigned';

export interface TestCertificate {
	key: string;
	cert: string;
}

export async function makeLocalhostCertificate(): Promise<TestCertificate> {
	const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
		keySize: 2048,
		algorithm: 'sha256',
		extensions: [
			{ name: 'basicConstraints', cA: false },
			{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
		],
	});
	return { key: pems.private, cert: pems.cert };
}

export interface ReceivedMessage {
	mailFrom: string;
	rcptTo: string[];
	authUser: string | undefined;
	secure: boolean;
	raw: string;
}

export interface AuthAttempt {
	method: string;
	username: string;
	/** Kept only so tests can assert what was sent; never printed. */
	password: string;
}

export interface GmailLikeServerOptions {
	certificate: TestCertificate;
	/** The app password that is accepted. */
	password: string;
	/** TLS from the first byte (like 465) instead of STARTTLS (like 587). */
	implicitTls?: boolean;
	/** Answer every AUTH with Gmail's 534 5.7.9 (account without an app password). */
	appPasswordRequired?: boolean;
	/** Reply to MAIL FROM with this instead of accepting, e.g. `[553, '5.7.1 Sender rejected']`. */
	mailFromReply?: [number, string];
	/** AUTH mechanisms offered; default PLAIN and LOGIN (what Gmail offers besides XOAUTH2). */
	authMethods?: string[];
	/**
	 * A careless server: its 535 repeats the wrong password in the spellings servers have been seen to use
	 * (URL-encoded, upper-cased, spaced, base64), so a test can check that none of them gets printed.
	 */
	echoPasswordOnFailure?: boolean;
}

export interface GmailLikeServer {
	port: number;
	messages: ReceivedMessage[];
	authAttempts: AuthAttempt[];
	/** Resolves with the next message that arrives (or the first one already there). */
	nextMessage(): Promise<ReceivedMessage>;
	close(): Promise<void>;
}

function smtpError(code: number, text: string): Error & { responseCode: number } {
	return Object.assign(new Error(text), { responseCode: code });
}

export async function startGmailLikeServer(options: GmailLikeServerOptions): Promise<GmailLikeServer> {
	const messages: ReceivedMessage[] = [];
	const authAttempts: AuthAttempt[] = [];
	const waiting: Array<(message: ReceivedMessage) => void> = [];
	const server = new SMTPServer({
		secure: options.implicitTls ?? false,
		key: options.certificate.key,
		cert: options.certificate.cert,
		disableReverseLookup: true,
		// AUTH is checked in onAuth so a plain-text AUTH gets Gmail's 530, not smtp-server's own 538.
		allowInsecureAuth: true,
		authMethods: options.authMethods ?? ['PLAIN', 'LOGIN'],
		onAuth(auth, session: SMTPServerSession, callback: (err: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void) {
			authAttempts.push({ method: auth.method, username: auth.username ?? '', password: auth.password ?? '' });
			if (!session.secure) return callback(smtpError(530, '5.7.0 Must issue a STARTTLS command first'));
			if (options.appPasswordRequired) {
				return callback(smtpError(534, '5.7.9 Application-specific password required. For more information, go to https://support.google.com/mail/?p=InvalidSecondFactor'));
			}
			if (auth.password !== options.password) {
				const given = auth.password ?? '';
				const echoes = options.echoPasswordOnFailure
					? ` (you sent ${encodeURIComponent(given)} ${given.toUpperCase()} ${given.replace(/(.{4})(?=.)/g, '$1 ')} ${Buffer.from(given).toString('base64')})`
					: '';
				return callback(smtpError(535, `5.7.8 Username and Password not accepted${echoes}`));
			}
			callback(null, { user: auth.username });
		},
		authOptional: true,
		onMailFrom(_address, session, callback) {
			if (!session.secure) return callback(smtpError(530, '5.7.0 Must issue a STARTTLS command first'));
			if (!session.user) return callback(smtpError(530, '5.7.0 Authentication Required'));
			if (options.mailFromReply) return callback(smtpError(...options.mailFromReply));
			callback();
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const message: ReceivedMessage = {
					mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					rcptTo: session.envelope.rcptTo.map((r) => r.address),
					authUser: typeof session.user === 'string' ? session.user : undefined,
					secure: session.secure,
					raw: Buffer.concat(chunks).toString('utf8'),
				};
				messages.push(message);
				for (const resolve of waiting.splice(0)) resolve(message);
				callback();
			});
		},
	});
	// A client that gives up mid-handshake (the timeout tests) makes the server emit 'error'; that is expected.
	server.on('error', () => {});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const port = (server.server.address() as AddressInfo).port;
	return {
		port,
		messages,
		authAttempts,
		nextMessage() {
			const first = messages[0];
			if (first) return Promise.resolve(first);
			return new Promise((resolve) => waiting.push(resolve));
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
