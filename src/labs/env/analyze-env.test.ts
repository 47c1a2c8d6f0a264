import { describe, expect, it } from 'vitest';
import { analyzeEnv, looksLikeAppPassword, type PitfallCode } from './analyze-env';
import { CHAPTER_GOALS, checkGoals } from './env-goals';
import { SAMPLE_ENV } from './sample-env';
import { fillTemplate, visibleValue } from './visible-value';

function codes(text: string, line = 0): PitfallCode[] {
	return analyzeEnv(text).lines[line]?.pitfalls.map((p) => p.code) ?? [];
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
		expect(looksLikeAppPassword('xxxx xxxx xxxx xxxx')).toBe(false);
		expect(looksLikeAppPassword('qwhz mkpa lrtv')).toBe(false);
		expect(looksLikeAppPassword('my-password-123')).toBe(false);
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

describe('the sample text', () => {
	it('shows every main pitfall and meets none of the chapter goals but one', () => {
		const report = analyzeEnv(SAMPLE_ENV);
		const found = new Set(report.lines.flatMap((l) => l.pitfalls.map((p) => p.code)));
		for (const code of ['spaceAroundEquals', 'gmailAppPassword', 'boolStyle', 'tlsAndSsl', 'unquotedHash'] as const) expect(found).toContain(code);
		expect(report.missing.map((m) => m.key)).toEqual(['EMAIL_HOST_USER']);
		expect(checkGoals(report, CHAPTER_GOALS).map((g) => g.met)).toEqual([false, true, false, false, false]);
	});

	it('meets every chapter goal once fixed', () => {
		const fixed = [
			'EMAIL_HOST_USER=forum.admin@gmail.com',
			"EMAIL_HOST_PASSWORD='xxxx xxxx xxxx xxxx'",
			'EMAIL_USE_TLS=True',
			'EMAIL_USE_SSL=False',
			'DEFAULT_FROM_EMAIL="ForumWithDjango <admin@FWD.com>"',
		].join('\n');
		expect(checkGoals(analyzeEnv(fixed), CHAPTER_GOALS).every((g) => g.met)).toBe(true);
	});
});

describe('goals', () => {
	it('checks equals and bool goals', () => {
		const report = analyzeEnv('EMAIL_PORT=587\nEMAIL_USE_TLS=yes');
		expect(
			checkGoals(report, [
				{ kind: 'equals', key: 'EMAIL_PORT', value: '587' },
				{ kind: 'equals', key: 'EMAIL_PORT', value: '465' },
				{ kind: 'bool', key: 'EMAIL_USE_TLS', value: true },
				{ kind: 'bool', key: 'EMAIL_USE_SSL', value: false },
			]).map((g) => g.met),
		).toEqual([true, false, true, false]);
	});
});

describe('visibleValue and fillTemplate', () => {
	it('marks blanks at the ends, line breaks and tabs', () => {
		expect(visibleValue(' a b\n')).toEqual([{ text: '·', marker: 'space' }, { text: 'a b' }, { text: '↵', marker: 'newline' }]);
		expect(visibleValue('x\t ')).toEqual([{ text: 'x' }, { text: '⇥', marker: 'tab' }, { text: '·', marker: 'space' }]);
		expect(visibleValue('😀 ')).toEqual([{ text: '😀' }, { text: '·', marker: 'space' }]);
	});
	it('fills placeholders and leaves unknown ones visible', () => {
		expect(fillTemplate('{{key}} on line {{line}}', { key: 'A' })).toBe('A on line {{line}}');
	});
});
