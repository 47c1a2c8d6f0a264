import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

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
		});
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
