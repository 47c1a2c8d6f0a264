import { execFile, type ExecFileOptions } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../config.ts';
import { startSandbox } from '../sandbox.ts';
import { SmtpDialogue } from '../testing/smtp-dialogue.ts';
import { FREE_PORTS, nextEvent, startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';

const run = promisify(execFile);
const PASSWORD = 'hunter2-very-secret';

let t: TestSandbox;
beforeAll(async () => {
	t = await startTestSandbox({ SANDBOX_MAX_MESSAGE_MB: '1' });
});
afterAll(async () => {
	await t.stop();
});

function transport(secure: boolean, extra: Record<string, unknown> = {}) {
	return nodemailer.createTransport({
		host: '127.0.0.1',
		port: secure ? t.sandbox.ports.smtps : t.sandbox.ports.smtp,
		secure,
		requireTLS: !secure,
		// Trust our certificate and nothing else, as a learner's client told to trust it would.
		tls: { ca: t.sandbox.certificate.pem, servername: 'localhost' },
		auth: { user: 'learner@example.com', pass: PASSWORD },
		...extra,
	});
}

/** Every file the sandbox wrote, as text: secrets must be in none of them. */
async function everythingOnDisk(): Promise<string> {
	// The store's journal holds every message, transcript and flag; records are JSON and raw bytes, readable as text.
	const dir = join(t.dataDir, 'journal');
	const names = await readdir(dir);
	const texts = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8').catch(() => '')));
	return texts.join('\n');
}

function secretForms(): string[] {
	return [
		PASSWORD,
		Buffer.from(PASSWORD).toString('base64'),
		Buffer.from(`\0learner@example.com\0${PASSWORD}`).toString('base64'),
	];
}

describe('capture SMTP server', () => {
	it('takes mail over STARTTLS with AUTH PLAIN from nodemailer, Korean subject and body, and keeps no password', async () => {
		const sender = transport(false);
		const final = nextEvent(t.sandbox.events, 'message-transcript');
		const info = await sender.sendMail({
			from: '"포럼" <admin@fwd.example>',
			to: '학생 <student@example.com>',
			subject: '비밀번호 재설정 안내',
			text: '아래 링크에서 비밀번호를 다시 설정하세요: https://forum.example/reset/MQ/abc-123/',
		});
		sender.close();
		expect(info.response).toMatch(/^250 /);
		const id = /stored as (\w+)/.exec(info.response)?.[1];
		expect(id).toBeDefined();
		await final;

		const detail = (await t.sandbox.messages.detail(id!))!;
		expect(detail.subject).toBe('비밀번호 재설정 안내');
		expect(detail.text).toContain('비밀번호를 다시 설정하세요');
		expect(detail.links).toContainEqual({ href: 'https://forum.example/reset/MQ/abc-123/', text: '' });
		expect(detail.session).toMatchObject({
			tls: 'starttls',
			auth: { mechanism: 'PLAIN', user: 'learner@example.com' },
			envelope: { mailFrom: 'admin@fwd.example', rcptTo: ['student@example.com'] },
		});
		expect(detail.session.tlsProtocol).toMatch(/^TLSv1\.[23]$/);
		const lines = detail.session.transcript.map((entry) => entry.line);
		const tlsAt = detail.session.transcript.findIndex((entry) => entry.event === 'tls');
		expect(lines.indexOf('STARTTLS')).toBeLessThan(tlsAt);
		expect(lines).toContain('AUTH PLAIN [redacted]');
		expect(lines.some((line) => line.startsWith('250-STARTTLS') || line === '250 STARTTLS' || line.includes('STARTTLS'))).toBe(true);
		expect(detail.session.transcript.some((entry) => entry.event === 'data-elided')).toBe(true);
		expect(lines.some((line) => /^250 Ok: stored as/.test(line))).toBe(true);
		expect(detail.session.transcript.at(-1)?.event).toBe('close');
		// The body never enters the transcript.
		expect(lines.join('\n')).not.toContain('비밀번호를');

		const disk = await everythingOnDisk();
		for (const secret of secretForms()) {
			expect(disk).not.toContain(secret);
			expect(JSON.stringify(detail)).not.toContain(secret);
		}
	});

	it('takes mail over implicit TLS (2465) with AUTH LOGIN', async () => {
		const sender = transport(true, { authMethod: 'LOGIN' });
		const final = nextEvent(t.sandbox.events, 'message-transcript');
		const info = await sender.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'over 465', text: 'hi' });
		sender.close();
		await final;
		const id = /stored as (\w+)/.exec(info.response)![1]!;
		const detail = (await t.sandbox.messages.detail(id))!;
		expect(detail.session).toMatchObject({ tls: 'implicit', auth: { mechanism: 'LOGIN', user: 'learner@example.com' } });
		expect(detail.session.transcript[1]).toMatchObject({ event: 'tls' });
		const lines = detail.session.transcript.map((entry) => entry.line);
		expect(lines).toContain('AUTH LOGIN');
		expect(lines.filter((line) => line === '[redacted]').length).toBeGreaterThanOrEqual(1);
		for (const secret of secretForms()) expect(await everythingOnDisk()).not.toContain(secret);
	});

	it('takes mail without AUTH and without TLS', async () => {
		const sender = nodemailer.createTransport({ host: '127.0.0.1', port: t.sandbox.ports.smtp, secure: false, ignoreTLS: true });
		const info = await sender.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'plain', text: 'hi' });
		sender.close();
		const id = /stored as (\w+)/.exec(info.response)![1]!;
		const detail = (await t.sandbox.messages.detail(id))!;
		expect(detail.session.tls).toBe('none');
		expect(detail.session.auth).toBeUndefined();
	});

	it('advertises the extensions clients rely on, and accepts a pipelined SMTPUTF8 transaction', async () => {
		const client = await SmtpDialogue.open(t.sandbox.ports.smtp);
		expect(await client.reply()).toMatch(/^220 /);
		const ehlo = await client.command('EHLO client.example');
		for (const extension of ['STARTTLS', 'AUTH PLAIN LOGIN', 'SMTPUTF8', '8BITMIME', 'PIPELINING', `SIZE ${1024 * 1024}`]) {
			expect(ehlo).toContain(extension);
		}
		const body = 'From: 보내는이@example.com\r\nTo: 받는이@example.com\r\nSubject: 주소도 한글\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n본문\r\n.\r\n';
		client.write(`MAIL FROM:<보내는이@example.com> SMTPUTF8 BODY=8BITMIME\r\nRCPT TO:<받는이@example.com>\r\nDATA\r\n`);
		expect(await client.reply()).toMatch(/^250/);
		expect(await client.reply()).toMatch(/^250/);
		expect(await client.reply()).toMatch(/^354/);
		client.write(body);
		const done = await client.reply();
		expect(done).toMatch(/^250 .*stored as/);
		expect(await client.command('QUIT')).toMatch(/^221/);
		const id = /stored as (\w+)/.exec(done)![1]!;
		const detail = (await t.sandbox.messages.detail(id))!;
		expect(detail.session.envelope).toMatchObject({
			mailFrom: '보내는이@example.com',
			rcptTo: ['받는이@example.com'],
			smtpUtf8: true,
			bodyType: '8bitmime',
		});
		expect(detail.subject).toBe('주소도 한글');
	});

	it('refuses an oversize message with 552 and stores nothing, declared or not', async () => {
		const before = t.sandbox.store.count;
		const client = await SmtpDialogue.open(t.sandbox.ports.smtp);
		await client.reply();
		await client.command('EHLO client.example');
		expect(await client.command(`MAIL FROM:<a@example.com> SIZE=${2 * 1024 * 1024}`)).toMatch(/^552 /);
		expect(await client.command('MAIL FROM:<a@example.com>')).toMatch(/^250/);
		expect(await client.command('RCPT TO:<b@example.com>')).toMatch(/^250/);
		expect(await client.command('DATA')).toMatch(/^354/);
		const line = `${'x'.repeat(998)}\r\n`;
		client.write(`Subject: big\r\n\r\n${line.repeat(Math.ceil((1.5 * 1024 * 1024) / line.length))}.\r\n`);
		const reply = await client.reply();
		expect(reply).toMatch(/^552 /);
		expect(reply).toContain('SANDBOX_MAX_MESSAGE_MB');
		// The connection is still usable after the refusal.
		expect(await client.command('NOOP')).toMatch(/^250/);
		client.end();
		expect(t.sandbox.store.count).toBe(before);
	});

	it('answers garbage with errors and then takes a good delivery on the same connection', async () => {
		const client = await SmtpDialogue.open(t.sandbox.ports.smtp);
		await client.reply();
		expect(await client.command('\u0000\u00ff\u0001garbage')).toMatch(/^5\d\d /);
		expect(await client.command('HELLO?')).toMatch(/^5\d\d /);
		expect(await client.command('RCPT TO:<before-mail-from@example.com>')).toMatch(/^5\d\d /);
		await client.command('EHLO client.example');
		await client.command('MAIL FROM:<a@example.com>');
		await client.command('RCPT TO:<b@example.com>');
		await client.command('DATA');
		client.write('Subject: after garbage\r\n\r\nstill fine\r\n.\r\n');
		expect(await client.reply()).toMatch(/^250 .*stored as/);
		client.end();
		expect(t.sandbox.store.list({ query: 'after garbage' }).total).toBe(1);
	});

	it('cuts an over-long command line instead of buffering it', async () => {
		const client = await SmtpDialogue.open(t.sandbox.ports.smtp);
		await client.reply();
		client.write(`EHLO ${'a'.repeat(64 * 1024)}`);
		await client.closedByServer();
	});

	it('keeps serving while idle, half-open and half-sent clients hang around', async () => {
		const idle = await Promise.all(Array.from({ length: 20 }, () => SmtpDialogue.open(t.sandbox.ports.smtp)));
		const halfLine = await SmtpDialogue.open(t.sandbox.ports.smtp);
		halfLine.write('EHLO without-newl');
		const halfData = await SmtpDialogue.open(t.sandbox.ports.smtp);
		await halfData.reply();
		await halfData.command('EHLO client.example');
		await halfData.command('MAIL FROM:<a@example.com>');
		await halfData.command('RCPT TO:<b@example.com>');
		await halfData.command('DATA');
		halfData.write('Subject: never finished\r\n\r\npart of a bo');
		// A raw TCP socket that closes its sending side but keeps reading: half-open.
		const halfOpen = connect({ host: '127.0.0.1', port: t.sandbox.ports.smtps });
		await new Promise<void>((resolve) => halfOpen.once('connect', () => resolve()));
		halfOpen.on('error', () => undefined);
		halfOpen.end('not a TLS hello');

		const sender = transport(false);
		const info = await sender.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'others wait', text: 'hi' });
		sender.close();
		expect(info.response).toMatch(/^250 /);

		halfData.end();
		for (const client of [...idle, halfLine]) client.end();
		halfOpen.destroy();
		expect(t.sandbox.store.list({ query: 'never finished' }).total).toBe(0);
	});

	it('says which port is taken when another program holds it', async () => {
		const config = readConfig({ ...FREE_PORTS, SANDBOX_SMTP_PORT: String(t.sandbox.ports.smtp), SANDBOX_DATA_DIR: t.dataDir });
		await expect(startSandbox(config, { log: () => undefined })).rejects.toThrow(
			new RegExp(`port ${t.sandbox.ports.smtp} \\(SANDBOX_SMTP_PORT\\) is already in use`),
		);
	});
});

/** Django's SMTP backend, reduced to what it does on the wire (django/core/mail/backends/smtp.py). */
const DJANGO_LIKE = String.raw`
import smtplib, ssl, sys
from email.message import EmailMessage
port, cert, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
context = ssl.create_default_context(cafile=cert)
if mode == 'ssl':
    connection = smtplib.SMTP_SSL('127.0.0.1', port, context=context, timeout=10)
else:
    connection = smtplib.SMTP('127.0.0.1', port, timeout=10)
    connection.starttls(context=context)
connection.login('me@gmail.example', 'abcd efgh ijkl mnop')
message = EmailMessage()
message['Subject'] = 'Password reset on 127.0.0.1:8000 (' + mode + ')'
message['From'] = 'ForumWithDjango <admin@FWD.com>'
message['To'] = 'student@example.com'
message.set_content("You're receiving this email because you requested a password reset.\n\nhttp://127.0.0.1:8000/reset/MQ/c4x9ab-0123456789abcdef/\n")
connection.sendmail('admin@FWD.com', ['student@example.com'], message.as_bytes(policy=message.policy.clone(linesep='\r\n')))
connection.quit()
print('sent')
`;

/** Python's start-up alone takes seconds on some machines (pyenv shims). */
const PYTHON_TIMEOUT = 30_000;
/** Runs a client every CI machine has (.ci/run installs python3 and swaks); a missing one fails the test and says how to get it. */
async function client(command: string, args: string[], options: ExecFileOptions = {}): Promise<{ stdout: string; stderr: string }> {
	try {
		const { stdout, stderr } = await run(command, args, { ...options, encoding: 'utf8' });
		return { stdout, stderr };
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${command} is not installed here: apt-get install ${command} (.ci/run does)`);
		throw error;
	}
}

describe('standard clients', () => {
	it.each(['tls', 'ssl'])('Python smtplib as Django sends it (EMAIL_USE_%s), trusting our certificate', async (mode) => {
		const port = mode === 'ssl' ? t.sandbox.ports.smtps : t.sandbox.ports.smtp;
		const { stdout } = await client('python3', ['-c', DJANGO_LIKE, String(port), t.sandbox.certificate.path, mode]);
		expect(stdout.trim()).toBe('sent');
		const page = t.sandbox.store.list({ query: `Password reset (${mode})` });
		expect(page.total).toBe(1);
		const detail = (await t.sandbox.messages.detail(page.messages[0]!.id))!;
		expect(detail.session).toMatchObject({
			tls: mode === 'ssl' ? 'implicit' : 'starttls',
			auth: { user: 'me@gmail.example' },
		});
		expect(detail.links.map((link) => link.href)).toContain('http://127.0.0.1:8000/reset/MQ/c4x9ab-0123456789abcdef/');
		expect(JSON.stringify(detail)).not.toContain('abcd efgh');
	}, PYTHON_TIMEOUT);

	it('Python refuses the sandbox when it does not trust our certificate (what SSL_CERT_FILE fixes)', async () => {
		const script = String.raw`
import smtplib, ssl, sys
try:
    smtplib.SMTP_SSL('127.0.0.1', int(sys.argv[1]), context=ssl.create_default_context(), timeout=10)
    print('connected')
except ssl.SSLCertVerificationError as error:
    print('refused', error.verify_message)
`;
		const { stdout } = await client('python3', ['-c', script, String(t.sandbox.ports.smtps)]);
		expect(stdout).toMatch(/^refused/);
	}, PYTHON_TIMEOUT);

	it('Python trusts the sandbox through SSL_CERT_FILE, as Django >= 4.2 (create_default_context) does', async () => {
		const script = String.raw`
import smtplib, ssl, sys
connection = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=10)
connection.starttls(context=ssl.create_default_context())
connection.login('me@gmail.example', 'app-password')
connection.sendmail('admin@FWD.com', ['student@example.com'], b'Subject: via SSL_CERT_FILE\r\n\r\nhi\r\n')
connection.quit()
print('sent')
`;
		const { stdout } = await client('python3', ['-c', script, String(t.sandbox.ports.smtp)], {
			env: { ...process.env, SSL_CERT_FILE: t.sandbox.certificate.path },
		});
		expect(stdout.trim()).toBe('sent');
		expect(t.sandbox.store.list({ query: 'via SSL_CERT_FILE' }).total).toBe(1);
	}, PYTHON_TIMEOUT);

	it('swaks with STARTTLS and AUTH', async () => {
		const { stdout } = await client('swaks', [
			'--server', `127.0.0.1:${t.sandbox.ports.smtp}`, '--tls', '--auth', 'LOGIN',
			'--auth-user', 'swaks-user', '--auth-password', PASSWORD,
			'--to', 'b@example.com', '--from', 'a@example.com', '--header', 'Subject: from swaks',
		]);
		expect(stdout).toMatch(/250 .*stored as/);
		expect(t.sandbox.store.list({ query: 'from swaks' }).total).toBe(1);
	});
});
