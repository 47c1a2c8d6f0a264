/**
 * The POP3/IMAP lesson (content/lessons/{ko,en}/pop3-and-imap.mdx) tells learners that its Python
 * samples, read_pop3.py and read_imap.py, print the newest message's subject from the sandbox. This
 * test takes those samples from the lesson files themselves and runs them on python3 against the
 * sandbox's real POP3 and IMAP servers, over the TLS ports as written and over STLS/STARTTLS as the
 * lesson's prose describes, with certificate verification on (the lesson's `cafile=` advice).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImapServer } from '../../sandbox/imap/imap-server.ts';
import { acceptAnyLogin } from '../../sandbox/line-protocol/mailbox-source.ts';
import { MemoryMailboxSource } from '../../sandbox/line-protocol/memory-source.ts';
import type { RunningMailReadServer } from '../../sandbox/line-protocol/server-options.ts';
import { makeTestCert, type TestCert } from '../../sandbox/testing/pop3-imap-fixtures.ts';
import { startPop3Server } from '../../sandbox/pop3/pop3-server.ts';
import { startTestSandbox, type TestSandbox } from '../../sandbox/testing/test-sandbox.ts';
import nodemailer from 'nodemailer';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const LESSONS = new URL('../../content/lessons/', import.meta.url).pathname;
const LESSON_CERT_PATH = '.sandbox-data/tls/sandbox-cert.pem';
const NEWEST_SUBJECT = 'Password reset on 127.0.0.1:8000';
/** Python starts, verifies a certificate and reads one message well within this, even on a busy machine (a pyenv shim alone can take seconds to start python3). */
const SAMPLE_TIMEOUT_MS = 60_000;

/** The fenced code block with the given title in the lesson. */
function codeBlock(lang: 'ko' | 'en', title: string): string {
	const source = readFileSync(join(LESSONS, lang, 'pop3-and-imap.mdx'), 'utf8');
	const start = source.indexOf('title="' + title + '"');
	if (start === -1) throw new Error(`${lang}/pop3-and-imap.mdx has no code block titled ${title}`);
	const body = source.slice(source.indexOf('\n', start) + 1);
	return body.slice(0, body.indexOf('\n```'));
}

/** Replaces one literal in a sample, failing loudly if the sample no longer contains it. */
function swap(code: string, from: string, to: string): string {
	if (!code.includes(from)) throw new Error(`sample no longer contains ${from}`);
	return code.replaceAll(from, to);
}

async function python(script: string): Promise<string> {
	const file = join(mkdtempSync(join(tmpdir(), 'postlab-mailread-sample-')), 'sample.py');
	writeFileSync(file, script);
	const env = { ...process.env };
	delete env['SSL_CERT_FILE'];
	try {
		const { stdout } = await run('python3', [file], { env, timeout: SAMPLE_TIMEOUT_MS });
		return stdout;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			throw new Error("python3 is needed to check the POP3/IMAP lesson's Python samples; install it (e.g. apt-get install python3).");
		}
		throw error;
	}
}

function message(subject: string): string {
	return [
		'From: ForumWithDjango <admin@FWD.com>',
		'To: learner@example.com',
		`Subject: ${subject}`,
		'Date: Tue, 01 Dec 2026 10:00:00 +0000',
		'Message-ID: <' + subject.length + '@postlab.test>',
		'',
		'.a line that starts with a dot, to be stuffed and unstuffed',
		'',
	].join('\r\n');
}

let cert: TestCert;
let pop3: RunningMailReadServer;
let imap: RunningMailReadServer;

beforeAll(async () => {
	cert = await makeTestCert();
	const source = new MemoryMailboxSource();
	source.add('default', message('An older message'));
	source.add('default', message(NEWEST_SUBJECT));
	const options = { source, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0 };
	pop3 = await startPop3Server(options);
	imap = await startImapServer(options);
});

afterAll(async () => {
	await pop3?.close();
	await imap?.close();
});

describe('the POP3/IMAP lesson\'s Python samples read the newest sandbox message', () => {
	for (const lang of ['ko', 'en'] as const) {
		it(`${lang}: read_pop3.py over TLS (2995 in the lesson)`, async () => {
			let code = swap(codeBlock(lang, 'read_pop3.py'), LESSON_CERT_PATH, cert.certPath);
			code = swap(code, "'127.0.0.1', 2995", `'127.0.0.1', ${pop3.ports.tls}`);
			expect(await python(code)).toContain(`Subject: ${NEWEST_SUBJECT}`);
		}, SAMPLE_TIMEOUT_MS);

		it(`${lang}: read_pop3.py over STLS (2110 in the lesson)`, async () => {
			let code = swap(codeBlock(lang, 'read_pop3.py'), LESSON_CERT_PATH, cert.certPath);
			code = swap(
				code,
				"box = poplib.POP3_SSL('127.0.0.1', 2995, context=context)",
				`box = poplib.POP3('127.0.0.1', ${pop3.ports.plain})\nbox.stls(context=context)`,
			);
			expect(await python(code)).toContain(`Subject: ${NEWEST_SUBJECT}`);
		}, SAMPLE_TIMEOUT_MS);

		it(`${lang}: read_imap.py over TLS (2993 in the lesson)`, async () => {
			let code = swap(codeBlock(lang, 'read_imap.py'), LESSON_CERT_PATH, cert.certPath);
			code = swap(code, "'127.0.0.1', 2993", `'127.0.0.1', ${imap.ports.tls}`);
			expect(await python(code)).toContain(`Subject: ${NEWEST_SUBJECT}`);
		}, SAMPLE_TIMEOUT_MS);

		it(`${lang}: read_imap.py over STARTTLS (2143 in the lesson)`, async () => {
			let code = swap(codeBlock(lang, 'read_imap.py'), LESSON_CERT_PATH, cert.certPath);
			code = swap(
				code,
				"with imaplib.IMAP4_SSL('127.0.0.1', 2993, ssl_context=context) as imap:",
				`with imaplib.IMAP4('127.0.0.1', ${imap.ports.plain}) as imap:\n    imap.starttls(ssl_context=context)`,
			);
			expect(await python(code)).toContain(`Subject: ${NEWEST_SUBJECT}`);
		}, SAMPLE_TIMEOUT_MS);
	}

	it('refuses the TLS connection when the sample trusts a different certificate', async () => {
		const other = await makeTestCert();
		let code = swap(codeBlock('en', 'read_pop3.py'), LESSON_CERT_PATH, other.certPath);
		code = swap(code, "'127.0.0.1', 2995", `'127.0.0.1', ${pop3.ports.tls}`);
		await expect(python(code)).rejects.toThrow(/CERTIFICATE_VERIFY_FAILED/);
	}, SAMPLE_TIMEOUT_MS);
});

/**
 * The lesson's demonstration: read_on_phone.py turns the newest message read in the web inbox, and
 * pop3_download_and_delete.py empties it (and without QUIT deletes nothing). Run against a whole sandbox with
 * its store and API, the way a learner runs them beside the web inbox.
 */
describe("the POP3/IMAP lesson's demonstration does what the lesson says", () => {
	let t: TestSandbox;
	beforeAll(async () => {
		t = await startTestSandbox();
	});
	afterAll(async () => {
		await t?.stop();
	});

	async function sendThree(): Promise<void> {
		const sender = nodemailer.createTransport({ host: '127.0.0.1', port: t.sandbox.ports.smtp, secure: false, ignoreTLS: true });
		for (const n of [1, 2, 3]) await sender.sendMail({ from: 'admin@FWD.com', to: 'learner@example.com', subject: `Password reset ${n}`, text: 'reset' });
		sender.close();
	}

	async function inbox(): Promise<{ total: number; messages: Array<{ id: string; read: boolean }> }> {
		return (await fetch(`${t.baseUrl}/api/v1/messages`)).json() as Promise<{ total: number; messages: Array<{ id: string; read: boolean }> }>;
	}

	for (const lang of ['ko', 'en'] as const) {
		it(`${lang}: reading on "another device" marks it read in the web inbox, and back; POP3 delete-after-download empties it`, async () => {
			await sendThree();
			let phone = swap(codeBlock(lang, 'read_on_phone.py'), LESSON_CERT_PATH, t.sandbox.certificate.path);
			phone = swap(phone, "'127.0.0.1', 2993", `'127.0.0.1', ${t.sandbox.ports.imaps}`);
			expect((await python(phone)).trim()).toBe('3 (FLAGS (\\Seen))');
			const [newest] = (await inbox()).messages;
			expect(newest?.read).toBe(true);
			// Marked unread in the web inbox: \Seen is gone for the mail client too.
			await fetch(`${t.baseUrl}/api/v1/messages/${newest!.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"read": false}' });
			const flags = swap(phone, "    imap.fetch(newest, '(BODY[])')", '    pass');
			expect((await python(flags)).trim()).toBe('3 (FLAGS ())');

			let pop = swap(codeBlock(lang, 'pop3_download_and_delete.py'), LESSON_CERT_PATH, t.sandbox.certificate.path);
			pop = swap(pop, "'127.0.0.1', 2995", `'127.0.0.1', ${t.sandbox.ports.pop3s}`);
			// Without QUIT the session never reaches UPDATE: nothing is deleted.
			await python(swap(pop, 'print(box.quit().decode())', 'box.sock.close()'));
			expect((await inbox()).total).toBe(3);
			expect((await python(pop)).trim()).toBe('+OK Signing off (3 messages deleted)');
			expect((await inbox()).total).toBe(0);
		}, SAMPLE_TIMEOUT_MS);
	}
});
