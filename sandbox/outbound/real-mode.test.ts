/**
 * Real SMTP mode inside the site, over real sockets and real TLS: a whole sandbox (capture SMTP, store, JSON
 * API) next to a local Gmail-like server that requires STARTTLS and AUTH. The forum's reset email goes to the
 * sandbox by default and through the real server when the local user picks it; the copy of a real send lands
 * in the store marked outbound with the redacted transcript and the final reply, and the password is found
 * nowhere: not in the stored files, not in the API's answers, not in the transcript, in no form.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../config.ts';
import { createForum } from '../forum/create-forum.ts';
import type { ForumService } from '../forum/forum-service.ts';
import type { MailSender } from './mail-sender.ts';
import { newSubmissionKey } from '../forum/submission-guard.ts';
import { startSandbox, type SandboxHandle } from '../sandbox.ts';
import type { MessageDetail } from '../mail/message-content.ts';
import { makeLocalhostCertificate, startGmailLikeServer, type GmailLikeServer, type TestCertificate } from '../testing/gmail-like-server.ts';
import { createSandboxMailTransport } from './mail-transport.ts';
import { destinationLine, loadRealMode, type RealModeState } from './real-mode.ts';

const SECRET = 'test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz';
const USER = 'learner@gmail.com';
const APP_PASSWORD = 'qzxwvutsrqponmlk';
const ACCOUNT_PASSWORD = 'tulip-orbit-58';

let certificate: TestCertificate;
let gmail: GmailLikeServer;
let dir: string;
let sandbox: SandboxHandle;
let web: Server;
let webUrl: string;
let sandboxMailer: MailSender;
let forum: ForumService | undefined;

/** Every form in which the password could leak: as is, grouped like Google shows it, and base64 at each alignment. */
function leakedForms(password: string): string[] {
	const grouped = password.replace(/(.{4})(?=.)/g, '$1 ');
	return [
		password,
		grouped,
		Buffer.from(password).toString('base64'),
		Buffer.from(`\0${USER}\0${password}`).toString('base64'),
		Buffer.from(`${USER}\0${USER}\0${password}`).toString('base64'),
		...[0, 1, 2].map((offset) => Buffer.from(`${'\0'.repeat(offset)}${password}`).toString('base64').slice(offset === 0 ? 0 : 4, 16)),
	];
}

function expectNoSecret(text: string): void {
	for (const form of leakedForms(APP_PASSWORD)) expect(text).not.toContain(form);
}

async function envFile(lines: string[]): Promise<string> {
	const path = join(dir, `${Math.random().toString(36).slice(2)}.env`);
	await writeFile(path, `${lines.join('\n')}\n`);
	return path;
}

function gmailLines(password = APP_PASSWORD): string[] {
	return [
		'EMAIL_HOST=localhost',
		`EMAIL_PORT=${gmail.port}`,
		'EMAIL_USE_TLS=True',
		`EMAIL_HOST_USER=${USER}`,
		`EMAIL_HOST_PASSWORD=${password}`,
		`DEFAULT_FROM_EMAIL='Forum <${USER}>'`,
		'EMAIL_TIMEOUT=20',
	];
}

async function realMode(lines: string[], processEnv: Record<string, string> = {}): Promise<RealModeState> {
	return loadRealMode({ envPath: await envFile(lines), environment: {}, processEnv, store: () => sandbox.store, ca: certificate.cert });
}

async function forumWith(state: RealModeState | null): Promise<ForumService> {
	forum = await createForum({
		dataDir: join(dir, `forum-${Math.random().toString(36).slice(2)}`),
		secretKey: SECRET,
		siteOrigin: 'http://127.0.0.1:4321',
		mailer: sandboxMailer,
		realMailer: state?.relay ?? null,
		scrypt: { cost: 1024, blockSize: 8, parallelism: 1 },
		minResetResponseMs: 0,
	});
	const signed = await forum.signUp(undefined, { username: 'minji', email: 'minji@example.com', password1: ACCOUNT_PASSWORD, password2: ACCOUNT_PASSWORD });
	if (signed.kind !== 'done') throw new Error('sign-up failed');
	return forum;
}

function reset(f: ForumService, route: string | null, email = 'minji@example.com', submissionKey = newSubmissionKey()) {
	return f.requestPasswordReset({ email, lang: 'en', clientKey: '127.0.0.1', submissionKey, route });
}

async function apiJson(path: string): Promise<{ text: string; json: unknown }> {
	const response = await fetch(new URL(path, webUrl));
	expect(response.status).toBe(200);
	const text = await response.text();
	return { text, json: JSON.parse(text) };
}

/** Every file under `root`, read as text, for a search for the password. */
async function allFiles(root: string): Promise<Array<{ path: string; text: string }>> {
	const out: Array<{ path: string; text: string }> = [];
	for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
		if (entry.isFile()) {
			const path = join(entry.parentPath, entry.name);
			out.push({ path, text: await readFile(path, 'utf8') });
		}
	}
	return out;
}

beforeAll(async () => {
	certificate = await makeLocalhostCertificate();
	gmail = await startGmailLikeServer({ certificate, password: APP_PASSWORD });
}, 60_000);

afterAll(async () => {
	await gmail.close();
});

beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'postlab-realmode-'));
	const dataDir = join(dir, 'data');
	const config = readConfig(
		{ HOST: '127.0.0.1', PORT: '0', SANDBOX_SMTP_PORT: '0', SANDBOX_SMTPS_PORT: '0', SANDBOX_POP3_PORT: '0', SANDBOX_DATA_DIR: dataDir },
		dir,
	);
	sandbox = await startSandbox(config, { log: () => {} });
	web = createServer((req, res) => sandbox.api(req, res, () => res.writeHead(404).end()));
	await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', () => resolve()));
	webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}/`;
	sandboxMailer = createSandboxMailTransport({ port: sandbox.ports.smtp, certificatePem: sandbox.certificate.pem });
	gmail.messages.length = 0;
	gmail.authAttempts.length = 0;
}, 60_000);

afterEach(async () => {
	sandboxMailer.close();
	web.closeAllConnections();
	await new Promise<void>((resolve) => web.close(() => resolve()));
	await sandbox.close();
	forum = undefined;
	await rm(dir, { recursive: true, force: true });
});

describe('real SMTP mode from the forum', { timeout: 60_000 }, () => {
	it('sends the reset email through the real server and keeps an outbound copy with the transcript and the final reply', async () => {
		const state = await realMode(gmailLines());
		expect(state.relay).not.toBeNull();
		const f = await forumWith(state);

		const outcome = await reset(f, 'real');
		expect(outcome).toMatchObject({ kind: 'done', route: 'real', settings: { host: 'localhost', port: gmail.port, tls: 'starttls', user: USER } });

		const received = await gmail.nextMessage();
		expect(received.secure).toBe(true);
		expect(received.authUser).toBe(USER);
		expect(received.rcptTo).toEqual(['minji@example.com']);
		expect(received.raw).toContain('Password reset on Postlab');

		const list = await apiJson('api/v1/messages');
		const messages = (list.json as { messages: Array<{ id: string; subject: string }> }).messages;
		expect(messages).toHaveLength(1);
		expect(messages[0]?.subject).toBe('Password reset on Postlab');
		const detail = await apiJson(`api/v1/messages/${messages[0]!.id}`);
		const session = (detail.json as MessageDetail).session;
		expect(session.direction).toBe('outbound');
		expect(session.relay).toEqual({ host: 'localhost', port: gmail.port, security: 'starttls', user: USER, reply: expect.stringMatching(/^250 /), gmail: false });
		expect(session.auth).toEqual({ mechanism: 'PLAIN', user: USER });
		expect(session.envelope.rcptTo).toEqual(['minji@example.com']);
		const lines = session.transcript.map((entry) => entry.line);
		expect(lines.some((line) => /^EHLO /.test(line))).toBe(true);
		expect(lines).toContain('STARTTLS');
		expect(lines).toContain('AUTH PLAIN [redacted]');
		expect(lines.some((line) => /^250 /.test(line))).toBe(true);
		// The copy is what went out: the reset link, addressed from DEFAULT_FROM_EMAIL.
		expect((detail.json as MessageDetail).text).toContain('/reset/');
		expect((detail.json as MessageDetail).from).toEqual({ name: 'Forum', address: USER });

		// The password in no form: not in the API's answers, not in any file the sandbox or forum wrote.
		expectNoSecret(list.text);
		expectNoSecret(detail.text);
		const files = await allFiles(dir);
		expect(files.some((file) => file.path.endsWith('.json'))).toBe(true);
		for (const file of files.filter((f) => !f.path.endsWith('.env'))) expectNoSecret(file.text);
	});

	it('sends to the sandbox by default, and the real server sees nothing', async () => {
		const f = await forumWith(await realMode(gmailLines()));
		expect(await reset(f, null)).toMatchObject({ kind: 'done', route: 'sandbox' });
		const list = await apiJson('api/v1/messages');
		const [summary] = (list.json as { messages: Array<{ id: string }> }).messages;
		const detail = (await apiJson(`api/v1/messages/${summary!.id}`)).json as MessageDetail;
		expect(detail.session.direction).toBeUndefined();
		expect(detail.session.relay).toBeUndefined();
		expect(gmail.authAttempts).toHaveLength(0);
	});

	it('refuses a real route the server does not offer, and a made-up one', async () => {
		const f = await forumWith(null);
		expect(await reset(f, 'real')).toEqual({ kind: 'invalid', errors: { route: [{ code: 'route_unavailable' }] } });
		const g = await forumWith(await realMode(gmailLines()));
		expect(await reset(g, 'smtp.evil.example')).toEqual({ kind: 'invalid', errors: { route: [{ code: 'route_unavailable' }] } });
		expect(gmail.authAttempts).toHaveLength(0);
	});

	it('explains a wrong app password, keeps the account and lets the user retry through the sandbox', async () => {
		const f = await forumWith(await realMode(gmailLines('wrongwrongwrongx')));
		const key = newSubmissionKey();
		const outcome = await reset(f, 'real', 'minji@example.com', key);
		expect(outcome.kind).toBe('send-failed');
		if (outcome.kind !== 'send-failed') return;
		expect(outcome.route).toBe('real');
		expect(outcome.failure.explanation?.id).toBe('auth-rejected');
		expect(outcome.failure.explanation?.settings).toContain('EMAIL_HOST_PASSWORD');
		expect(outcome.failure.explanation?.what.ko).toContain('535');
		expect(outcome.failure.response).toMatch(/^535 5\.7\.8/);
		for (const form of leakedForms('wrongwrongwrongx')) expect(JSON.stringify(outcome)).not.toContain(form);
		// Nothing lost: no copy stored, the account logs in as before, and the same form can go to the sandbox.
		expect(sandbox.store.count).toBe(0);
		expect((await f.logIn(undefined, { username: 'minji', password: ACCOUNT_PASSWORD })).kind).toBe('done');
		expect(await reset(f, 'sandbox', 'minji@example.com', key)).toMatchObject({ kind: 'done', route: 'sandbox' });
	});

	it('caps real emails per hour, not requests, and never connects once capped', async () => {
		const f = await forumWith(await realMode(gmailLines(), { SANDBOX_REAL_SEND_PER_HOUR: '2' }));
		expect(await reset(f, 'real')).toMatchObject({ kind: 'done', route: 'real' });
		// An unknown address sends no email, so it takes none of the hour's sends (it still needs room for one).
		expect(await reset(f, 'real', 'nobody@example.com')).toMatchObject({ kind: 'done', route: 'real' });
		expect(await reset(f, 'real')).toMatchObject({ kind: 'done', route: 'real' });
		expect(gmail.messages).toHaveLength(2);
		const attempts = gmail.authAttempts.length;
		for (const email of ['minji@example.com', 'nobody@example.com']) {
			const refused = await reset(f, 'real', email);
			expect(refused.kind).toBe('real-refused');
			if (refused.kind === 'real-refused') expect(refused.message.en).toMatch(/limited to 2 messages an hour/);
		}
		expect(gmail.authAttempts).toHaveLength(attempts);
		expect(gmail.messages).toHaveLength(2);
		// The sandbox is still there.
		expect(await reset(f, 'sandbox')).toMatchObject({ kind: 'done', route: 'sandbox' });
	});

	it('never sends more real emails in one request than the hour has left: 25 accounts on one address send none', async () => {
		const f = await forumWith(await realMode(gmailLines()));
		for (let n = 0; n < 25; n++) {
			const signed = await f.signUp(undefined, { username: `twin${n}`, email: 'shared@example.com', password1: ACCOUNT_PASSWORD, password2: ACCOUNT_PASSWORD });
			expect(signed.kind).toBe('done');
		}
		const refused = await reset(f, 'real', 'shared@example.com');
		expect(refused).toMatchObject({ kind: 'real-refused', message: { en: expect.stringMatching(/limited to 20 messages an hour; these 25 would go over it/) } });
		expect(gmail.messages).toHaveLength(0);
		expect(gmail.authAttempts).toHaveLength(0);
		// Every one of the hour's 20 sends is still there.
		expect(f.realMailer!.admit('minji@example.com', 20)).toEqual({ ok: true });
	});

	it('counts each message sent through the real server, whatever sends it', async () => {
		const state = await realMode(gmailLines(), { SANDBOX_REAL_SEND_PER_HOUR: '3' });
		const f = await forumWith(state);
		for (let n = 0; n < 2; n++) {
			const signed = await f.signUp(undefined, { username: `pair${n}`, email: 'pair@example.com', password1: ACCOUNT_PASSWORD, password2: ACCOUNT_PASSWORD });
			expect(signed.kind).toBe('done');
		}
		// Two accounts: one request, two emails, two of the three sends.
		expect(await reset(f, 'real', 'pair@example.com')).toMatchObject({ kind: 'done', route: 'real' });
		expect(gmail.messages).toHaveLength(2);
		const relay = state.relay!;
		await relay.send({ from: USER, to: 'teacher@example.com', subject: 'direct', text: 'direct', html: '<p>direct</p>' });
		await expect(relay.send({ from: USER, to: 'teacher@example.com', subject: 'over', text: 'over', html: '<p>over</p>' })).rejects.toMatchObject({ code: 'EREALREFUSED' });
		expect(gmail.messages).toHaveLength(3);
	});

	it('sends real mail only to the allow-list when one is set', async () => {
		const f = await forumWith(await realMode(gmailLines(), { SANDBOX_REAL_SEND_ALLOW: '*@myschool.example' }));
		const refused = await reset(f, 'real');
		expect(refused).toMatchObject({ kind: 'real-refused', message: { en: expect.stringContaining('SANDBOX_REAL_SEND_ALLOW') } });
		expect(gmail.authAttempts).toHaveLength(0);
	});
});

describe('real mode settings at start-up', { timeout: 60_000 }, () => {
	it('without a .env file mail goes to the sandbox, with no warning about the missing file', async () => {
		const state = await loadRealMode({ envPath: join(dir, 'absent.env'), environment: {}, processEnv: {}, store: () => sandbox.store });
		expect(state.settings.mode).toBe('sandbox');
		expect(state.relay).toBeNull();
		expect(state.envFileFound).toBe(false);
		expect(state.problems).toEqual([]);
		const line = destinationLine(state, { smtp: 2525, smtps: 2465 }, 'en');
		expect(line).toContain('2525');
		expect(line).toContain(`No .env (looked for ${join(dir, 'absent.env')}), so mail stays in the sandbox.`);
		expect(line).not.toContain('EMAIL_HOST');
		expect(destinationLine(state, { smtp: 2525, smtps: 2465 }, 'ko')).toContain('.env가 없으니');
	});

	it('turns real mode off when the settings have an error, and the log line shows the user but never the password', async () => {
		const state = await realMode([...gmailLines(), 'EMAIL_USE_SSL=True']);
		expect(state.settings.mode).toBe('real');
		expect(state.relay).toBeNull();
		expect(state.problems.some((p) => p.code === 'tls-and-ssl' || p.variable === 'EMAIL_USE_SSL')).toBe(true);
		for (const lang of ['ko', 'en'] as const) {
			const line = destinationLine(state, { smtp: 2525, smtps: 2465 }, lang);
			expect(line).toContain(USER);
			expect(line).toContain('localhost');
			expectNoSecret(line);
		}
	});

	it('reports a bad SANDBOX_REAL_SEND_PER_HOUR and keeps the default', async () => {
		const state = await realMode(gmailLines(), { SANDBOX_REAL_SEND_PER_HOUR: 'lots' });
		expect(state.perHour).toBe(20);
		expect(state.problems.map((p) => p.variable)).toContain('SANDBOX_REAL_SEND_PER_HOUR');
	});

	it('checks the connection with a redacted dialogue, and explains a refusal', async () => {
		const good = await realMode(gmailLines());
		const ok = await good.relay!.check();
		expect(ok.ok).toBe(true);
		expect(ok.transcript.map((e) => e.line)).toContain('AUTH PLAIN [redacted]');
		expectNoSecret(JSON.stringify(ok));

		const bad = await realMode(gmailLines('wrongwrongwrongx'));
		const failed = await bad.relay!.check();
		expect(failed).toMatchObject({ ok: false, explanation: { id: 'auth-rejected' } });
		for (const form of leakedForms('wrongwrongwrongx')) expect(JSON.stringify(failed)).not.toContain(form);
		expect(gmail.messages).toHaveLength(0);
	});
});
