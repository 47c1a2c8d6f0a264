/**
 * The lesson "How .env files are really parsed" (content/lessons/{ko,en}/env-parsing.mdx) states how
 * Node's dotenv reads each tricky line. These tests run the real dotenv package on those lines, so
 * the lesson's table fails here, not in a learner's project, if a dotenv release changes the rules.
 *
 * django-environ's column is not tested here: it is Python and needs Django. Its behaviour in the
 * lesson comes from reading `Env.read_env` and `Env.get_value` in joke2k/django-environ's source.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';

/** One row of the lesson's comparison table: a .env line and the value dotenv gives its key. */
interface Claim {
	line: string;
	key: string;
	dotenv: string | undefined;
}

const CLAIMS: readonly Claim[] = [
	{ line: 'KEY = value', key: 'KEY', dotenv: 'value' },
	{ line: 'KEY= value', key: 'KEY', dotenv: 'value' },
	{ line: 'KEY=value   ', key: 'KEY', dotenv: 'value' },
	{ line: 'KEY=value # comment', key: 'KEY', dotenv: 'value' },
	{ line: 'KEY=val#ue', key: 'KEY', dotenv: 'val' },
	{ line: 'KEY="val#ue"', key: 'KEY', dotenv: 'val#ue' },
	{ line: "KEY='abcd efgh ijkl mnop'", key: 'KEY', dotenv: 'abcd efgh ijkl mnop' },
	{ line: 'KEY=abcd efgh ijkl mnop', key: 'KEY', dotenv: 'abcd efgh ijkl mnop' },
	{ line: 'KEY="a\\nb"', key: 'KEY', dotenv: 'a\nb' },
	{ line: "KEY='a\\nb'", key: 'KEY', dotenv: 'a\\nb' },
	{ line: 'KEY=`x`', key: 'KEY', dotenv: 'x' },
	{ line: 'KEY="line1\nline2"', key: 'KEY', dotenv: 'line1\nline2' },
	{ line: 'export KEY=yes', key: 'KEY', dotenv: 'yes' },
	{ line: 'KEY=$secret', key: 'KEY', dotenv: '$secret' },
	{ line: 'KEY=pa$$word', key: 'KEY', dotenv: 'pa$$word' },
	{ line: 'KEY=\\$secret', key: 'KEY', dotenv: '\\$secret' },
	{ line: 'DEBUG=False', key: 'DEBUG', dotenv: 'False' },
	{ line: 'KEY: value', key: 'KEY', dotenv: 'value' },
];

/** `␣` is how the lesson shows a space that a code span would hide. */
const VISIBLE_SPACE = /\u2423/g;

/**
 * Rows of the lesson's comparison table whose first two cells are each one plain code span: the
 * `.env` line and the value dotenv gives it. Rows that describe the value in words are covered by
 * CLAIMS instead.
 */
function tableRows(lang: 'ko' | 'en'): { line: string; value: string }[] {
	const lesson = readFileSync(new URL(`../../content/lessons/${lang}/env-parsing.mdx`, import.meta.url), 'utf8');
	const rows: { line: string; value: string }[] = [];
	for (const match of lesson.matchAll(/^\| `([^`]+)`(?: \([^)]*\))? \| `([^`]+)` \|/gm)) {
		rows.push({ line: match[1]!.replace(VISIBLE_SPACE, ' '), value: match[2]!.replace(VISIBLE_SPACE, ' ') });
	}
	return rows;
}

describe('the env-parsing lesson\'s table states what dotenv really does', () => {
	for (const lang of ['ko', 'en'] as const) {
		const rows = tableRows(lang);
		it(`${lang}: has the table`, () => {
			expect(rows.length).toBeGreaterThanOrEqual(10);
		});
		for (const row of rows) {
			it(`${lang}: ${JSON.stringify(row.line)} gives ${JSON.stringify(row.value)}`, () => {
				const key = /^(?:export\s+)?([\w.-]+)/.exec(row.line)![1]!;
				expect(dotenv.parse(row.line)[key]).toBe(row.value);
			});
		}
	}
});

describe('dotenv reads the lines of the env-parsing lesson as the lesson says', () => {
	for (const claim of CLAIMS) {
		it(JSON.stringify(claim.line), () => {
			expect(dotenv.parse(claim.line)[claim.key]).toBe(claim.dotenv);
		});
	}

	it('gives every value as a string, so "False" is truthy', () => {
		const parsed = dotenv.parse('DEBUG=False\nEMAIL_PORT=587');
		expect(typeof parsed['EMAIL_PORT']).toBe('string');
		expect(Boolean(parsed['DEBUG'])).toBe(true);
	});

	it('does not overwrite a variable that is already set, unless told to', () => {
		const file = join(mkdtempSync(join(tmpdir(), 'postlab-env-')), '.env');
		writeFileSync(file, 'EMAIL_PORT=587\n');
		const processEnv: Record<string, string> = { EMAIL_PORT: '2465' };
		dotenv.config({ path: file, processEnv, quiet: true });
		expect(processEnv['EMAIL_PORT']).toBe('2465');
		dotenv.config({ path: file, processEnv, quiet: true, override: true });
		expect(processEnv['EMAIL_PORT']).toBe('587');
	});
});
