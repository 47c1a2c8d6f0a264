import { describe, expect, it } from 'vitest';
import { ConfigError, isLoopbackHost, readConfig, startupWarnings } from './config.ts';

describe('readConfig', () => {
	it('uses the documented defaults', () => {
		const config = readConfig({}, '/project');
		expect(config).toMatchObject({
			host: '127.0.0.1',
			port: 4321,
			smtpPort: 2525,
			smtpsPort: 2465,
			pop3Port: 2110,
			pop3sPort: 2995,
			imapPort: 2143,
			imapsPort: 2993,
			dataDir: '/project/.sandbox-data',
			maxMessages: 1000,
			maxMessageBytes: 25 * 1024 * 1024,
			tlsCertPath: null,
			tlsKeyPath: null,
			limits: { maxConnections: 1000, maxConnectionsPerAddress: 20, loginTimeoutMs: 30_000 },
		});
	});

	it('reads the connection limits, and names the variable of a bad one', () => {
		const config = readConfig({ SANDBOX_MAX_CONNECTIONS: '2000', SANDBOX_MAX_CONNECTIONS_PER_ADDRESS: '40', SANDBOX_LOGIN_TIMEOUT_SECONDS: '5' }, '/project');
		expect(config.limits).toEqual({ maxConnections: 2000, maxConnectionsPerAddress: 40, loginTimeoutMs: 5000 });
		expect(() => readConfig({ SANDBOX_MAX_CONNECTIONS: '0' })).toThrow(/SANDBOX_MAX_CONNECTIONS is "0"\. Use a whole number from 1 to 100000/);
		expect(() => readConfig({ SANDBOX_MAX_CONNECTIONS_PER_ADDRESS: 'many' })).toThrow(/SANDBOX_MAX_CONNECTIONS_PER_ADDRESS is "many"/);
		expect(() => readConfig({ SANDBOX_LOGIN_TIMEOUT_SECONDS: '3600' })).toThrow(/SANDBOX_LOGIN_TIMEOUT_SECONDS is "3600"\. Use a whole number from 1 to 600/);
	});

	it('reads every variable', () => {
		const config = readConfig(
			{
				HOST: 'localhost',
				PORT: '8080',
				SANDBOX_SMTP_PORT: '1025',
				SANDBOX_SMTPS_PORT: '1465',
				SANDBOX_POP3_PORT: '1110',
				SANDBOX_POP3S_PORT: '1995',
				SANDBOX_IMAP_PORT: '1143',
				SANDBOX_IMAPS_PORT: '1993',
				SANDBOX_DATA_DIR: 'mail',
				SANDBOX_MAX_MESSAGES: '5',
				SANDBOX_MAX_MESSAGE_MB: '2',
				SANDBOX_TLS_CERT: 'c.pem',
				SANDBOX_TLS_KEY: '/k.pem',
			},
			'/p',
		);
		expect(config).toMatchObject({
			host: 'localhost',
			port: 8080,
			smtpPort: 1025,
			smtpsPort: 1465,
			pop3Port: 1110,
			pop3sPort: 1995,
			imapPort: 1143,
			imapsPort: 1993,
			dataDir: '/p/mail',
			maxMessages: 5,
			maxMessageBytes: 2 * 1024 * 1024,
			tlsCertPath: '/p/c.pem',
			tlsKeyPath: '/k.pem',
		});
	});

	it.each([
		['SANDBOX_SMTP_PORT', 'abc', /SANDBOX_SMTP_PORT is "abc".*0 to 65535/],
		['PORT', '70000', /PORT is "70000"/],
		['PORT', '43x21', /PORT is "43x21".*0 to 65535/],
		['PORT', '-1', /PORT is "-1"/],
		['SANDBOX_MAX_MESSAGES', '0', /SANDBOX_MAX_MESSAGES is "0".*1 to 100000/],
		['SANDBOX_MAX_MESSAGE_MB', '2.5', /SANDBOX_MAX_MESSAGE_MB is "2.5".*whole number/],
		['HOST', 'local host', /HOST is "local host"/],
	])('refuses %s=%s with a message naming the variable', (variable, value, message) => {
		const read = () => readConfig({ [variable]: value });
		expect(read).toThrow(ConfigError);
		expect(read).toThrow(message);
		try {
			read();
		} catch (error) {
			expect((error as ConfigError).variable).toBe(variable);
		}
	});

	it('refuses two settings on one port', () => {
		expect(() => readConfig({ SANDBOX_SMTPS_PORT: '2525' })).toThrow(/SANDBOX_SMTPS_PORT and SANDBOX_SMTP_PORT are both 2525/);
		expect(() => readConfig({ SANDBOX_IMAPS_PORT: '2995' })).toThrow(/SANDBOX_IMAPS_PORT and SANDBOX_POP3S_PORT are both 2995/);
	});

	it('wants the certificate and key together', () => {
		expect(() => readConfig({ SANDBOX_TLS_CERT: 'c.pem' })).toThrow(/SANDBOX_TLS_KEY is not set but SANDBOX_TLS_CERT is/);
	});

	it('lets tests ask for free ports with 0', () => {
		expect(readConfig({ SANDBOX_SMTP_PORT: '0', SANDBOX_SMTPS_PORT: '0' })).toMatchObject({ smtpPort: 0, smtpsPort: 0 });
	});
});

describe('classroom mode settings', () => {
	const TOKEN = '0123456789abcdef0123456789abcdef';

	it('is off by default, with no token', () => {
		const config = readConfig({});
		expect(config.classroom.enabled).toBe(false);
		expect(config.classroom.instructorToken).toBe('');
		expect(startupWarnings(config, 'en')).toEqual([]);
	});

	it('turns on with SANDBOX_CLASSROOM and a long enough INSTRUCTOR_TOKEN, which never shows when printed', () => {
		const config = readConfig({ SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: TOKEN, HOST: '0.0.0.0' });
		expect(config.classroom.enabled).toBe(true);
		expect(config.classroom.instructorToken).toBe(TOKEN);
		expect(JSON.stringify(config)).not.toContain(TOKEN);
		expect(JSON.stringify({ ...config.classroom })).not.toContain(TOKEN);
		const warnings = startupWarnings(config, 'en').join('\n');
		expect(warnings).toMatch(/0\.0\.0\.0/);
		expect(warnings).toMatch(/INSTRUCTOR_TOKEN is the only key/);
		expect(warnings).toMatch(/TLS/);
		expect(warnings).not.toContain(TOKEN);
	});

	it('opens the mailbox to POP3/IMAP changes unless SANDBOX_MAILBOX_READ_ONLY says True', () => {
		expect([readConfig({}), readConfig({ SANDBOX_MAILBOX_READ_ONLY: 'False' }), readConfig({ SANDBOX_MAILBOX_READ_ONLY: 'true' })].map((c) => c.mailboxReadOnly)).toEqual([false, false, true]);
	});

	it.each([
		[{ SANDBOX_CLASSROOM: 'yes' }, 'SANDBOX_CLASSROOM', /SANDBOX_CLASSROOM is "yes".*True or False/],
		[{ SANDBOX_CLASSROOM: '1' }, 'INSTRUCTOR_TOKEN', /INSTRUCTOR_TOKEN is not set.*openssl rand -hex 16/],
		[{ SANDBOX_CLASSROOM: 'true', INSTRUCTOR_TOKEN: 'short' }, 'INSTRUCTOR_TOKEN', /only 5 characters long.*at least 16/],
		[{ HOST: '0.0.0.0' }, 'HOST', /HOST is "0\.0\.0\.0".*classroom mode/],
		[{ HOST: '192.168.0.10', SANDBOX_CLASSROOM: 'False' }, 'HOST', /SANDBOX_CLASSROOM=True/],
		[{ SANDBOX_MAILBOX_READ_ONLY: 'on' }, 'SANDBOX_MAILBOX_READ_ONLY', /SANDBOX_MAILBOX_READ_ONLY is "on".*True or False/],
	])('refuses %j naming %s', (env, variable, message) => {
		expect(() => readConfig(env)).toThrow(message);
		try {
			readConfig(env);
		} catch (error) {
			expect((error as ConfigError).variable).toBe(variable);
		}
	});

	it('keeps loopback HOSTs allowed in local mode, and says a loopback classroom reaches nobody else', () => {
		for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', 'app.localhost']) {
			expect(isLoopbackHost(host)).toBe(true);
			expect(readConfig({ HOST: host }).host).toBe(host);
		}
		for (const host of ['0.0.0.0', '::', '192.168.1.2', 'example.com']) expect(isLoopbackHost(host)).toBe(false);
		const config = readConfig({ SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: TOKEN });
		expect(startupWarnings(config, 'en').join(' ')).toMatch(/only this computer/);
	});
});

describe('SANDBOX_PUBLIC_URL', () => {
	const classroom = { SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: '0123456789abcdef0123', HOST: '0.0.0.0' };

	it('is read as an origin', () => {
		expect(readConfig({ ...classroom, SANDBOX_PUBLIC_URL: 'https://Postlab.School.example/' }).publicUrl).toBe('https://postlab.school.example');
		expect(readConfig({ ...classroom, SANDBOX_PUBLIC_URL: 'http://192.168.0.10:4321' }).publicUrl).toBe('http://192.168.0.10:4321');
		expect(readConfig({}).publicUrl).toBeNull();
	});

	it.each([
		['postlab.school.example', /not a URL/],
		['ftp://postlab.school.example', /only http:\/\/ and https:\/\//],
		['https://user:pw@postlab.school.example', /user name or password/],
		['https://postlab.school.example/postlab/', /path, query or fragment/],
		['https://postlab.school.example/?x=1', /path, query or fragment/],
	])('refuses %s with a clear error', (value, message) => {
		expect(() => readConfig({ ...classroom, SANDBOX_PUBLIC_URL: value })).toThrow(message);
		expect(() => readConfig({ ...classroom, SANDBOX_PUBLIC_URL: value })).toThrow(ConfigError);
	});

	it('never repeats the password of a URL it refuses, in either language', () => {
		try {
			readConfig({ ...classroom, SANDBOX_PUBLIC_URL: 'https://teacher:hunter2secret@postlab.school.example' });
			expect.unreachable();
		} catch (error) {
			expect(JSON.stringify((error as ConfigError).text)).not.toMatch(/hunter2secret|teacher/);
		}
	});

	it('must name this computer outside classroom mode', () => {
		expect(() => readConfig({ SANDBOX_PUBLIC_URL: 'https://postlab.school.example' })).toThrow(/outside classroom mode/);
		expect(readConfig({ SANDBOX_PUBLIC_URL: 'http://localhost:8080' }).publicUrl).toBe('http://localhost:8080');
	});
});

describe('settings problems in both languages', () => {
	const classroom = { SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: '0123456789abcdef0123', HOST: '0.0.0.0' };
	const HANGUL = /[\uac00-\ud7a3]/;

	// One environment per refusal readConfig has, so a Korean text with a gap or a missing value shows here.
	it.each([
		[{ SANDBOX_TLS_KEY: 'k.pem' }, 'SANDBOX_TLS_CERT'],
		[{ SANDBOX_POP3_PORT: '2525' }, '2525'],
		[{ HOST: 'local host' }, 'local host'],
		[{ HOST: '192.168.0.10' }, '192.168.0.10'],
		[{ ...classroom, SANDBOX_PUBLIC_URL: 'postlab' }, 'SANDBOX_PUBLIC_URL=https://postlab.myschool.ac.kr'],
		[{ ...classroom, SANDBOX_PUBLIC_URL: 'ftp://a.example' }, 'ftp://a.example'],
		[{ ...classroom, SANDBOX_PUBLIC_URL: 'https://u:p@a.example' }, 'SANDBOX_PUBLIC_URL'],
		[{ ...classroom, SANDBOX_PUBLIC_URL: 'https://a.example/x' }, 'https://a.example/x'],
		[{ SANDBOX_PUBLIC_URL: 'https://a.example' }, 'SANDBOX_CLASSROOM=True'],
		[{ SANDBOX_MAILBOX_READ_ONLY: 'on' }, '"on"'],
		[{ SANDBOX_CLASSROOM: 'yes' }, '"yes"'],
		[{ SANDBOX_CLASSROOM: 'True' }, 'openssl rand -hex 16'],
		[{ SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: 'short' }, '5'],
		[{ PORT: 'abc' }, '4321'],
		[{ SANDBOX_MAX_MESSAGES: '0' }, '100000'],
	])('%j is told in Korean with its values, and in English as the message', (env, shown) => {
		let error: unknown;
		try {
			readConfig(env);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(ConfigError);
		const { text, message } = error as ConfigError;
		expect(message).toBe(text.en);
		expect(text.ko).toMatch(HANGUL);
		expect(text.ko).not.toContain('{{');
		expect(text.ko).toContain(shown);
		expect(text.en).toContain(shown);
	});

	it('warns a classroom in the terminal language', () => {
		const open = startupWarnings(readConfig(classroom), 'ko');
		expect(open).toHaveLength(3);
		expect(open[0]).toContain('0.0.0.0');
		const loopback = startupWarnings(readConfig({ ...classroom, HOST: '127.0.0.1' }), 'ko');
		expect(loopback.join('\n')).toContain('HOST=0.0.0.0');
		for (const line of [...open, ...loopback]) {
			expect(line).toMatch(HANGUL);
			expect(line).not.toContain('{{');
		}
	});
});
