/**
 * User-facing words live in the translation files (src/content/i18n, sandbox/i18n, src/illustrations/i18n),
 * Korean and English side by side, so a translator never edits code. This reads every TypeScript module of
 * sandbox/ and src/ with the TypeScript parser and fails on a string or template literal holding Hangul:
 * comments, and regular expressions that match Korean text, are not words anyone reads, so they pass.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/;

/**
 * Files that may still hold Korean literals, each with the reason. An entry that is no longer needed fails
 * the test too, so the list only shrinks.
 */
const ALLOWED: Readonly<Record<string, string>> = {};

function typeScriptModules(dir: string): string[] {
	return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typeScriptModules(path);
		return /\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name) ? [path] : [];
	});
}

const LITERAL_KINDS = new Set([
	ts.SyntaxKind.StringLiteral,
	ts.SyntaxKind.NoSubstitutionTemplateLiteral,
	ts.SyntaxKind.TemplateHead,
	ts.SyntaxKind.TemplateMiddle,
	ts.SyntaxKind.TemplateTail,
]);

/** `line: text` of each literal in the source that holds Hangul. */
function koreanLiteralsIn(source: ts.SourceFile): string[] {
	const found: string[] = [];
	const visit = (node: ts.Node): void => {
		if (LITERAL_KINDS.has(node.kind) && HANGUL.test(node.getText(source))) {
			const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
			found.push(`${line + 1}: ${node.getText(source).slice(0, 60)}`);
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

function koreanLiterals(path: string): string[] {
	const source = ts.createSourceFile(path, readFileSync(join(ROOT, path), 'utf8'), ts.ScriptTarget.Latest, true);
	return koreanLiteralsIn(source).map((found) => `${path}:${found}`);
}

describe('Korean text in TypeScript', () => {
	const files = [...typeScriptModules('sandbox'), ...typeScriptModules('src')].map((path) => relative(ROOT, join(ROOT, path)));

	// Parsing every module takes ~3.5 s alone and over 9 s beside the other unit files on two busy cores:
	// the default 5 s would fail on load, not on a literal.
	it('is only in the translation files, apart from the listed exceptions', { timeout: 60_000 }, () => {
		expect(files.length).toBeGreaterThan(100);
		const offending = files.filter((path) => !(path in ALLOWED)).flatMap(koreanLiterals);
		expect(offending).toEqual([]);
	});

	it('finds the literals it looks for, and not the ones it should pass', () => {
		const sample = ts.createSourceFile(
			'sample.ts',
			"const a = '한글'; // 주석\nconst r = /[가-힣]/;\nconst t = `${a}는`;\nconst u = `${a}`;\nconst v = \"english\";",
			ts.ScriptTarget.Latest,
			true,
		);
		expect(koreanLiteralsIn(sample)).toEqual(["1: '한글'", '3: }는`']);
	});

	it('keeps no exception that is no longer needed', () => {
		const stale = Object.keys(ALLOWED).filter((path) => !files.includes(path) || koreanLiterals(path).length === 0);
		expect(stale).toEqual([]);
	});
});
