/**
 * Failure drills over real sockets (issue 20): each drill refuses at its step with Gmail's reply, to Python's
 * smtplib (what Django's SMTP backend uses) and to nodemailer; "next message only" goes back to normal by
 * itself; the stalled server holds only its own connection; the API refuses unknown drills with a 400.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SmtpDialogue } from '../testing/smtp-dialogue.ts';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';
import { explainRefusal, findRule, parseReply } from '../outbound/smtp-reply-explainer.ts';
import { DEFAULT_MAILBOX } from '../store/types.ts';
import { DRILL_IDS, DRILLS, replyLine, type DrillId } from './drill-catalogue.ts';

const run = promisify(execFile);
/** How long the stalled server holds a connection here: long enough to outlast the clients' timeouts below. */
const STALL_MS = 3_000;
const PYTHON_TIMEOUT = 30_000;

let t: TestSandbox;
beforeAll(async () => {
	t = await startTestSandbox({}, { drillStallMs: STALL_MS });
});
afterAll(async () => {
	await t.stop();
});
afterEach(() => {
	t.sandbox.drills.clear(DEFAULT_MAILBOX);
});

/**
 * Django's EmailBackend on the wire (django/core/mail/backends/smtp.py: SMTP or SMTP_SSL with `timeout`,
 * starttls, login, sendmail), printing what it raised as JSON: the exception's class, SMTP code and text.
 */
const DJANGO_LIKE = String.raw`
import json, smtplib, ssl, sys
port, cert, mode, timeout, login = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5] == 'login'
context = ssl.create_default_context(cafile=cert)
try:
    if mode == 'ssl':
        connection = smtplib.SMTP_SSL('127.0.0.1', port, context=context, timeout=timeout)
    else:
        connection = smtplib.SMTP('127.0.0.1', port, timeout=timeout)
        if mode == 'tls':
            connection.starttls(context=context)
    if login:
        connection.login('me@gmail.example', 'abcd efgh ijkl mnop')
    connection.sendmail('admin@FWD.com', ['student@example.com'], b'Subject: drill\r\n\r\nhello\r\n')
    connection.quit()
    print(json.dumps({'result': 'sent'}))
except smtplib.SMTPRecipientsRefused as error:
    code, text = error.recipients['student@example.com']
    print(json.dumps({'error': type(error).__name__, 'code': code, 'text': text.decode()}))
except smtplib.SMTPResponseException as error:
    print(json.dumps({'error': type(error).__name__, 'code': error.smtp_code, 'text': error.smtp_error.decode()}))
except Exception as error:
    print(json.dumps({'error': type(error).__name__, 'message': str(error)}))
`;

const python = await run('python3', ['--version']).then(
	() => true,
	() => false,
);

async function djangoSend(mode: 'tls' | 'plain' | 'ssl' = 'tls', timeoutSeconds = 10, login = true): Promise<{ result?: string; error?: string; code?: number; text?: string; message?: string }> {
	const port = mode === 'ssl' ? t.sandbox.ports.smtps : t.sandbox.ports.smtp;
	const { stdout } = await run('python3', ['-c', DJANGO_LIKE, String(port), t.sandbox.certificate.path, mode, String(timeoutSeconds), login ? 'login' : 'none']);
	return JSON.parse(stdout) as { result?: string; error?: string; code?: number; text?: string; message?: string };
}

function nodemailerSend(options: { plain?: boolean; greetingTimeout?: number } = {}) {
	const transport = nodemailer.createTransport({
		host: '127.0.0.1',
		port: t.sandbox.ports.smtp,
		secure: false,
		...(options.plain ? { ignoreTLS: true } : { requireTLS: true }),
		tls: { ca: t.sandbox.certificate.pem, servername: 'localhost' },
		auth: { user: 'me@gmail.example', pass: 'abcd efgh ijkl mnop' },
		...(options.greetingTimeout ? { greetingTimeout: options.greetingTimeout } : {}),
	});
	return transport
		.sendMail({ from: 'admin@FWD.com', to: 'student@example.com', subject: 'drill', text: 'hello' })
		.then(
			(info) => ({ response: info.response, error: null }),
			(error: { code?: string; responseCode?: number; command?: string; response?: string }) => ({ response: null, error }),
		)
		.finally(() => transport.close());
}

/** What smtplib raises for each drill (Python's smtplib: login, sendmail), and the code it carries. */
const SMTPLIB: Record<Exclude<DrillId, 'stalled-server'>, { error: string; mode?: 'plain'; login?: false }> = {
	'wrong-app-password': { error: 'SMTPAuthenticationError' },
	'account-password': { error: 'SMTPAuthenticationError' },
	// Without EMAIL_HOST_USER Django sends MAIL at once; with one, see the test of its own below.
	'starttls-first': { error: 'SMTPSenderRefused', mode: 'plain', login: false },
	'daily-limit': { error: 'SMTPSenderRefused' },
	'try-later': { error: 'SMTPSenderRefused' },
	'server-error': { error: 'SMTPDataError' },
	'no-such-recipient': { error: 'SMTPRecipientsRefused' },
	'message-too-large': { error: 'SMTPDataError' },
};
/** The command nodemailer was running when each drill refused it. */
const NODEMAILER_COMMAND: Record<Exclude<DrillId, 'stalled-server'>, RegExp> = {
	'wrong-app-password': /^AUTH/,
	'account-password': /^AUTH/,
	'starttls-first': /^MAIL FROM/,
	'daily-limit': /^MAIL FROM/,
	'try-later': /^MAIL FROM/,
	'server-error': /^DATA/,
	'no-such-recipient': /^RCPT TO/,
	'message-too-large': /^DATA/,
};
/** Waits for a condition the server reaches on its own schedule, failing after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not reached in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

const REPLYING = DRILL_IDS.filter((id): id is Exclude<DrillId, 'stalled-server'> => id !== 'stalled-server');

describe('each drill refuses with Gmail’s reply at its step', () => {
	it.skipIf(!python).each(REPLYING)('%s, to smtplib as Django sends', async (id) => {
		const drill = DRILLS[id];
		t.sandbox.drills.set(DEFAULT_MAILBOX, id, 'on');
		const outcome = await djangoSend(SMTPLIB[id].mode ?? 'tls', 10, SMTPLIB[id].login ?? true);
		expect(outcome).toEqual({ error: SMTPLIB[id].error, code: drill.reply!.code, text: `${drill.reply!.enhanced} ${drill.reply!.text}` });
		// The refusal is kept with its conversation: the drill marked, then Gmail's reply, and no password.
		const [refusal] = t.sandbox.drills.refusals(DEFAULT_MAILBOX, 1);
		expect(refusal).toMatchObject({ drill: id, step: drill.step, reply: replyLine(drill.reply!) });
		const lines = refusal!.transcript.map((entry) => entry.line);
		const marked = refusal!.transcript.findIndex((entry) => entry.event === 'drill');
		expect(marked).toBeGreaterThan(0);
		expect(lines.slice(marked)).toContain(replyLine(drill.reply!));
		expect(JSON.stringify(refusal)).not.toContain('abcd efgh');
		if (SMTPLIB[id].login !== false) expect(refusal!.user).toBe('me@gmail.example');
	}, PYTHON_TIMEOUT);

	it.skipIf(!python)('starttls-first offers no AUTH before STARTTLS, so Django’s login fails as it does against Gmail', async () => {
		t.sandbox.drills.set(DEFAULT_MAILBOX, 'starttls-first', 'once');
		expect(await djangoSend('plain')).toEqual({ error: 'SMTPNotSupportedError', message: 'SMTP AUTH extension not supported by server.' });
		// smtplib sent nothing the server could refuse; the drill is recorded when the client leaves.
		await until(() => t.sandbox.drills.refusals(DEFAULT_MAILBOX, 1)[0]?.step === 'ehlo');
		const [refusal] = t.sandbox.drills.refusals(DEFAULT_MAILBOX, 1);
		expect(refusal).toMatchObject({ drill: 'starttls-first', step: 'ehlo' });
		expect(refusal!.transcript.some((entry) => /^250[ -]AUTH/.test(entry.line))).toBe(false);
		expect(t.sandbox.drills.get(DEFAULT_MAILBOX)).toBeNull();
		// With the drill spent, the same plain login works again (the sandbox offers AUTH without TLS).
		expect(await djangoSend('plain')).toEqual({ result: 'sent' });
	}, PYTHON_TIMEOUT);

	it.each(REPLYING)('%s, to nodemailer', async (id) => {
		const drill = DRILLS[id];
		t.sandbox.drills.set(DEFAULT_MAILBOX, id, 'on');
		const { error } = await nodemailerSend({ plain: id === 'starttls-first' });
		expect(error?.responseCode).toBe(drill.reply!.code);
		expect(error?.command).toMatch(NODEMAILER_COMMAND[id]);
		expect(error?.response).toContain(`${drill.reply!.enhanced} ${drill.reply!.text.slice(0, 30)}`);
	});

	it('each drill’s reply is explained by the row of the shared rule table it names, at its step', () => {
		for (const id of REPLYING) {
			const drill = DRILLS[id];
			const reply = parseReply(replyLine(drill.reply!))!;
			expect(findRule({ reply, step: drill.step === 'connect' ? 'greeting' : drill.step, context: {} }, { diagnosis: true })?.id, id).toBe(drill.rule);
		}
		const stalled = findRule({ error: { code: 'ETIMEDOUT', message: 'Greeting never received' }, context: {} }, { diagnosis: true });
		expect(stalled?.id).toBe(DRILLS['stalled-server'].rule);
	});

	it('starttls-first lets a client that starts TLS through, as Gmail does', async () => {
		t.sandbox.drills.set(DEFAULT_MAILBOX, 'starttls-first', 'on');
		const { response } = await nodemailerSend();
		expect(response).toMatch(/^250 /);
	});
});

describe('next message only', () => {
	it.skipIf(!python)('refuses one attempt (both of smtplib’s AUTH mechanisms) and then delivers again', async () => {
		t.sandbox.drills.set(DEFAULT_MAILBOX, 'wrong-app-password', 'once');
		expect(await djangoSend()).toMatchObject({ error: 'SMTPAuthenticationError', code: 535 });
		expect(t.sandbox.drills.get(DEFAULT_MAILBOX)).toBeNull();
		expect(await djangoSend()).toEqual({ result: 'sent' });
		// smtplib tried PLAIN and then LOGIN on the refused connection: one record holds both.
		const [refusal] = t.sandbox.drills.refusals(DEFAULT_MAILBOX, 1);
		expect(refusal!.transcript.filter((entry) => entry.line.startsWith('535 ')).length).toBe(2);
	}, PYTHON_TIMEOUT);
});

describe('turning a drill off', () => {
	it('frees a connection that stays open (a pooled sender), while a spent next-message drill holds its own', async () => {
		t.sandbox.drills.set(DEFAULT_MAILBOX, 'no-such-recipient', 'on');
		const smtp = await SmtpDialogue.open(t.sandbox.ports.smtp);
		await smtp.reply();
		await smtp.command('EHLO pooled.example');
		expect(await smtp.command('MAIL FROM:<webmaster@localhost>')).toMatch(/^250/);
		expect(await smtp.command('RCPT TO:<student@example.com>')).toMatch(/^550 5\.1\.1 /);
		t.sandbox.drills.clear(DEFAULT_MAILBOX);
		expect(await smtp.command('RCPT TO:<student@example.com>')).toMatch(/^250/);

		t.sandbox.drills.set(DEFAULT_MAILBOX, 'no-such-recipient', 'once');
		expect(await smtp.command('RCPT TO:<other@example.com>')).toMatch(/^550 5\.1\.1 /);
		expect(t.sandbox.drills.get(DEFAULT_MAILBOX)).toBeNull();
		expect(await smtp.command('RCPT TO:<third@example.com>')).toMatch(/^550 5\.1\.1 /);
		await smtp.command('QUIT');
	});
});

describe('stalled server', () => {
	it.skipIf(!python)('never greets: Django’s EMAIL_TIMEOUT ends the wait, and other clients are served meanwhile', async () => {
		t.sandbox.drills.set(DEFAULT_MAILBOX, 'stalled-server', 'once');
		const held = await SmtpDialogue.open(t.sandbox.ports.smtp);
		// The drill was for the next connection only: this one is held (smtp-server calls onConnect after its
		// 100 ms early-talker wait), and the next ones are greeted.
		await until(() => t.sandbox.drills.get(DEFAULT_MAILBOX) === null);
		const other = await nodemailerSend();
		expect(other.response).toMatch(/^250 /);
		expect(held.closed).toBe(false);
		await expect(held.reply(300)).rejects.toThrow(/no reply/);

		t.sandbox.drills.set(DEFAULT_MAILBOX, 'stalled-server', 'on');
		// smtplib turns the timeout while reading the greeting into SMTPServerDisconnected (smtplib.getreply).
		expect(await djangoSend('tls', 1)).toEqual({ error: 'SMTPServerDisconnected', message: 'Connection unexpectedly closed: timed out' });
		const { error } = await nodemailerSend({ greetingTimeout: 500 });
		expect(error).toMatchObject({ code: 'ETIMEDOUT' });
		// Bounded: the held connection is closed without a word when the drill's time is up.
		await expect(held.reply(STALL_MS + 2_000)).rejects.toThrow(/connection closed; unread: ""/);
		const [refusal] = t.sandbox.drills.refusals(DEFAULT_MAILBOX, 1);
		expect(refusal).toMatchObject({ drill: 'stalled-server', step: 'connect' });
		expect(refusal).not.toHaveProperty('reply');
	}, PYTHON_TIMEOUT);
});

describe('/api/v1/drills', () => {
	const api = (init: RequestInit = {}) =>
		fetch(`${t.baseUrl}/api/v1/drills`, { ...init, headers: { 'content-type': 'application/json', origin: t.baseUrl, ...(init.headers as Record<string, string>) } });

	it('turns a drill on and off, and lists the drills and their refusals', async () => {
		const on = await api({ method: 'PUT', body: JSON.stringify({ drill: 'daily-limit', mode: 'once' }) });
		expect(on.status).toBe(200);
		expect(await on.json()).toMatchObject({ active: { drill: 'daily-limit', mode: 'once' } });
		const state = (await (await api()).json()) as { drills: Array<{ id: string }>; active: { drill: string } };
		expect(state.drills.map((drill) => drill.id)).toEqual([...DRILL_IDS]);
		expect(state.active.drill).toBe('daily-limit');
		const off = await api({ method: 'DELETE' });
		expect(await off.json()).toEqual({ active: null });
		expect(t.sandbox.drills.get(DEFAULT_MAILBOX)).toBeNull();
	});

	it('answers 400 naming the known drills for an unknown drill or mode, and changes nothing', async () => {
		t.sandbox.drills.set(DEFAULT_MAILBOX, 'server-error', 'on');
		for (const body of [{ drill: 'wrong-password' }, { drill: 535 }, {}, { drill: 'daily-limit', mode: 'twice' }]) {
			const response = await api({ method: 'PUT', body: JSON.stringify(body) });
			expect(response.status, JSON.stringify(body)).toBe(400);
			const answer = (await response.json()) as { error: { message: string } };
			expect(answer.error.message).toMatch('mode' in body ? /Unknown mode "twice"/ : /Unknown drill .*Known drills: wrong-app-password, account-password/);
		}
		expect(t.sandbox.drills.get(DEFAULT_MAILBOX)?.drill).toBe('server-error');
	});
});

describe('explaining a refusal in the panel', () => {
	it('uses the rule table’s words for each drill, in Korean and English', () => {
		for (const id of DRILL_IDS) {
			const drill = DRILLS[id];
			for (const lang of ['ko', 'en'] as const) {
				const explained = explainRefusal(drill.reply ? replyLine(drill.reply) : null, drill.step, lang);
				expect(explained?.id, `${id} ${lang}`).toBe(drill.rule);
				expect(explained?.what.length).toBeGreaterThan(20);
			}
		}
		expect(explainRefusal(null, 'ehlo', 'en')?.id).toBe('starttls-required');
	});
});
