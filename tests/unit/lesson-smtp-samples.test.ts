/**
 * The SMTP lessons say that their code samples behave in certain ways. This test runs those samples,
 * taken from the lesson files themselves, against two real SMTP servers on loopback that mirror the
 * sandbox's ports: one plain with STARTTLS offered (like 2525/587) and one with TLS from the first
 * byte (like 2465/465), both with a self-signed certificate and any credentials accepted.
 *
 * Python samples run on the machine's python3, as the learner would run them. Where python3 is
 * missing the Python tests fail with a message saying so; they never skip silently.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { generate } from 'selfsigned';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const LESSONS = new URL('../../content/lessons/', import.meta.url).pathname;
// The samples use a 5-second client timeout for the port/TLS mismatch that hangs.
const SAMPLE_TIMEOUT_MS = 30_000;

interface Captured {
	mailFrom: string;
	rcptTo: string[];
	raw: string;
}

/** The fenced code block with the given title in a lesson file. */
function codeBlock(lang: 'ko' | 'en', lesson: string, title: string): string {
	const source = readFileSync(join(LESSONS, lang, `${lesson}.mdx`), 'utf8');
	const match = new RegExp('```\\w+ title="' + title.replace('.', '\\.') + '"[^\\n]*\\n([\\s\\S]*?)\\n```').exec(source);
	if (!match) throw new Error(`${lang}/${lesson}.mdx has no code block titled ${title}`);
	return match[1]!;
}

/** Replaces one literal in a sample, failing loudly if the sample no longer contains it. */
function swap(code: string, from: string, to: string): string {
	if (!code.includes(from)) throw new Error(`sample no longer contains ${from}`);
	return code.replaceAll(from, to);
}

async function python(script: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
	const dir = mkdtempSync(join(tmpdir(), 'postlab-sample-'));
	const file = join(dir, 'sample.py');
	// smtplib names itself in EHLO with socket.getfqdn(), a reverse DNS lookup that can take seconds
	// on machines without a resolver. The name does not matter to these checks.
	writeFileSync(file, `import socket\nsocket.getfqdn = lambda name='': 'learner.example'\n${script}`);
	const base = { ...process.env };
	delete base['SSL_CERT_FILE'];
	try {
		const { stdout } = await run('python3', [file], { env: { ...base, ...env }, timeout: SAMPLE_TIMEOUT_MS });
		return stdout;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			throw new Error('python3 is needed to check the lessons\' Python samples; install it (e.g. apt-get install python3).');
		}
		throw error;
	}
}

let certificate = '';
let certificateFile = '';
const captured: Captured[] = [];
const servers: SMTPServer[] = [];
let plainPort = 0;
let tlsPort = 0;

async function startServer(secure: boolean, key: string, cert: string): Promise<number> {
	const server = new SMTPServer({
		secure,
		key,
		cert,
		authOptional: true,
		disableReverseLookup: true,
		logger: false,
		// Clients that picked the wrong TLS mode leave half-open connections; do not wait for them.
		closeTimeout: 1_000,
		onAuth(auth, _session, callback) {
			callback(null, { user: auth.username });
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				captured.push({
					mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
					raw: Buffer.concat(chunks).toString('utf8'),
				});
				callback();
			});
		},
	});
	// Wrong port/TLS pairs are part of the test; the server reports each aborted handshake as an error.
	server.on('error', () => {});
	servers.push(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return (server.server.address() as AddressInfo).port;
}

beforeAll(async () => {
	const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
		keySize: 2048,
		algorithm: 'sha256',
		extensions: [
			{ name: 'basicConstraints', cA: true, critical: true },
			{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
			{ name: 'extKeyUsage', serverAuth: true },
			{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
		],
	});
	certificate = pems.cert;
	certificateFile = join(mkdtempSync(join(tmpdir(), 'postlab-cert-')), 'cert.pem');
	writeFileSync(certificateFile, certificate);
	plainPort = await startServer(false, pems.private, pems.cert);
	tlsPort = await startServer(true, pems.private, pems.cert);
});

afterAll(async () => {
	await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

describe('What SMTP is: envelope.py', () => {
	for (const lang of ['en', 'ko'] as const) {
		it(`delivers by the envelope, not the To header (${lang})`, { timeout: SAMPLE_TIMEOUT_MS }, async () => {
			const sample = swap(codeBlock(lang, 'what-is-smtp', 'envelope.py'), "'127.0.0.1', 2525", `'127.0.0.1', ${plainPort}`);
			const before = captured.length;
			const output = await python(sample);
			const message = captured[before];
			expect(message, 'the sample delivered no message').toBeDefined();
			expect(message!.mailFrom).toBe('bounce@fwd.example');
			expect(message!.rcptTo).toEqual(['me@example.com']);
			expect(message!.raw).toMatch(/^To: everyone@fwd\.example\r?$/m);
			// set_debuglevel(1) prints the dialogue the lesson tells the learner to look for (on stderr),
			// so stdout stays empty.
			expect(output).toBe('');
		});
	}
});

describe('settings.py line by line: port_tls.py', () => {
	it('finds exactly the two right pairs, and the two wrong ones fail as the lesson says', { timeout: SAMPLE_TIMEOUT_MS }, async () => {
		const sample = swap(codeBlock('en', 'settings-py', 'port_tls.py'), '(2525, 2465)', `(${plainPort}, ${tlsPort})`);
		const output = await python(sample);
		const line = (port: number, tls: boolean, ssl: boolean) =>
			output.split('\n').find((row) => row.includes(`port ${port}, EMAIL_USE_TLS=${tls ? 'True' : 'False'}, EMAIL_USE_SSL=${ssl ? 'True' : 'False'}`)) ?? '';
		expect(line(plainPort, true, false)).toMatch(/^OK/);
		expect(line(tlsPort, false, true)).toMatch(/^OK/);
		expect(line(tlsPort, true, false)).toMatch(/^FAILED .*SMTPServerDisconnected.*timed out/);
		expect(line(plainPort, false, true)).toMatch(/^FAILED .*SSL/);
	});

	it('is the same script in both languages', () => {
		expect(codeBlock('ko', 'settings-py', 'port_tls.py')).toBe(codeBlock('en', 'settings-py', 'port_tls.py'));
	});
});

describe('settings.py line by line: the nodemailer transport', () => {
	const auth = { user: 'me@example.com', pass: 'abcdefghijklmnop' };
	const message = { from: 'ForumWithDjango <admin@FWD.com>', to: 'minji@example.net', subject: 'Hello', text: 'It works.' };

	it('secure: false with requireTLS: true upgrades with STARTTLS, like EMAIL_USE_TLS', async () => {
		const transporter = nodemailer.createTransport({ host: '127.0.0.1', port: plainPort, secure: false, requireTLS: true, auth, tls: { ca: certificate } });
		const info = await transporter.sendMail(message);
		expect(info.accepted).toEqual(['minji@example.net']);
	});

	it('secure: true works on the TLS-from-the-first-byte port, like EMAIL_USE_SSL', async () => {
		const transporter = nodemailer.createTransport({ host: '127.0.0.1', port: tlsPort, secure: true, auth, tls: { ca: certificate } });
		const info = await transporter.sendMail(message);
		expect(info.accepted).toEqual(['minji@example.net']);
	});

	it('secure: true against the STARTTLS port fails with "wrong version number"', async () => {
		const transporter = nodemailer.createTransport({ host: '127.0.0.1', port: plainPort, secure: true, auth, tls: { ca: certificate } });
		await expect(transporter.sendMail(message)).rejects.toThrow(/wrong version number/i);
	});

	it('secure: false against the TLS port waits for a greeting that never comes', async () => {
		const transporter = nodemailer.createTransport({ host: '127.0.0.1', port: tlsPort, secure: false, auth, greetingTimeout: 1_000 });
		await expect(transporter.sendMail(message)).rejects.toThrow(/greeting/i);
	});
});

describe('Try it: the reset email: trusting the sandbox certificate', () => {
	// What Django >= 4.2 does for EMAIL_USE_TLS: smtplib's starttls with ssl.create_default_context().
	const djangoLike = (port: number) => `
import smtplib, ssl
try:
    with smtplib.SMTP('127.0.0.1', ${port}, timeout=5) as smtp:
        smtp.starttls(context=ssl.create_default_context())
        smtp.login('me@example.com', 'anything')
    print('OK')
except ssl.SSLCertVerificationError as error:
    print('CERTIFICATE_VERIFY_FAILED' if 'CERTIFICATE_VERIFY_FAILED' in str(error) else repr(error))
`;

	it('is refused without SSL_CERT_FILE', { timeout: SAMPLE_TIMEOUT_MS }, async () => {
		expect((await python(djangoLike(plainPort))).trim()).toBe('CERTIFICATE_VERIFY_FAILED');
	});

	it('is accepted with SSL_CERT_FILE pointing at the certificate', { timeout: SAMPLE_TIMEOUT_MS }, async () => {
		expect((await python(djangoLike(plainPort), { SSL_CERT_FILE: certificateFile })).trim()).toBe('OK');
	});
});
