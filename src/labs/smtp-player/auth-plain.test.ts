import { describe, expect, it } from 'vitest';
import { decodeAuthPlain, encodeAuthPlain, visibleNul } from './auth-plain';

describe('AUTH PLAIN encoding (RFC 4616)', () => {
	it('matches the example of RFC 4616 §4 (authzid empty, user tim, password tanstaaftanstaaf)', () => {
		expect(encodeAuthPlain('tim', 'tanstaaftanstaaf')).toBe('AHRpbQB0YW5zdGFhZnRhbnN0YWFm');
	});
	it('matches what Node encodes, also for non-ASCII user names and passwords', () => {
		const user = '학생@example.com';
		const password = 'made up 비밀 123';
		expect(encodeAuthPlain(user, password)).toBe(Buffer.from(`\0${user}\0${password}`, 'utf8').toString('base64'));
	});
	it('decodes what it encoded: anyone who sees the line gets the password back', () => {
		const blob = encodeAuthPlain('student@example.com', 'correct horse');
		expect(decodeAuthPlain(blob)).toEqual({ authzid: '', user: 'student@example.com', password: 'correct horse' });
		expect(decodeAuthPlain(encodeAuthPlain('u', 'p', 'admin'))?.authzid).toBe('admin');
	});
	it('refuses text that is not an AUTH PLAIN blob', () => {
		expect(decodeAuthPlain('not base64!!')).toBeNull();
		expect(decodeAuthPlain(btoa('no separators'))).toBeNull();
		expect(decodeAuthPlain(btoa('\xff\xfe\0a\0b'))).toBeNull();
	});
	it('shows NUL separators', () => {
		expect(visibleNul('\0tim\0pw')).toBe('␀tim␀pw');
	});
});
