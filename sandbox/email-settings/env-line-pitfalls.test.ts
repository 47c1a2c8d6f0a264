/**
 * Each pitfall is checked twice: what dotenv 18 really reads from the line (so the message tells the truth),
 * and that the scanner reports it.
 */
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { scanEnvText } from './env-line-pitfalls.ts';
import { readEmailSettings } from './load-email-settings.ts';

function codesOf(text: string): string[] {
	return scanEnvText(text).problems.map((p) => p.code);
}

describe('lines that parse differently than they look', () => {
	const cases: Array<{ name: string; text: string; key: string; dotenvReads: string | undefined; code: string }> = [
		{ name: 'spaces around =', text: 'EMAIL_HOST = smtp.gmail.com', key: 'EMAIL_HOST', dotenvReads: 'smtp.gmail.com', code: 'spaces-around-equals' },
		{ name: 'space after = only', text: 'EMAIL_HOST_USER= me@gmail.com', key: 'EMAIL_HOST_USER', dotenvReads: 'me@gmail.com', code: 'spaces-around-equals' },
		{ name: 'unquoted # inside a value', text: 'SECRET_KEY=django-insecure-ab#cd', key: 'SECRET_KEY', dotenvReads: 'django-insecure-ab', code: 'unquoted-hash' },
		{ name: 'value that starts with #', text: 'EMAIL_HOST_PASSWORD=#abcdefghijklmno', key: 'EMAIL_HOST_PASSWORD', dotenvReads: '', code: 'unquoted-hash' },
		{ name: 'trailing comment', text: 'EMAIL_PORT=587 # STARTTLS', key: 'EMAIL_PORT', dotenvReads: '587', code: 'inline-comment' },
		{ name: 'unquoted spaces', text: 'EMAIL_HOST_PASSWORD=abcd efgh ijkl mnop', key: 'EMAIL_HOST_PASSWORD', dotenvReads: 'abcd efgh ijkl mnop', code: 'unquoted-spaces' },
		{ name: 'unclosed double quote', text: 'EMAIL_HOST_PASSWORD="abcdefghijklmnop', key: 'EMAIL_HOST_PASSWORD', dotenvReads: '"abcdefghijklmnop', code: 'mismatched-quotes' },
		{ name: 'mixed quotes', text: `DEFAULT_FROM_EMAIL="Forum <me@gmail.com>'`, key: 'DEFAULT_FROM_EMAIL', dotenvReads: `"Forum <me@gmail.com>'`, code: 'mismatched-quotes' },
		{ name: 'export prefix', text: 'export EMAIL_HOST=smtp.gmail.com', key: 'EMAIL_HOST', dotenvReads: 'smtp.gmail.com', code: 'export-prefix' },
		{ name: 'colon separator', text: 'EMAIL_HOST: smtp.gmail.com', key: 'EMAIL_HOST', dotenvReads: 'smtp.gmail.com', code: 'colon-separator' },
		{ name: 'backticks', text: 'EMAIL_HOST=`smtp.gmail.com`', key: 'EMAIL_HOST', dotenvReads: 'smtp.gmail.com', code: 'backtick-quotes' },
		{ name: 'trailing spaces', text: 'EMAIL_HOST_USER=me@gmail.com   ', key: 'EMAIL_HOST_USER', dotenvReads: 'me@gmail.com', code: 'trailing-spaces' },
	];

	it.each(cases)('$name: dotenv reads $dotenvReads and the scanner says $code', ({ text, key, dotenvReads, code }) => {
		expect(dotenv.parse(text)[key]).toBe(dotenvReads);
		const found = scanEnvText(text).problems.find((p) => p.code === code);
		expect(found, codesOf(text).join()).toBeDefined();
		expect(found).toMatchObject({ variable: key, line: 1 });
		expect(found?.message.ko).toMatch(/[가-힣]/);
		expect(found?.fix.en.length).toBeGreaterThan(10);
	});

	it('duplicate keys: dotenv keeps the last, the scanner names both lines', () => {
		const text = 'EMAIL_PORT=465\nEMAIL_PORT=587\n';
		expect(dotenv.parse(text)['EMAIL_PORT']).toBe('587');
		const found = scanEnvText(text).problems.find((p) => p.code === 'duplicate-key');
		expect(found?.line).toBe(2);
		expect(found?.message.en).toContain('lines 1 and 2');
	});

	it('a byte order mark is invisible to dotenv but breaks the first name in Python', () => {
		const text = '\uFEFFEMAIL_HOST=smtp.gmail.com\nEMAIL_PORT=587\n';
		expect(dotenv.parse(text)['EMAIL_HOST']).toBe('smtp.gmail.com');
		expect(codesOf(text)).toContain('byte-order-mark');
	});

	it('CRLF line endings read the same in dotenv, with a warning for shells', () => {
		const text = 'EMAIL_HOST=smtp.gmail.com\r\nEMAIL_PORT=587\r\n';
		expect(dotenv.parse(text)).toEqual({ EMAIL_HOST: 'smtp.gmail.com', EMAIL_PORT: '587' });
		expect(codesOf(text)).toEqual(['crlf-line-endings']);
		expect(scanEnvText(text).problems[0]?.severity).toBe('warning');
	});

	it('well-formed lines raise nothing', () => {
		const text = [
			'# Gmail',
			'EMAIL_HOST=smtp.gmail.com',
			'EMAIL_PORT=587',
			"EMAIL_HOST_PASSWORD='abcd efgh ijkl mnop'",
			'SECRET_KEY="django-insecure-#x$y"',
			'',
		].join('\n');
		expect(codesOf(text)).toEqual([]);
	});

	it('a line that is not KEY=value is reported, not guessed', () => {
		expect(codesOf('EMAIL_HOST smtp.gmail.com')).toEqual(['unreadable-line']);
	});

	it('secret values are never quoted back', () => {
		const text = 'EMAIL_HOST_PASSWORD=hunter2 hunter2 #tail\nSECRET_KEY=s3cr3t#tail\n';
		const shown = JSON.stringify(scanEnvText(text).problems);
		expect(shown).not.toContain('hunter2');
		expect(shown).not.toContain('s3cr3t');
	});

	it('the loader puts file pitfalls first, then value problems', () => {
		const settings = readEmailSettings('EMAIL_HOST=smtp.gmail.com\nEMAIL_PORT = 587\nEMAIL_USE_TLS=yes\n');
		const found = settings.problems.map((p) => p.code);
		expect(found.indexOf('spaces-around-equals')).toBeLessThan(found.indexOf('not-a-boolean'));
	});
});
