/**
 * Reads a `.env` text the way dotenv 18 (Node, Postlab) and django-environ 0.12 (the learner's Django) do, line
 * by line: what each library reads, whether they disagree, and which pitfalls of `env-rules.ts` each line falls
 * into. One analysis serves the .env playground (in the browser, on every keystroke), `npm run mail:check` and
 * the start-up check (through outbound/settings/env-file-problems.ts). Pure, synchronous, no Node imports.
 */
import { dotenvEntries, normaliseLineBreaks, type DotenvEntry } from './dotenv-lines.ts';
import { djangoEnvironEntries, type DjangoEnvironLine } from './django-environ-lines.ts';
import { ENV_RULES, type FileFacts, type LineFacts, type ParserView, type PitfallCode, type Severity } from './env-rules.ts';

/** The keys the course's settings.py reads with `env(...)` (chapter 28: sending mail through Gmail). */
export const CHAPTER_KEYS = ['EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD'] as const;

export interface Pitfall {
	code: PitfallCode;
	severity: Severity;
	/** Values for the message template (`{{key}}`, `{{line}}`, …); all strings. */
	params: Record<string, string>;
}

export interface EnvLineReport {
	/** 0-based line number. */
	line: number;
	text: string;
	/** The key this line assigns, for either parser (or as written, when both skip it). */
	key: string | null;
	dotenv: ParserView;
	django: ParserView;
	disagree: boolean;
	pitfalls: Pitfall[];
}

export interface MissingKey {
	key: string;
	/** dotenv reads it, so the learner probably wrote it in a way only Node accepts. */
	dotenvHasIt: boolean;
}

export interface EnvReport {
	lines: EnvLineReport[];
	/** Final key → value maps (later lines win), as each library hands them on. */
	dotenv: Map<string, string>;
	django: Map<string, string>;
	missing: MissingKey[];
	counts: { keys: number; disagreements: number; errors: number; warnings: number; infos: number };
}

export interface AnalyzeOptions {
	/** Keys the exercise needs; defaults to the chapter's. */
	requiredKeys?: readonly string[];
}

/** Key as written at the start of a line that looks like an assignment, even a broken one. */
const ASSIGNMENT_LIKE = /^\uFEFF?\s*(?:export\s+)?([\w.-]+)\s*[=:]/;

export function analyzeEnv(text: string, options: AnalyzeOptions = {}): EnvReport {
	const requiredKeys = options.requiredKeys ?? CHAPTER_KEYS;
	const displayLines = normaliseLineBreaks(text).split('\n');
	const dotenvByLine = new Map<number, DotenvEntry>();
	const continuationOf = new Map<number, DotenvEntry>();
	for (const entry of dotenvEntries(text)) {
		dotenvByLine.set(entry.line, entry);
		for (let line = entry.line + 1; line <= entry.endLine; line += 1) continuationOf.set(line, entry);
	}
	const djangoByLine = new Map<number, { result: DjangoEnvironLine; splitFurther: boolean }>();
	for (const { line, result, splitFurther } of djangoEnvironEntries(text)) {
		// A line Python splits further (rare separators) is judged by its first piece.
		if (!djangoByLine.has(line)) djangoByLine.set(line, { result, splitFurther });
	}

	const facts = displayLines.map((lineText, line): LineFacts => {
		const dotenvEntry = dotenvByLine.get(line);
		const continues = continuationOf.get(line);
		const djangoEntry = djangoByLine.get(line);
		const dotenv = dotenvView(lineText, dotenvEntry, continues);
		const django = djangoView(djangoEntry?.result);
		const key = dotenv.state === 'value' ? dotenv.key : django.state === 'value' ? django.key : (ASSIGNMENT_LIKE.exec(lineText)?.[1] ?? '');
		const value = django.state === 'value' ? django.value : dotenv.state === 'value' ? dotenv.value : null;
		const body = lineText.replace(/^\uFEFF/, '');
		return { line, text: lineText, body, key, dotenv, django, dotenvEntry, continues, djangoEntry: djangoEntry?.result, splitFurther: djangoEntry?.splitFurther ?? false, value };
	});

	const dotenvFinal = new Map<string, string>();
	const djangoFinal = new Map<string, string>();
	const lastLineOf = new Map<string, number>();
	const lastDjangoLineOf = new Map<string, number>();
	for (const f of facts) {
		if (f.dotenv.state === 'value') dotenvFinal.set(f.dotenv.key, f.dotenv.value);
		if (f.django.state === 'value') {
			djangoFinal.set(f.django.key, f.django.value);
			lastDjangoLineOf.set(f.django.key, f.line);
		}
		if (f.dotenv.state === 'value' || f.django.state === 'value') lastLineOf.set(f.key, f.line);
	}
	const file: FileFacts = { requiredKeys, django: djangoFinal, lastLineOf, lastDjangoLineOf, firstCrlfLine: firstCrlfLine(text) };

	const lines = facts.map((f): EnvLineReport => {
		const keyOrNull = f.key === '' ? null : f.key;
		return { line: f.line, text: f.text, key: keyOrNull, dotenv: f.dotenv, django: f.django, disagree: disagree(f.dotenv, f.django), pitfalls: linePitfalls(f, file) };
	});

	const missing = requiredKeys.filter((key) => !djangoFinal.has(key)).map((key) => ({ key, dotenvHasIt: dotenvFinal.has(key) }));
	const all = lines.flatMap((l) => l.pitfalls);
	return {
		lines,
		dotenv: dotenvFinal,
		django: djangoFinal,
		missing,
		counts: {
			keys: new Set([...dotenvFinal.keys(), ...djangoFinal.keys()]).size,
			disagreements: lines.filter((l) => l.disagree).length,
			errors: all.filter((p) => p.severity === 'error').length + missing.length,
			warnings: all.filter((p) => p.severity === 'warning').length,
			infos: all.filter((p) => p.severity === 'info').length,
		},
	};
}

/** Runs the rule table over one line; see `EnvRule.lines` for which rules look at which lines. */
function linePitfalls(f: LineFacts, file: FileFacts): Pitfall[] {
	const kind = f.dotenv.state === 'continuation' ? 'continuations' : isBlankOrComment(f) ? 'quiet' : 'assignments';
	const found: Pitfall[] = [];
	for (const rule of ENV_RULES) {
		const looksAt = rule.lines ?? 'assignments';
		if (looksAt !== 'all' && looksAt !== kind) continue;
		if (rule.unless?.some((code) => found.some((p) => p.code === code))) continue;
		const params = rule.when(f, file);
		if (params === null) continue;
		found.push({ code: rule.code, severity: typeof rule.severity === 'function' ? rule.severity(params) : rule.severity, params });
	}
	return found;
}

function isBlankOrComment(f: LineFacts): boolean {
	const trimmed = f.text.trim();
	return trimmed === '' || (trimmed.startsWith('#') && f.dotenv.state !== 'value' && f.django.state !== 'value');
}

function firstCrlfLine(text: string): number {
	const at = text.indexOf('\r\n');
	return at === -1 ? -1 : normaliseLineBreaks(text.slice(0, at)).split('\n').length - 1;
}

function dotenvView(text: string, entry: DotenvEntry | undefined, continues: DotenvEntry | undefined): ParserView {
	if (entry) return { state: 'value', key: entry.key, value: entry.value };
	if (continues !== undefined) return { state: 'continuation', fromLine: continues.line };
	const trimmed = text.trim();
	return trimmed === '' || trimmed.startsWith('#') ? { state: 'none' } : { state: 'skipped' };
}

function djangoView(result: DjangoEnvironLine | undefined): ParserView {
	if (!result || result.kind === 'blank' || result.kind === 'comment') return { state: 'none' };
	if (result.kind === 'invalid') return { state: 'skipped' };
	return { state: 'value', key: result.key, value: result.value };
}

function disagree(dotenv: ParserView, django: ParserView): boolean {
	if (dotenv.state === 'value' && django.state === 'value') return dotenv.key !== django.key || dotenv.value !== django.value;
	return dotenv.state === 'value' || django.state === 'value';
}
