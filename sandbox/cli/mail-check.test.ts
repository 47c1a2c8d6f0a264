/**
 * `npm run mail:check` as a learner runs it: a child process (the same Node as the tests) reading a real
 * `.env`, talking to a local Gmail-like server over real TLS. The server's self-signed certificate is
 * trusted only through NODE_EXTRA_CA_CERTS, as the help text tells users to do.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLocalhostCertificate, startGmailLikeServer, type GmailLikeServer, type TestCertificate } from '../testing/gmail-like-server.ts';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';
import { displayWidth } from './display-width.ts';
import { EXIT_AUTH, EXIT_CONFIG, EXIT_CONNECTION, EXIT_OK, EXIT_USAGE } from './mail-check-exit-codes.ts';

const CLI = join(import.meta.dirname, 'mail-check.ts');
const PASSWORD = 'pqrstuvwxyzabcde';
const USER = 'learner@gmail.com';

let dir: string;
let certPath: string;
let certificate: TestCertificate;
let gmail: GmailLikeServer;

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

/** The parent's environment without anything that would change the result (email settings, npm's flags). */
function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(EMAIL_|DEFAULT_FROM_EMAIL$|SECRET_KEY$|npm_|LC_|LANG$|NODE_EXTRA_CA_CERTS$|DOTENV_CONFIG_PATH$|SANDBOX_)/.test(key)) continue;
		env[key] = value;
	}
	// A Postlab .env that does not exist, so the working copy's own .env never changes a result.
	return { ...env, LANG: 'en_US.UTF-8', DOTENV_CONFIG_PATH: join(dir, 'no-postlab.env'), ...extra };
}

function run(args: string[], extra: Record<string, string> = { NODE_EXTRA_CA_CERTS: certPath }): Promise<Run> {
	return new Promise((resolve) => {
		execFile(process.execPath, [CLI, ...args], { env: childEnvironment(extra), timeout: 80_000 }, (error, stdout, stderr) => {
			const code = error && typeof error.code === 'number' ? error.code : error ? -1 : 0;
			resolve({ code, stdout, stderr });
		});
	});
}

let envCounter = 0;
async function envFile(lines: Record<string, string>): Promise<string> {
	const path = join(dir, `case-${envCounter++}.env`);
	await writeFile(path, `${Object.entries(lines).map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
	return path;
}

function gmailLike(overrides: Record<string, string> = {}): Record<string, string> {
	return {
		EMAIL_HOST: 'localhost',
		EMAIL_PORT: String(gmail.port),
		EMAIL_USE_TLS: 'True',
		EMAIL_HOST_USER: USER,
		EMAIL_HOST_PASSWORD: PASSWORD,
		DEFAULT_FROM_EMAIL: `'ForumWithDjango <${USER}>'`,
		EMAIL_TIMEOUT: '20',
		...overrides,
	};
}

function expectNoPassword(output: string, password: string): void {
	expect(output).not.toContain(password);
	expect(output).not.toContain(Buffer.from(password).toString('base64'));
	expect(output).not.toContain(Buffer.from(`\0${USER}\0${password}`).toString('base64'));
}

beforeAll(async () => {
	// Generating an RSA key can take seconds on a loaded machine.
	dir = await mkdtemp(join(tmpdir(), 'postlab-mail-check-'));
	certificate = await makeLocalhostCertificate();
	certPath = join(dir, 'test-ca.pem');
	await writeFile(certPath, certificate.cert);
	gmail = await startGmailLikeServer({ certificate, password: PASSWORD });
}, 60_000);

afterAll(async () => {
	await gmail.close();
	await rm(dir, { recursive: true, force: true });
});

// Each case starts a Node process; on a loaded machine that alone can take seconds.
describe('npm run mail:check', { timeout: 90_000 }, () => {
	it('connects, shows the dialogue with AUTH hidden, sends with --to, exits 0', async () => {
		const env = await envFile(gmailLike());
		const result = await run(['--env', env, '--to', 'friend@example.com']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(EXIT_OK);
		expect(result.stdout).toContain('EMAIL_HOST_PASSWORD  16 characters, hidden');
		expect(result.stdout).toContain('C: STARTTLS');
		expect(result.stdout).toContain('C: AUTH PLAIN [redacted]');
		expect(result.stdout).toContain('S: 235');
		expect(result.stdout).toMatch(/The server accepted the message: 250/);
		expectNoPassword(result.stdout, PASSWORD);

		const received = await gmail.nextMessage();
		expect(received).toMatchObject({ rcptTo: ['friend@example.com'], authUser: USER, secure: true });
		expect(received.raw).toContain('Subject: Postlab mail check');
	});

	it('exits with the auth code and Gmail\'s explanation for a wrong password', async () => {
		const wrong = 'wrongpasswordxyz';
		const result = await run(['--env', await envFile(gmailLike({ EMAIL_HOST_PASSWORD: wrong }))]);
		expect(result.code).toBe(EXIT_AUTH);
		expect(result.stdout).toContain('535 5.7.8 Username and Password not accepted');
		expect(result.stdout).toContain('revoked');
		expect(result.stdout).toContain('settings to check: EMAIL_HOST_PASSWORD, EMAIL_HOST_USER');
		expectNoPassword(result.stdout + result.stderr, wrong);
	});

	it('hides a password the server echoes back in any spelling', async () => {
		const echoing = await startGmailLikeServer({ certificate, password: PASSWORD, echoPasswordOnFailure: true });
		try {
			const wrong = 'Wrong pass/word+x';
			const result = await run(['--env', await envFile(gmailLike({ EMAIL_PORT: String(echoing.port), EMAIL_HOST_PASSWORD: `'${wrong}'` }))]);
			expect(result.code).toBe(EXIT_AUTH);
			expect(result.stdout).toContain('535 5.7.8 Username and Password not accepted (you sent [redacted] [redacted] [redacted] [redacted])');
			const output = result.stdout + result.stderr;
			for (const spelling of [wrong, encodeURIComponent(wrong), wrong.toUpperCase(), wrong.replace(/\s/g, ''), 'Wrong', 'WRONG', Buffer.from(wrong).toString('base64')]) {
				expect(output).not.toContain(spelling);
			}
		} finally {
			await echoing.close();
		}
	});

	it('stops before connecting when the settings cannot work', async () => {
		const attemptsBefore = gmail.authAttempts.length;
		const result = await run(['--env', await envFile(gmailLike({ EMAIL_USE_SSL: 'True' }))]);
		expect(result.code).toBe(EXIT_CONFIG);
		expect(result.stdout).toContain('[EMAIL_USE_TLS]');
		expect(result.stdout).toContain('mutually exclusive');
		expect(result.stdout).toContain('no connection was made');
		expect(result.stdout).not.toContain('C: EHLO');
		expect(gmail.authAttempts.length).toBe(attemptsBefore);
	});

	it('exits with the connection code when nothing listens', async () => {
		const probe = createServer();
		await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
		const port = (probe.address() as AddressInfo).port;
		await new Promise<void>((resolve) => probe.close(() => resolve()));
		const result = await run(['--env', await envFile(gmailLike({ EMAIL_HOST: '127.0.0.1', EMAIL_PORT: String(port) }))]);
		expect(result.code).toBe(EXIT_CONNECTION);
		expect(result.stdout).toContain('connection refused');
	});

	it('does not trust the self-signed certificate without NODE_EXTRA_CA_CERTS', async () => {
		const result = await run(['--env', await envFile(gmailLike())], {});
		expect(result.code).toBe(EXIT_CONNECTION);
		expect(result.stdout).toContain('not trusted');
	});

	it('says mail goes to the sandbox when there is no EMAIL_HOST', async () => {
		const result = await run(['--env', await envFile({ EMAIL_HOST_USER: USER })]);
		expect(result.code).toBe(EXIT_CONFIG);
		expect(result.stdout).toContain('Postlab sandbox');
	});

	it('reads the file DOTENV_CONFIG_PATH names, and --env wins over it', async () => {
		const named = await envFile(gmailLike({ EMAIL_HOST_USER: 'named@gmail.com' }));
		const given = await envFile(gmailLike({ EMAIL_HOST_USER: 'given@gmail.com' }));
		const [fromVariable, fromOption] = await Promise.all([
			run([], { NODE_EXTRA_CA_CERTS: certPath, DOTENV_CONFIG_PATH: named }),
			run(['--env', given], { NODE_EXTRA_CA_CERTS: certPath, DOTENV_CONFIG_PATH: named }),
		]);
		expect(fromVariable.stdout).toContain(`.env file: ${named}\n`);
		expect(fromVariable.stdout).toContain('named@gmail.com');
		expect(fromOption.stdout).toContain(`.env file: ${given}\n`);
		expect(fromOption.stdout).toContain('given@gmail.com');
	});

	it("shows EMAIL_TIMEOUT unset as Django's None, with the wait Postlab uses instead", async () => {
		const { EMAIL_TIMEOUT: _unset, ...withoutTimeout } = gmailLike();
		const [unset, set] = await Promise.all([run(['--env', await envFile(withoutTimeout)]), run(['--env', await envFile(gmailLike())])]);
		expect(unset.stdout).toMatch(/EMAIL_TIMEOUT +None +\(Django's default: waits for ever; mail:check and Postlab wait 15 s\)/);
		expect(set.stdout).toMatch(/EMAIL_TIMEOUT +20 s +\(\.env line \d+\)/);
	});

	it('names the path it looked in when there is no .env', async () => {
		const missing = join(dir, 'nowhere', '.env');
		const result = await run(['--env', missing]);
		expect(result.stdout).toContain(`.env file: ${missing} (not found)`);
		expect(result.stdout).toContain(`Create ${missing} and add .env to .gitignore`);
	});

	it('lines up the Korean settings table by display width (Hangul takes two cells)', async () => {
		// Every value shorter than the 32-cell column (a longer one pushes its own row's source out).
		const env = await envFile(gmailLike({ EMAIL_HOST_USER: '', DEFAULT_FROM_EMAIL: USER }));
		const result = await run(['--env', env], { NODE_EXTRA_CA_CERTS: certPath, LANG: 'ko_KR.UTF-8' });
		const rows = result.stdout.split('\n').filter((line) => /^ {2}(EMAIL_|DEFAULT_FROM_EMAIL|SECRET_KEY)/.test(line));
		expect(rows.length).toBeGreaterThanOrEqual(8);
		// Korean values are among them (the hidden password, "(없음)"), so padEnd's count would misalign them.
		expect(rows.some((row) => /[가-힣]/.test(row.slice(0, row.lastIndexOf('(')).slice(22)))).toBe(true);
		const sourceColumns = new Set(rows.map((row) => displayWidth(row.slice(0, row.lastIndexOf(' (')))));
		expect([...sourceColumns]).toEqual([2 + 20 + 1 + 32]);
	});

	it('speaks Korean with --lang ko and from LANG', async () => {
		const env = await envFile(gmailLike({ EMAIL_HOST_PASSWORD: 'wrongpasswordxyz' }));
		const runs = await Promise.all([run(['--env', env, '--lang', 'ko']), run(['--env', env], { NODE_EXTRA_CA_CERTS: certPath, LANG: 'ko_KR.UTF-8' })]);
		for (const result of runs) {
			expect(result.code).toBe(EXIT_AUTH);
			expect(result.stdout).toContain('실제로 쓰일 설정');
			expect(result.stdout).toContain('앱 비밀번호');
		}
	});

	describe("pointed at this machine's sandbox", () => {
		let sandbox: TestSandbox;
		beforeAll(async () => {
			sandbox = await startTestSandbox();
		}, 60_000);
		afterAll(() => sandbox.stop());

		it('trusts the sandbox certificate for its ports, says so, and delivers into the sandbox', async () => {
			const { smtp, smtps } = sandbox.sandbox.ports;
			const where = { SANDBOX_DATA_DIR: sandbox.dataDir, SANDBOX_SMTP_PORT: String(smtp), SANDBOX_SMTPS_PORT: String(smtps) };
			const settings = { EMAIL_HOST: '127.0.0.1', EMAIL_HOST_USER: 'me@example.com', EMAIL_HOST_PASSWORD: 'anything', DEFAULT_FROM_EMAIL: 'me@example.com' };
			const [starttls, implicit] = await Promise.all([
				run(['--env', await envFile({ ...settings, EMAIL_PORT: String(smtp), EMAIL_USE_TLS: 'True' }), '--to', 'you@example.com'], where),
				run(['--env', await envFile({ ...settings, EMAIL_HOST: 'localhost', EMAIL_PORT: String(smtps), EMAIL_USE_SSL: 'True' })], where),
			]);
			for (const result of [starttls, implicit]) {
				expect(result.stderr).toBe('');
				expect(result.code).toBe(EXIT_OK);
				expect(result.stdout).toContain(`is this machine's Postlab sandbox; this connection trusts the sandbox's certificate: ${sandbox.sandbox.certificate.path}`);
			}
			expect(starttls.stdout).toContain('C: STARTTLS');
			const list = (await (await fetch(`${sandbox.baseUrl}/api/v1/messages`)).json()) as { messages: Array<{ subject: string }> };
			expect(list.messages.map((m) => m.subject)).toContain('Postlab mail check');
		});

		it('trusts nothing for a port that is not the sandbox\'s', async () => {
			const where = { SANDBOX_DATA_DIR: sandbox.dataDir, SANDBOX_SMTP_PORT: '1', SANDBOX_SMTPS_PORT: '2' };
			const settings = { EMAIL_HOST: '127.0.0.1', EMAIL_PORT: String(sandbox.sandbox.ports.smtp), EMAIL_USE_TLS: 'True', EMAIL_HOST_USER: 'me@example.com', EMAIL_HOST_PASSWORD: 'anything' };
			const result = await run(['--env', await envFile(settings)], where);
			expect(result.code).toBe(EXIT_CONNECTION);
			expect(result.stdout).not.toContain("this machine's Postlab sandbox");
		});
	});

	it('answers --help, and refuses unknown options and stray arguments', async () => {
		const [help, french, bogus, stray] = await Promise.all([run(['--help']), run(['--lang', 'fr']), run(['--bogus']), run(['friend@example.com'])]);
		expect(help.code).toBe(EXIT_OK);
		expect(help.stdout).toContain('--to ADDRESS');
		expect(french.code).toBe(EXIT_USAGE);
		expect(bogus.code).toBe(EXIT_USAGE);
		expect(stray.code).toBe(EXIT_USAGE);
		expect(stray.stderr).toContain('npm run mail:check -- --to ADDRESS');
	});
});
