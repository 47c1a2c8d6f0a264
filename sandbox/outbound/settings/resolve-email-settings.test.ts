import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readEmailSettings } from './load-email-settings.ts';
import type { Problem } from './problem.ts';
import type { RealEmailSettings } from './email-settings-types.ts';

const APP_PASSWORD = 'abcdefghijklmnop';

/** A .env that passes every check; each case below changes one thing. */
function gmailEnv(overrides: Record<string, string | null> = {}): string {
	const base: Record<string, string | null> = {
		EMAIL_HOST: 'smtp.gmail.com',
		EMAIL_PORT: '587',
		EMAIL_USE_TLS: 'True',
		EMAIL_HOST_USER: 'me@gmail.com',
		EMAIL_HOST_PASSWORD: APP_PASSWORD,
		DEFAULT_FROM_EMAIL: "'ForumWithDjango <me@gmail.com>'",
		...overrides,
	};
	return Object.entries(base)
		.filter((entry): entry is [string, string] => entry[1] !== null)
		.map(([key, value]) => `${key}=${value}`)
		.join('\n');
}

function real(text: string): RealEmailSettings {
	const settings = readEmailSettings(text);
	if (settings.mode !== 'real') throw new Error('expected real mode');
	return settings;
}

function codes(problems: readonly Problem[]): string[] {
	return problems.map((p) => p.code);
}

describe('mode', () => {
	it('is sandbox without EMAIL_HOST', () => {
		expect(readEmailSettings('EMAIL_HOST_USER=me@gmail.com\n').mode).toBe('sandbox');
		expect(readEmailSettings('EMAIL_HOST=\n').mode).toBe('sandbox');
	});

	it('is real with a valid Gmail .env and finds no problems', () => {
		const settings = real(gmailEnv());
		expect(settings).toMatchObject({ host: 'smtp.gmail.com', port: 587, security: 'starttls', user: 'me@gmail.com', gmail: true, fromAddress: 'me@gmail.com' });
		expect(settings.password).toBe(APP_PASSWORD);
		expect(settings.problems).toEqual([]);
	});

	it('lets the environment win over the file, as dotenv and django-environ do', () => {
		const settings = readEmailSettings(gmailEnv(), { EMAIL_PORT: '465', EMAIL_USE_TLS: 'False', EMAIL_USE_SSL: 'True' });
		expect(settings).toMatchObject({ port: 465, security: 'implicit' });
		expect(settings.sources.EMAIL_PORT).toEqual({ from: 'environment' });
		expect(settings.sources.EMAIL_HOST).toEqual({ from: 'env-file', line: 1 });
	});

	it('follows Django defaults: port 25, webmaster@localhost', () => {
		const settings = real('EMAIL_HOST=mail.example.com\nEMAIL_HOST_USER=u\nEMAIL_HOST_PASSWORD=p\n');
		expect(settings).toMatchObject({ port: 25, security: 'none', from: 'webmaster@localhost' });
		expect(codes(settings.problems)).toEqual(['default-from-missing']);
	});
});

describe('validation table', () => {
	const cases: Array<{ name: string; env: string; code: string; variable: string; severity: 'error' | 'warning' }> = [
		{ name: 'TLS and SSL both true', env: gmailEnv({ EMAIL_USE_SSL: 'True' }), code: 'tls-and-ssl', variable: 'EMAIL_USE_TLS', severity: 'error' },
		{ name: '465 with STARTTLS', env: gmailEnv({ EMAIL_PORT: '465' }), code: 'port-465-starttls', variable: 'EMAIL_PORT', severity: 'error' },
		{ name: '587 with implicit TLS', env: gmailEnv({ EMAIL_USE_TLS: 'False', EMAIL_USE_SSL: 'True' }), code: 'port-587-implicit', variable: 'EMAIL_PORT', severity: 'error' },
		{ name: '465 with neither', env: gmailEnv({ EMAIL_PORT: '465', EMAIL_USE_TLS: null }), code: 'port-465-plain', variable: 'EMAIL_USE_SSL', severity: 'error' },
		{ name: 'Gmail without TLS', env: gmailEnv({ EMAIL_USE_TLS: 'False' }), code: 'gmail-needs-tls', variable: 'EMAIL_USE_TLS', severity: 'error' },
		{ name: 'boolean "yes"', env: gmailEnv({ EMAIL_USE_TLS: 'yes' }), code: 'not-a-boolean', variable: 'EMAIL_USE_TLS', severity: 'error' },
		{ name: 'boolean typo', env: gmailEnv({ EMAIL_USE_TLS: 'Ture' }), code: 'not-a-boolean', variable: 'EMAIL_USE_TLS', severity: 'error' },
		{ name: 'port not a number', env: gmailEnv({ EMAIL_PORT: 'five-eight-seven' }), code: 'bad-port', variable: 'EMAIL_PORT', severity: 'error' },
		{ name: 'timeout not a number', env: gmailEnv({ EMAIL_TIMEOUT: 'ten' }), code: 'bad-timeout', variable: 'EMAIL_TIMEOUT', severity: 'error' },
		{ name: 'host with scheme and port', env: gmailEnv({ EMAIL_HOST: 'smtp://smtp.gmail.com:587' }), code: 'bad-host', variable: 'EMAIL_HOST', severity: 'error' },
		{ name: 'missing user', env: gmailEnv({ EMAIL_HOST_USER: null }), code: 'missing-user', variable: 'EMAIL_HOST_USER', severity: 'error' },
		{ name: 'missing password', env: gmailEnv({ EMAIL_HOST_PASSWORD: null }), code: 'missing-password', variable: 'EMAIL_HOST_PASSWORD', severity: 'error' },
		{ name: 'missing both on Gmail', env: gmailEnv({ EMAIL_HOST_USER: null, EMAIL_HOST_PASSWORD: null }), code: 'missing-credentials', variable: 'EMAIL_HOST_USER', severity: 'error' },
		{ name: 'Gmail user without @', env: gmailEnv({ EMAIL_HOST_USER: 'me', DEFAULT_FROM_EMAIL: 'me@gmail.com' }), code: 'gmail-user-not-address', variable: 'EMAIL_HOST_USER', severity: 'error' },
		{ name: 'app password too short', env: gmailEnv({ EMAIL_HOST_PASSWORD: 'abcdefghijklmno' }), code: 'app-password-shape', variable: 'EMAIL_HOST_PASSWORD', severity: 'error' },
		{ name: 'account password', env: gmailEnv({ EMAIL_HOST_PASSWORD: 'Hunter2-Summer!' }), code: 'app-password-shape', variable: 'EMAIL_HOST_PASSWORD', severity: 'error' },
		{ name: 'app password with spaces', env: gmailEnv({ EMAIL_HOST_PASSWORD: "'abcd efgh ijkl mnop'" }), code: 'app-password-spaces', variable: 'EMAIL_HOST_PASSWORD', severity: 'warning' },
		{ name: 'From differs on Gmail', env: gmailEnv({ DEFAULT_FROM_EMAIL: "'ForumWithDjango <admin@FWD.com>'" }), code: 'gmail-from-rewrite', variable: 'DEFAULT_FROM_EMAIL', severity: 'warning' },
		{ name: 'From missing', env: gmailEnv({ DEFAULT_FROM_EMAIL: null }), code: 'default-from-missing', variable: 'DEFAULT_FROM_EMAIL', severity: 'warning' },
		{ name: 'From unparseable', env: gmailEnv({ DEFAULT_FROM_EMAIL: 'not an address' }), code: 'bad-from', variable: 'DEFAULT_FROM_EMAIL', severity: 'error' },
		{ name: 'password proxied by django-environ', env: gmailEnv({ EMAIL_HOST_PASSWORD: "'$abcdefghijklmnop'" }), code: 'dollar-proxy', variable: 'EMAIL_HOST_PASSWORD', severity: 'warning' },
		{ name: 'plain 587 off Gmail', env: 'EMAIL_HOST=mail.example.com\nEMAIL_PORT=587\nEMAIL_HOST_USER=u@example.com\nEMAIL_HOST_PASSWORD=x\nDEFAULT_FROM_EMAIL=u@example.com', code: 'no-tls', variable: 'EMAIL_USE_TLS', severity: 'warning' },
	];

	it.each(cases)('$name → $code', ({ env, code, variable, severity }) => {
		const settings = real(env);
		const found = settings.problems.find((p) => p.code === code);
		expect(found, `problems were ${codes(settings.problems).join(', ')}`).toBeDefined();
		expect(found).toMatchObject({ variable, severity });
		for (const lang of ['ko', 'en'] as const) {
			expect(found?.message[lang].length).toBeGreaterThan(20);
			expect(found?.fix[lang].length).toBeGreaterThan(10);
		}
		// Korean text really is Korean, English really is English.
		expect(found?.message.ko).toMatch(/[가-힣]/);
		expect(found?.message.en).not.toMatch(/[가-힣]/);
		// Every message names the variable it is about (or the fix does).
		expect(`${found?.message.en} ${found?.fix.en}`).toContain(variable);
	});
});

describe('booleans', () => {
	it.each([
		['True', true],
		['true', true],
		['1', true],
		['False', false],
		['false', false],
		['0', false],
	])('EMAIL_USE_SSL=%s reads as %s and "false" is never truthy', (raw, expected) => {
		const settings = real(gmailEnv({ EMAIL_PORT: '465', EMAIL_USE_TLS: 'False', EMAIL_USE_SSL: raw }));
		expect(settings.useSsl).toBe(expected);
		expect(codes(settings.problems)).not.toContain('not-a-boolean');
	});

	it('says how django-environ reads an unknown word', () => {
		const yes = real(gmailEnv({ EMAIL_USE_TLS: 'yes' })).problems.find((p) => p.code === 'not-a-boolean');
		const typo = real(gmailEnv({ EMAIL_USE_TLS: 'Ture' })).problems.find((p) => p.code === 'not-a-boolean');
		expect(yes?.message.en).toContain('reads it as True');
		expect(typo?.message.en).toContain('reads it as False');
		expect(typo?.fix.en).toContain("env.bool('EMAIL_USE_TLS', default=False)");
	});
});

describe('app passwords', () => {
	it('removes the display spaces before use and says so', () => {
		const settings = real(gmailEnv({ EMAIL_HOST_PASSWORD: "'abcd efgh ijkl mnop'" }));
		expect(settings.password).toBe(APP_PASSWORD);
		expect(codes(settings.problems)).toEqual(['app-password-spaces']);
	});

	it('keeps spaces in passwords for servers other than Gmail', () => {
		const settings = real('EMAIL_HOST=mail.example.com\nEMAIL_PORT=587\nEMAIL_USE_TLS=True\nEMAIL_HOST_USER=u@example.com\nEMAIL_HOST_PASSWORD="a b c"\nDEFAULT_FROM_EMAIL=u@example.com');
		expect(settings.password).toBe('a b c');
	});
});

describe('the password stays hidden', () => {
	const secret = 'qwertyuiopasdfgh';
	const settings = real(gmailEnv({ EMAIL_HOST_PASSWORD: `'qwer tyui opas dfgh'`, SECRET_KEY: "'django-insecure-s3cr3t'", EMAIL_USE_TLS: 'maybe' }));

	it('is readable by code that needs it', () => {
		expect(settings.password).toBe(secret);
		expect(settings.secretKey).toBe('django-insecure-s3cr3t');
	});

	it('is left out of JSON, spread, keys and util.inspect', () => {
		for (const text of [JSON.stringify(settings), inspect(settings, { depth: 5 }), JSON.stringify({ ...settings }), Object.keys(settings).join()]) {
			expect(text).not.toContain(secret);
			expect(text).not.toContain('qwer tyui');
			expect(text).not.toContain('s3cr3t');
		}
		expect(JSON.parse(JSON.stringify(settings))).toMatchObject({ password: '16 characters, hidden' });
	});

	it('never appears in a problem message', () => {
		const bad = readEmailSettings(gmailEnv({ EMAIL_HOST_PASSWORD: 'hunter2#hunter2 x', SECRET_KEY: 'abc#def' }));
		const text = JSON.stringify(bad.problems);
		expect(codes(bad.problems)).toContain('unquotedHash');
		expect(text).not.toContain('hunter2');
		expect(text).not.toContain('abc');
	});
});
