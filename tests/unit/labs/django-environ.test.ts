import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { djangoEnvironEntries, djangoEnvironParse, readEnvLine } from '../../../sandbox/env-file/django-environ-lines.ts';
import { envBool, envLookup } from '../../../sandbox/env-file/django-environ-values.ts';

/**
 * Expected values derived by reading django-environ 0.12.0 `environ/environ.py`, `Env.read_env`
 * (regexes quoted in sandbox/env-file/django-environ-lines.ts) and `Env.parse_value` / `get_value`.
 * Each row names the statement that decides it.
 */
const EXPECTED: ReadonlyArray<[string, ReturnType<typeof readEnvLine>]> = [
	// m1 `\A(?:export )?([A-Za-z_0-9]+)=(.*)\Z`: no blank allowed before `=` …
	['KEY = value', { kind: 'invalid' }],
	['KEY =value', { kind: 'invalid' }],
	// … but everything after `=` is the value, blanks included.
	['KEY= value', { kind: 'assignment', key: 'KEY', value: ' value', raw: ' value' }],
	// parse_comments=False (0.12 default): `#` is part of the value.
	['KEY=value # comment', { kind: 'assignment', key: 'KEY', value: 'value # comment', raw: 'value # comment' }],
	['KEY=val#ue', { kind: 'assignment', key: 'KEY', value: 'val#ue', raw: 'val#ue' }],
	// m3 `\A"(.*)"\Z`
	['KEY="a # b"', { kind: 'assignment', key: 'KEY', value: 'a # b', raw: '"a # b"' }],
	// m2 `\A'(.*)'\Z`
	["KEY='single'", { kind: 'assignment', key: 'KEY', value: 'single', raw: "'single'" }],
	// m2 is greedy and anchored at the end: a trailing comment keeps the quotes.
	["KEY='a' # c", { kind: 'assignment', key: 'KEY', value: "'a' # c", raw: "'a' # c" }],
	['KEY="a" # c', { kind: 'assignment', key: 'KEY', value: '"a" # c', raw: '"a" # c' }],
	// m2 runs before m3: both pairs of quotes go.
	['KEY=\'"x"\'', { kind: 'assignment', key: 'KEY', value: 'x', raw: '\'"x"\'' }],
	['KEY=a b', { kind: 'assignment', key: 'KEY', value: 'a b', raw: 'a b' }],
	// `(?:export )?`: exactly one space after export.
	['export KEY=v', { kind: 'assignment', key: 'KEY', value: 'v', raw: 'v' }],
	['export  KEY=v', { kind: 'invalid' }],
	// _keep_escaped_format_characters: \n, \r, \t keep their backslash; other escapes lose it.
	['KEY="a\\nb"', { kind: 'assignment', key: 'KEY', value: 'a\\nb', raw: '"a\\nb"' }],
	['KEY="a\\tb\\rc"', { kind: 'assignment', key: 'KEY', value: 'a\\tb\\rc', raw: '"a\\tb\\rc"' }],
	['KEY="a\\"b\\\\c\\$d"', { kind: 'assignment', key: 'KEY', value: 'a"b\\c$d', raw: '"a\\"b\\\\c\\$d"' }],
	// Escapes are only handled inside double quotes.
	["KEY='a\\nb'", { kind: 'assignment', key: 'KEY', value: 'a\\nb', raw: "'a\\nb'" }],
	// Backticks mean nothing to django-environ.
	['KEY=`x`', { kind: 'assignment', key: 'KEY', value: '`x`', raw: '`x`' }],
	['KEY=', { kind: 'assignment', key: 'KEY', value: '', raw: '' }],
	['KEY=""', { kind: 'assignment', key: 'KEY', value: '', raw: '""' }],
	// `elif not line or line.startswith('#')`
	['', { kind: 'blank' }],
	['# comment', { kind: 'comment' }],
	['KEY', { kind: 'invalid' }],
	['  KEY=indented', { kind: 'invalid' }],
	['  # indented comment', { kind: 'invalid' }],
	['MY-KEY=dash', { kind: 'invalid' }],
	['KEY: colon', { kind: 'invalid' }],
	// open(..., encoding='utf8') keeps a byte-order mark, and U+FEFF is not in [A-Za-z_0-9].
	['\uFEFFKEY=bom', { kind: 'invalid' }],
];

describe('readEnvLine follows django-environ 0.12 read_env', () => {
	it.each(EXPECTED.map(([line, result]) => [JSON.stringify(line), line, result] as const))('%s', (_label, line, result) => {
		expect(readEnvLine(line)).toEqual(result);
	});
});

describe('djangoEnvironEntries', () => {
	it('reads a double-quoted value that spans lines as a broken first line and an invalid second', () => {
		const entries = djangoEnvironEntries('KEY="first\nsecond"\nNEXT=1');
		expect(entries.map((e) => e.result.kind)).toEqual(['assignment', 'invalid', 'assignment']);
		expect(entries[0]?.result).toMatchObject({ value: '"first' });
	});
	it('treats CRLF like LF and a later line of the same key as the winner', () => {
		expect(djangoEnvironParse('A=1\r\nA=2\r\n')).toEqual(new Map([['A', '2']]));
	});
});

describe('env.bool (Env.parse_value, cast=bool)', () => {
	it.each([
		['True', true],
		['true', true],
		['yes', true],
		['on', true],
		['ok', true],
		['y', true],
		['1', true],
		['2', true],
		['-1', true],
		[' 1 ', true],
		['1_0', true],
		['False', false],
		['false', false],
		['0', false],
		['00', false],
		['no', false],
		['off', false],
		['', false],
		['t', false],
		['enabled', false],
		['Ture', false],
		[' TRUE ', true],
	] as const)('%j → %s', (value, expected) => {
		expect(envBool(value)).toBe(expected);
	});
});

/** The variables record-django-environ.py gives `env(name)` to look up. */
const PROXY_VALUES = new Map([
	['A', '$B'],
	['B', 'real'],
	['LOOP', '$LOOP'],
	['DANGLING', '$NOPE'],
	['PW', '$$B'],
	['PLAIN', 'p$ss'],
]);

describe("env('KEY') proxy rule (Env.get_value)", () => {
	const values = PROXY_VALUES;
	it('follows a value starting with $ to the named variable', () => {
		expect(envLookup(values, 'A')).toEqual({ ok: true, value: 'real', via: ['A', 'B'] });
		expect(envLookup(values, 'PW')).toEqual({ ok: true, value: 'real', via: ['PW', 'B'] });
	});
	it('reports a missing target and a loop', () => {
		expect(envLookup(values, 'DANGLING')).toMatchObject({ ok: false, error: 'missing', missing: 'NOPE' });
		expect(envLookup(values, 'LOOP')).toMatchObject({ ok: false, error: 'cycle' });
	});
});

/**
 * What the real django-environ 0.12.0 did with these inputs and 1,500 generated texts, recorded by
 * fixtures/record-django-environ.sh from Debian's package of that release (version and SHA-256 in the file).
 */
interface RecordedBehaviour {
	library: { name: string; version: string; sha256: string };
	texts: Array<{ text: string; environ: Record<string, string>; invalid: string[] }>;
	bools: Array<{ value: string; result: boolean }>;
	lookups: Array<{ name: string; value?: string; error?: 'ImproperlyConfigured' | 'RecursionError' }>;
}
const recorded = JSON.parse(
	readFileSync(fileURLToPath(new URL('./fixtures/django-environ-0.12.0.json', import.meta.url)), 'utf8'),
) as RecordedBehaviour;

describe(`the TypeScript port agrees with the real django-environ ${recorded.library.version}`, () => {
	it('was recorded from the release the lessons name', () => {
		expect(recorded.library).toMatchObject({ name: 'django-environ', version: '0.12.0' });
		expect(recorded.texts.length).toBeGreaterThan(1500);
		// The hand-derived table above is part of what was recorded.
		expect(recorded.texts.map((entry) => entry.text)).toEqual(expect.arrayContaining(EXPECTED.map(([line]) => line)));
	});
	it('sets the same variables and warns about the same lines', () => {
		for (const { text, environ, invalid } of recorded.texts) {
			const entries = djangoEnvironEntries(text);
			expect(Object.fromEntries(djangoEnvironParse(text)), JSON.stringify(text)).toEqual(environ);
			expect(
				entries.filter(({ result }) => result.kind === 'invalid').map(({ text: line }) => line),
				JSON.stringify(text),
			).toEqual(invalid);
		}
	});
	it('casts the same strings to the same booleans', () => {
		expect(recorded.bools.map(({ value }) => envBool(value))).toEqual(recorded.bools.map(({ result }) => result));
	});
	it('follows $ proxies to the same value or the same failure', () => {
		const values = PROXY_VALUES;
		const failure = { ImproperlyConfigured: 'missing', RecursionError: 'cycle' } as const;
		for (const { name, value, error } of recorded.lookups) {
			const ours = envLookup(values, name);
			if (error) expect(ours, name).toMatchObject({ ok: false, error: failure[error] });
			else expect(ours, name).toMatchObject({ ok: true, value });
		}
	});
});
