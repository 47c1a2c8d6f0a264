/**
 * The one `.env` analysis the playground, `mail:check` and the start-up check share. Where a case says what
 * dotenv reads, the real dotenv package is asked too, so a message can never claim what dotenv does not do;
 * django-environ's side is checked against its source in tests/unit/labs/django-environ.test.ts.
 */
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { analyzeEnv } from './analyze-env.ts';
import { ENV_RULES, looksLikeRealAppPassword, VALUE_PITFALLS, type PitfallCode } from './env-rules.ts';

function codes(text: string, line = 0): PitfallCode[] {
	return analyzeEnv(text).lines[line]?.pitfalls.map((p) => p.code) ?? [];
}

function allCodes(text: string): PitfallCode[] {
	return analyzeEnv(text).lines.flatMap((l) => l.pitfalls.map((p) => p.code));
}

describe('analyzeEnv, line by line', () => {
	it('shows what each parser reads from `KEY = value`: dotenv the value, django-environ nothing', () => {
		const [line] = analyzeEnv('EMAIL_HOST_USER = me@example.com').lines;
		expect(line).toMatchObject({
			key: 'EMAIL_HOST_USER',
			dotenv: { state: 'value', value: 'me@example.com' },
			django: { state: 'skipped' },
			disagree: true,
		});
		expect(line?.pitfalls.map((p) => p.code)).toEqual(['spaceAroundEquals']);
	});

	it('flags a blank after = (django-environ keeps it)', () => {
		const [line] = analyzeEnv('KEY= value').lines;
		expect(line).toMatchObject({ dotenv: { value: 'value' }, django: { value: ' value' }, disagree: true });
		expect(codes('KEY= value')).toContain('spaceAroundEquals');
	});

	it('flags an unquoted # and a quoted value followed by a comment', () => {
		expect(codes('KEY=value # comment')).toEqual(['unquotedHash']);
		expect(codes('KEY=val#ue')).toEqual(['unquotedHash']);
		expect(codes('KEY="a" # c')).toEqual(['quotedThenComment']);
		expect(analyzeEnv('KEY="a # b"').lines[0]?.disagree).toBe(false);
	});

	it('leaves single quotes, plain values and export alone', () => {
		for (const text of ["KEY='single'", 'KEY=plain', 'export KEY=v', 'KEY=']) {
			const [line] = analyzeEnv(text).lines;
			expect(line?.disagree, text).toBe(false);
			expect(line?.pitfalls, text).toEqual([]);
		}
	});

	it('notes unquoted inner blanks as information only', () => {
		expect(analyzeEnv('KEY=a b').lines[0]).toMatchObject({ disagree: false, pitfalls: [{ code: 'unquotedSpace', severity: 'info' }] });
	});

	it('shows a multi-line quoted value: dotenv joins the lines, django-environ breaks', () => {
		const report = analyzeEnv('KEY="first\nSECOND=2"\nNEXT=1');
		expect(report.lines[0]).toMatchObject({ dotenv: { value: 'first\nSECOND=2' }, django: { value: '"first' }, disagree: true });
		expect(report.lines[0]?.pitfalls.map((p) => p.code)).toContain('multilineValue');
		expect(report.lines[1]).toMatchObject({ dotenv: { state: 'continuation', fromLine: 0 }, django: { state: 'value', key: 'SECOND' }, disagree: true });
		expect(report.lines[2]?.disagree).toBe(false);
	});

	it('flags \\n escapes in double quotes and backticks', () => {
		expect(codes('KEY="a\\nb"')).toEqual(['escapeInDoubleQuotes']);
		expect(analyzeEnv('KEY="a\\nb"').lines[0]).toMatchObject({ dotenv: { value: 'a\nb' }, django: { value: 'a\\nb' } });
		expect(codes('KEY=`x`')).toEqual(['backticks']);
	});

	it('explains why django-environ skips a line', () => {
		expect(codes('  KEY=v')).toEqual(['leadingBlank']);
		expect(codes('export  KEY=v')).toEqual(['exportSpacing']);
		expect(codes('MY-KEY=v')).toEqual(['keyChars']);
		expect(codes('KEY: v')).toEqual(['colonSyntax']);
		expect(codes('\uFEFFKEY=v')).toEqual(['bom']);
		expect(codes('KEY value')).toEqual(['notAnAssignment']);
	});

	it('counts CRLF files like LF files', () => {
		const report = analyzeEnv('A=1\r\nB=2\r\n');
		expect(report.django).toEqual(new Map([['A', '1'], ['B', '2']]));
		expect(report.counts.disagreements).toBe(0);
	});

	it('marks duplicate keys with the line that wins', () => {
		const report = analyzeEnv('K=1\nK=2');
		expect(report.lines[0]?.pitfalls).toEqual([{ code: 'duplicateKey', severity: 'warning', params: { key: 'K', line: '2' } }]);
		expect(report.lines[1]?.pitfalls).toEqual([]);
		expect(report.django.get('K')).toBe('2');
	});

	it('reports EMAIL_USE_TLS and EMAIL_USE_SSL both true, as env.bool reads them', () => {
		const report = analyzeEnv('EMAIL_USE_TLS=yes\nEMAIL_USE_SSL=1');
		expect(report.lines.flatMap((l) => l.pitfalls.filter((p) => p.code === 'tlsAndSsl'))).toHaveLength(2);
		expect(analyzeEnv('EMAIL_USE_TLS=True\nEMAIL_USE_SSL=False').lines.flatMap((l) => l.pitfalls.map((p) => p.code))).not.toContain('tlsAndSsl');
	});

	it('explains booleans that are not True/False', () => {
		expect(codes('EMAIL_USE_TLS=true')).toEqual(['boolStyle']);
		expect(codes('EMAIL_USE_TLS=Ture')).toEqual(['boolSurprise']);
		expect(codes('DEBUG=False')).toEqual(['stringFalseIsTruthy']);
		expect(codes('DEBUG=True')).toEqual([]);
	});

	it('warns about a value that looks like a real Gmail app password, not about placeholders', () => {
		expect(codes('EMAIL_HOST_PASSWORD=qwhz mkpa lrtv bnsd')).toContain('gmailAppPassword');
		expect(codes('EMAIL_HOST_PASSWORD=qwhzmkpalrtvbnsd')).toContain('gmailAppPassword');
		expect(codes("EMAIL_HOST_PASSWORD='qwhz mkpa lrtv bnsd'")).toContain('gmailAppPassword');
		expect(looksLikeRealAppPassword('xxxx xxxx xxxx xxxx')).toBe(false);
		expect(looksLikeRealAppPassword('qwhz mkpa lrtv')).toBe(false);
		expect(looksLikeRealAppPassword('my-password-123')).toBe(false);
	});

	it('follows $NAME the way env() does and reports a dangling one', () => {
		const report = analyzeEnv('A=$B\nB=x\nC=$NOPE');
		expect(report.lines[0]?.pitfalls[0]).toMatchObject({ code: 'dollarProxy', params: { outcome: 'resolved', resolved: 'x' } });
		expect(report.lines[2]?.pitfalls[0]).toMatchObject({ code: 'dollarProxy', severity: 'error', params: { outcome: 'missing', target: 'NOPE' } });
	});

	it('lists the chapter keys django-environ does not get, and whether dotenv does', () => {
		const report = analyzeEnv('EMAIL_HOST_USER = me@example.com');
		expect(report.missing).toEqual([
			{ key: 'EMAIL_HOST_USER', dotenvHasIt: true },
			{ key: 'EMAIL_HOST_PASSWORD', dotenvHasIt: false },
		]);
		expect(analyzeEnv('X=1', { requiredKeys: ['X'] }).missing).toEqual([]);
	});

	it('ignores blank lines and comments', () => {
		const report = analyzeEnv('# note\n\n   \n');
		expect(report.lines.every((l) => !l.disagree && l.pitfalls.length === 0)).toBe(true);
		expect(report.counts.keys).toBe(0);
	});
});


describe('lines that parse differently than they look (what dotenv really reads)', () => {
	const cases: Array<{ name: string; text: string; key: string; dotenvReads: string | undefined; code: PitfallCode }> = [
		{ name: 'spaces around =', text: 'EMAIL_HOST = smtp.gmail.com', key: 'EMAIL_HOST', dotenvReads: 'smtp.gmail.com', code: 'spaceAroundEquals' },
		{ name: 'space after = only', text: 'EMAIL_HOST_USER= me@gmail.com', key: 'EMAIL_HOST_USER', dotenvReads: 'me@gmail.com', code: 'spaceAroundEquals' },
		{ name: 'unquoted # inside a value', text: 'SECRET_KEY=django-insecure-ab#cd', key: 'SECRET_KEY', dotenvReads: 'django-insecure-ab', code: 'unquotedHash' },
		{ name: 'value that starts with #', text: 'EMAIL_HOST_PASSWORD=#abcdefghijklmno', key: 'EMAIL_HOST_PASSWORD', dotenvReads: '', code: 'unquotedHash' },
		// django-environ 0.12 keeps "587 # STARTTLS": a comment after a value is a disagreement, not a style issue.
		{ name: 'trailing comment', text: 'EMAIL_PORT=587 # STARTTLS', key: 'EMAIL_PORT', dotenvReads: '587', code: 'unquotedHash' },
		{ name: 'unquoted spaces', text: 'EMAIL_HOST_PASSWORD=abcd efgh ijkl mnop', key: 'EMAIL_HOST_PASSWORD', dotenvReads: 'abcd efgh ijkl mnop', code: 'unquotedSpace' },
		{ name: 'unclosed double quote', text: 'EMAIL_HOST_PASSWORD="abcdefghijklmnop', key: 'EMAIL_HOST_PASSWORD', dotenvReads: '"abcdefghijklmnop', code: 'unterminatedQuote' },
		{ name: 'mixed quotes', text: `DEFAULT_FROM_EMAIL="Forum <me@gmail.com>'`, key: 'DEFAULT_FROM_EMAIL', dotenvReads: `"Forum <me@gmail.com>'`, code: 'unterminatedQuote' },
		{ name: 'colon separator', text: 'EMAIL_HOST: smtp.gmail.com', key: 'EMAIL_HOST', dotenvReads: 'smtp.gmail.com', code: 'colonSyntax' },
		{ name: 'backticks', text: 'EMAIL_HOST=`smtp.gmail.com`', key: 'EMAIL_HOST', dotenvReads: 'smtp.gmail.com', code: 'backticks' },
		{ name: 'trailing spaces', text: 'EMAIL_HOST_USER=me@gmail.com   ', key: 'EMAIL_HOST_USER', dotenvReads: 'me@gmail.com', code: 'trailingBlank' },
		{ name: 'blank before the key', text: '  EMAIL_HOST=smtp.gmail.com', key: 'EMAIL_HOST', dotenvReads: 'smtp.gmail.com', code: 'leadingBlank' },
		{ name: 'dash in the key', text: 'EMAIL-HOST=smtp.gmail.com', key: 'EMAIL-HOST', dotenvReads: 'smtp.gmail.com', code: 'keyChars' },
		{ name: '\\n in double quotes', text: 'KEY="a\\nb"', key: 'KEY', dotenvReads: 'a\nb', code: 'escapeInDoubleQuotes' },
	];

	it.each(cases)('$name: dotenv reads $dotenvReads and the analysis says $code', ({ text, key, dotenvReads, code }) => {
		expect(dotenv.parse(text)[key]).toBe(dotenvReads);
		const [line] = analyzeEnv(text).lines;
		expect(line?.dotenv.state === 'value' ? line.dotenv.value : undefined).toBe(dotenvReads);
		expect(line?.pitfalls.find((p) => p.code === code), codes(text).join()).toMatchObject({ params: { key } });
	});

	it('reads `export KEY=v` alike in both libraries, so it is no pitfall', () => {
		expect(dotenv.parse('export EMAIL_HOST=smtp.gmail.com')['EMAIL_HOST']).toBe('smtp.gmail.com');
		expect(analyzeEnv('export EMAIL_HOST=smtp.gmail.com').lines[0]).toMatchObject({ disagree: false, pitfalls: [] });
	});

	it('duplicate keys: dotenv keeps the last, the overridden line names the one that wins', () => {
		const text = 'EMAIL_PORT=465\nEMAIL_PORT=587\n';
		expect(dotenv.parse(text)['EMAIL_PORT']).toBe('587');
		expect(analyzeEnv(text).lines[0]?.pitfalls).toEqual([{ code: 'duplicateKey', severity: 'warning', params: { key: 'EMAIL_PORT', line: '2' } }]);
	});

	it('a byte order mark is invisible to dotenv but breaks the first name in Python', () => {
		const text = '\uFEFFEMAIL_HOST=smtp.gmail.com\nEMAIL_PORT=587\n';
		expect(dotenv.parse(text)['EMAIL_HOST']).toBe('smtp.gmail.com');
		expect(analyzeEnv(text).lines[0]).toMatchObject({ django: { state: 'skipped' }, pitfalls: [{ code: 'bom', severity: 'error' }] });
	});

	it('CRLF line endings read the same in both, with one warning for shells on the first such line', () => {
		const text = '# mail\r\nEMAIL_HOST=smtp.gmail.com\r\nEMAIL_PORT=587\r\n';
		expect(dotenv.parse(text)).toEqual({ EMAIL_HOST: 'smtp.gmail.com', EMAIL_PORT: '587' });
		const report = analyzeEnv(text);
		expect(allCodes(text)).toEqual(['crlfLineEndings']);
		expect(report.lines[0]?.pitfalls).toEqual([{ code: 'crlfLineEndings', severity: 'warning', params: {} }]);
		expect(report.counts.disagreements).toBe(0);
	});

	it('well-formed lines raise nothing about how they are read', () => {
		const text = ['# Gmail', 'EMAIL_HOST=smtp.gmail.com', 'EMAIL_PORT=587', "EMAIL_HOST_PASSWORD='abcd efgh ijkl mnop'", 'SECRET_KEY="django-insecure-#x$y"', ''].join('\n');
		const valuePitfalls: readonly PitfallCode[] = VALUE_PITFALLS;
		expect(allCodes(text).filter((code) => !valuePitfalls.includes(code))).toEqual([]);
	});

	it('a line inside a multi-line value that django-environ reads on its own is marked too', () => {
		const report = analyzeEnv('KEY="first\nSECOND=2"');
		expect(report.lines[1]?.pitfalls).toEqual([{ code: 'multilineValue', severity: 'error', params: { line: '1', key: 'KEY' } }]);
	});

	it('knows every code it can report', () => {
		const codesInTable = new Set(ENV_RULES.map((r) => r.code));
		const declared: Record<PitfallCode, true> = {
			bom: true, crlfLineEndings: true, oddLineBreak: true, leadingBlank: true, exportSpacing: true, keyChars: true,
			spaceAroundEquals: true, colonSyntax: true, djangoSkips: true, dotenvSkips: true, notAnAssignment: true,
			unquotedHash: true, trailingBlank: true, unquotedSpace: true, quotedThenComment: true, unterminatedQuote: true,
			multilineValue: true, escapeInDoubleQuotes: true, backticks: true, dollarProxy: true, gmailAppPassword: true,
			boolSurprise: true, boolStyle: true, stringFalseIsTruthy: true, emptyRequired: true, duplicateKey: true, tlsAndSsl: true,
		};
		expect([...codesInTable].sort()).toEqual(Object.keys(declared).sort());
	});
});
