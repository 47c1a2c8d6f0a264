/**
 * The `.env` analysis as `mail:check` and the start-up check report it. Which line falls into which pitfall is
 * tested with the analysis itself (sandbox/env-file/analyze-env.test.ts); here: the problems' wording, their
 * severity for Postlab, that no secret is ever quoted back, and the loader's order.
 */
import { describe, expect, it } from 'vitest';
import { analyzeEnv } from '../../env-file/analyze-env.ts';
import { envFileProblems, scanEnvFile } from './env-file-problems.ts';
import { readEmailSettings } from './load-email-settings.ts';

function codesOf(text: string): string[] {
	return scanEnvFile(text).problems.map((p) => p.code);
}

describe('.env pitfalls as settings problems', () => {
	const lines = [
		'EMAIL_HOST = smtp.gmail.com',
		'EMAIL_HOST_USER= me@gmail.com',
		'SECRET_KEY=django-insecure-ab#cd',
		'EMAIL_PORT=587 # STARTTLS',
		'EMAIL_HOST_PASSWORD=abcd efgh ijkl mnop',
		'EMAIL_HOST_PASSWORD="abcdefghijklmnop',
		'EMAIL_HOST: smtp.gmail.com',
		'EMAIL_HOST=`smtp.gmail.com`',
		'EMAIL_HOST_USER=me@gmail.com   ',
		'  EMAIL_HOST=smtp.gmail.com',
		'EMAIL_HOST="first',
		'EMAIL_HOST_USER=a\u2028b',
		'EMAIL_HOST smtp.gmail.com',
	];

	it.each(lines)('%j is told in both languages, with its line and variable', (text) => {
		const [found] = scanEnvFile(text).problems;
		expect(found, JSON.stringify(text)).toBeDefined();
		expect(found?.line).toBe(1);
		expect(found?.message.ko).toMatch(/[가-힣]/);
		expect(found?.message.en).not.toMatch(/[가-힣]/);
		expect(found?.fix.en.length).toBeGreaterThan(10);
		expect(found?.fix.ko).toMatch(/[가-힣]/);
	});

	it('says which lines set a key twice', () => {
		const [found] = scanEnvFile('EMAIL_PORT=465\nEMAIL_PORT=587\n').problems;
		expect(found).toMatchObject({ code: 'duplicateKey', variable: 'EMAIL_PORT', line: 1 });
		expect(found?.message.en).toContain('lines 1 and 2');
	});

	it('tells a blank before = (the line is skipped) from one after it (the value changes)', () => {
		const [before] = scanEnvFile('EMAIL_HOST = smtp.gmail.com').problems;
		const [after] = scanEnvFile('EMAIL_HOST= smtp.gmail.com').problems;
		expect(before?.message.en).toContain('skips the whole line');
		expect(after?.message.en).toContain('keeps the leading spaces');
	});

	it('is an error for the email variables and a warning elsewhere: only those stop mail from being sent', () => {
		expect(scanEnvFile('EMAIL_HOST = smtp.gmail.com').problems[0]?.severity).toBe('error');
		expect(scanEnvFile('DB_HOST = db.example.com').problems[0]?.severity).toBe('warning');
		// Information for the playground (a shell would cut the value) is a warning here.
		expect(scanEnvFile('EMAIL_HOST_USER=a b').problems[0]).toMatchObject({ code: 'unquotedSpace', severity: 'warning' });
	});

	it('reports the file as a whole for a byte order mark and CRLF line endings', () => {
		expect(scanEnvFile('\uFEFFEMAIL_HOST=smtp.gmail.com\n').problems[0]).toMatchObject({ code: 'bom', variable: '.env', severity: 'error' });
		expect(scanEnvFile('EMAIL_HOST=smtp.gmail.com\r\nEMAIL_PORT=587\r\n').problems).toEqual([
			expect.objectContaining({ code: 'crlfLineEndings', variable: '.env', severity: 'warning' }),
		]);
	});

	it('leaves out what settings.py makes of values: the settings check judges those itself', () => {
		const report = analyzeEnv('EMAIL_USE_TLS=yes\nEMAIL_USE_SSL=1\nEMAIL_HOST_PASSWORD=qwhzmkpalrtvbnsd', { requiredKeys: [] });
		expect(report.lines.flatMap((l) => l.pitfalls.map((p) => p.code))).toEqual(expect.arrayContaining(['boolStyle', 'tlsAndSsl', 'gmailAppPassword']));
		expect(envFileProblems(report)).toEqual([]);
	});

	it('well-formed lines raise nothing', () => {
		const text = ['# Gmail', 'EMAIL_HOST=smtp.gmail.com', 'EMAIL_PORT=587', "EMAIL_HOST_PASSWORD='abcd efgh ijkl mnop'", 'SECRET_KEY="django-insecure-#x$y"', ''].join('\n');
		expect(codesOf(text)).toEqual([]);
	});

	it('secret values are never quoted back', () => {
		const text = 'EMAIL_HOST_PASSWORD=hunter2 hunter2 #tail\nSECRET_KEY=s3cr3t#tail\nSECRET_KEY=s3cr3t s3cr3t\nEMAIL_HOST_PASSWORD=`hunter2`\n';
		const shown = JSON.stringify(scanEnvFile(text).problems);
		expect(codesOf(text)).toEqual(expect.arrayContaining(['unquotedHash', 'unquotedSpace', 'backticks', 'duplicateKey']));
		expect(shown).not.toContain('hunter2');
		expect(shown).not.toContain('s3cr3t');
	});

	it('the loader puts file pitfalls first, then value problems, and knows the line each value came from', () => {
		const settings = readEmailSettings('EMAIL_HOST=smtp.gmail.com\nEMAIL_PORT = 587\nEMAIL_USE_TLS=yes\n');
		const found = settings.problems.map((p) => p.code);
		expect(found.indexOf('spaceAroundEquals')).toBeLessThan(found.indexOf('not-a-boolean'));
		expect(settings.sources.EMAIL_PORT).toEqual({ from: 'env-file', line: 2 });
	});
});
