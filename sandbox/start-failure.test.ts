/**
 * The line `npm start` ends on: a setting's or a data file's problem in the terminal's language, the same
 * English as before for everyone else, and any other error in its own words.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';
import { message } from './i18n/messages.ts';
import { OperatorError } from './operator-error.ts';
import { cannotStartLine } from './start-failure.ts';

function configError(env: Record<string, string>): ConfigError {
	try {
		readConfig(env);
	} catch (error) {
		if (error instanceof ConfigError) return error;
		throw error;
	}
	throw new Error(`readConfig accepted ${JSON.stringify(env)}`);
}

describe('cannotStartLine', () => {
	it('prints a settings problem in English as npm start always has', () => {
		expect(cannotStartLine(configError({ PORT: 'abc' }), 'en')).toBe(
			'Postlab cannot start: PORT is "abc", which is not a port. Use a whole number from 0 to 65535 (default 4321).',
		);
	});

	it('prints it in Korean for a Korean terminal', () => {
		const line = cannotStartLine(configError({ PORT: 'abc' }), 'ko');
		expect(line).toBe(message('ko', 'start.cannotStart', { reason: message('ko', 'config.notAPort', { variable: 'PORT', value: 'abc', lowest: 0, fallback: 4321 }) }));
		expect(line).toMatch(/^Postlab을 시작할 수 없습니다: PORT이\(가\) "abc"/);
	});

	it('translates a data file problem, and leaves an error nobody wrote for a reader as it is', () => {
		const unreadable = new OperatorError('forum.secretKeyFileEmpty', { path: '/data/forum/secret-key' });
		expect(cannotStartLine(unreadable, 'en')).toBe('Postlab cannot start: /data/forum/secret-key exists but holds no key. Delete it and start again.');
		expect(cannotStartLine(unreadable, 'ko')).toContain('/data/forum/secret-key 파일은 있지만');
		expect(cannotStartLine(new Error('listen EACCES: permission denied 0.0.0.0:25'), 'ko')).toBe(
			'Postlab을 시작할 수 없습니다: listen EACCES: permission denied 0.0.0.0:25',
		);
		expect(cannotStartLine('odd', 'en')).toBe('Postlab cannot start: odd');
	});
});
