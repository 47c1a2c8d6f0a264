import { describe, expect, it } from 'vitest';
import { parse } from 'dotenv';
import { bareHost, djangoEnvBlock, envValue } from './django-env.ts';

describe('djangoEnvBlock', () => {
	it('writes Django’s names with the STARTTLS port and the personal login', () => {
		expect(djangoEnvBlock({ host: '192.168.0.12', port: 2525, user: 'learner-ab12cd', password: 'abcd efgh ijkl mnop' })).toBe(
			[
				'EMAIL_HOST=192.168.0.12',
				'EMAIL_PORT=2525',
				'EMAIL_USE_TLS=True',
				'EMAIL_HOST_USER=learner-ab12cd',
				"EMAIL_HOST_PASSWORD='abcd efgh ijkl mnop'",
			].join('\n'),
		);
	});

	it('reads back, through dotenv, exactly the values it was given', () => {
		const input = { host: '[::1]', port: 40123, user: 'learner-x1', password: 'ab#d efgh $jkl mnop' };
		expect(parse(djangoEnvBlock(input))).toEqual({
			EMAIL_HOST: '::1',
			EMAIL_PORT: '40123',
			EMAIL_USE_TLS: 'True',
			EMAIL_HOST_USER: 'learner-x1',
			EMAIL_HOST_PASSWORD: 'ab#d efgh $jkl mnop',
		});
	});

	it('leaves plain values bare and refuses a value it cannot quote', () => {
		expect(envValue('abcdefghijklmnop')).toBe('abcdefghijklmnop');
		expect(envValue('a b')).toBe("'a b'");
		expect(() => envValue("it's")).toThrow(/single quote/);
		expect(bareHost('localhost')).toBe('localhost');
	});
});
