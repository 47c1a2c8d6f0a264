/**
 * The lesson "How .env files are really parsed" (content/lessons/{ko,en}/env-parsing.mdx) states how
 * Node's dotenv reads each tricky line. These tests run the real dotenv package on those lines, so
 * the lesson's table fails here, not in a learner's project, if a dotenv release changes the rules.
 *
 * django-environ's column is checked twice: against what django-environ 0.12.0 itself did with each line,
 * recorded from Debian's package of that release (tests/unit/labs/fixtures/), and against the
 * playground's port of `Env.read_env` (sandbox/env-file/django-environ-lines.ts), which its own test
 * compares with the same recording.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { djangoEnvironParse } from '../../sandbox/env-file/django-environ-lines.ts';

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

/** What django-environ 0.12.0 itself did with these lines (tests/unit/labs/fixtures/record-django-environ.sh). */
const recorded = JSON.parse(readFileSync(new URL('./labs/fixtures/django-environ-0.12.0.json', import.meta.url), 'utf8')) as {
	texts: Array<{ text: string; environ: Record<string, string> }>;
};

/** `␣` is how the lesson shows a space that a code span would hide. */
const VISIBLE_SPACE = /\u2423/g;

/**
 * Rows of the lesson's comparison table whose first two cells are each one plain code span: the
 * `.env` line and the value dotenv gives it. Rows that describe the value in words are covered by
 * CLAIMS instead.
 */
function tableRows(lang: 'ko' | 'en'): { line: string; value: string; django: string | null | undefined }[] {
	const lesson = readFileSync(new URL(`../../content/lessons/${lang}/env-parsing.mdx`, import.meta.url), 'utf8');
	const rows: { line: string; value: string; django: string | null | undefined }[] = [];
	for (const match of lesson.matchAll(/^\| `([^`]+)`(?: \([^)]*\))? \| `([^`]+)` \| (.*) \|$/gm)) {
		rows.push({
			line: match[1]!.replace(VISIBLE_SPACE, ' '),
			value: match[2]!.replace(VISIBLE_SPACE, ' '),
			django: djangoCell(match[3]!),
		});
	}
	return rows;
}

/**
 * The django-environ cell as a value: one code span (with an optional remark in brackets) is the
 * value; "the whole line is dropped" is null; anything else (a value described in words) is undefined
 * and not checked here.
 */
function djangoCell(cell: string): string | null | undefined {
	if (/^(whole line dropped|줄 전체를 버림)/.test(cell)) return null;
	const code = /^`([^`]+)`(?: \([^)]*\))?$/.exec(cell);
	return code ? code[1]!.replace(VISIBLE_SPACE, ' ') : undefined;
}

describe('the env-parsing lesson\'s table states what dotenv and django-environ really do', () => {
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
			if (row.django !== undefined) {
				it(`${lang}: django-environ reads ${JSON.stringify(row.line)} as ${JSON.stringify(row.django)}`, () => {
					const key = /^(?:export\s+)?([\w.-]+)/.exec(row.line)![1]!;
					expect(djangoEnvironParse(row.line).get(key) ?? null).toBe(row.django);
					const real = recorded.texts.find((entry) => entry.text === row.line);
					expect(real, 'the line is in the recording (add it to record-django-environ.py)').toBeDefined();
					expect(real!.environ[key] ?? null).toBe(row.django);
				});
			}
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

/** The `.env` code block with this title in a lesson (titles differ by language, order does not). */
function envBlock(lang: 'ko' | 'en', title: string): string {
	const lesson = readFileSync(new URL(`../../content/lessons/${lang}/env-parsing.mdx`, import.meta.url), 'utf8');
	const start = lesson.indexOf('```ini title="' + title + '"');
	if (start === -1) throw new Error(`${lang}/env-parsing.mdx has no .env block titled ${title}`);
	const body = lesson.slice(lesson.indexOf('\n', start) + 1);
	return body.slice(0, body.indexOf('\n```'));
}

const TITLES = {
	ko: { safe: '.env — 두 파서 모두에서 같은 값', broken: '.env (고장 남)', fixed: '.env (고침)' },
	en: { safe: '.env — the same values in both parsers', broken: '.env (broken)', fixed: '.env (fixed)' },
} as const;

/** What the exercise asks the learner's .env to parse to. */
const INTENDED = {
	EMAIL_HOST_USER: 'me@example.com',
	EMAIL_HOST_PASSWORD: 'abcdefghijklmnop',
	DB_PASSWORD: 'Tr0ub#dor',
	EMAIL_USE_TLS: 'True',
};

describe("the env-parsing lesson's .env samples parse in dotenv as the lesson says", () => {
	for (const lang of ['ko', 'en'] as const) {
		it(`${lang}: the "safe for both" file keeps its special characters`, () => {
			const parsed = dotenv.parse(envBlock(lang, TITLES[lang].safe));
			expect(parsed['EMAIL_HOST_PASSWORD']).toBe('abcdefghijklmnop');
			expect(parsed['DB_PASSWORD']).toBe('Tr0ub#dor with spaces');
			expect(parsed['EMAIL_USE_TLS']).toBe('True');
		});

		it(`${lang}: the broken exercise file loses the # in DB_PASSWORD`, () => {
			const parsed = dotenv.parse(envBlock(lang, TITLES[lang].broken));
			expect(parsed['DB_PASSWORD']).toBe('Tr0ub');
			// dotenv forgives the other two traps; django-environ does not (see the lesson).
			expect(parsed['EMAIL_HOST_USER']).toBe(INTENDED.EMAIL_HOST_USER);
			expect(parsed['EMAIL_HOST_PASSWORD']).toBe(INTENDED.EMAIL_HOST_PASSWORD);
		});

		it(`${lang}: the broken exercise file trips django-environ on the first two lines`, () => {
			const parsed = djangoEnvironParse(envBlock(lang, TITLES[lang].broken));
			expect(parsed.has('EMAIL_HOST_USER')).toBe(false);
			expect(parsed.get('EMAIL_HOST_PASSWORD')).toMatch(/^abcdefghijklmnop\s+#/);
			expect(parsed.get('DB_PASSWORD')).toBe(INTENDED.DB_PASSWORD);
		});

		it(`${lang}: the fixed exercise file gives exactly the intended values in both parsers`, () => {
			const text = envBlock(lang, TITLES[lang].fixed);
			expect(dotenv.parse(text)).toEqual(INTENDED);
			expect(Object.fromEntries(djangoEnvironParse(text))).toEqual(INTENDED);
		});

		it(`${lang}: the "safe for both" file reads the same in both parsers`, () => {
			const text = envBlock(lang, TITLES[lang].safe);
			expect(Object.fromEntries(djangoEnvironParse(text))).toEqual(dotenv.parse(text));
		});
	}
});
