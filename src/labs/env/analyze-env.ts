/**
 * The .env playground's judgement: for every line of a `.env` text, what dotenv (Node) and
 * django-environ (Django) read from it, whether they disagree, and which pitfalls it falls into.
 * Pure and synchronous, so it runs on every keystroke in the browser and in unit tests alike.
 */
import { dotenvEntries, normaliseLineBreaks, type DotenvEntry } from './dotenv-lines';
import { djangoEnvironEntries, type DjangoEnvironLine } from './django-environ-lines';
import { envBool, envLookup } from './django-environ-values';

/** The keys the course's settings.py reads with `env(...)` (chapter 28: sending mail through Gmail). */
export const CHAPTER_KEYS = ['EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD'] as const;

/** Settings Django reads as booleans; the course turns them into `env.bool(...)`. */
const BOOLEAN_KEYS = /^(?:EMAIL_USE_TLS|EMAIL_USE_SSL|DEBUG)$|_(?:ENABLED|DISABLED)$|^(?:USE|IS|ENABLE|DISABLE)_/;
/** Values people write for a boolean. */
const BOOLEAN_LIKE = /^(?:true|false|yes|no|on|off|y|n|t|f|ok|enabled?|disabled?|tru|ture|flase|fales)$/i;
/** Values that clearly mean "false": `env.bool` reading these as false surprises nobody. */
const FALSE_LIKE = /^(?:false|0+|no|off|n|f|none|null|disabled?|)$/i;
/**
 * A Google app password is 16 random lower-case letters, shown in four groups of four. Google's page
 * shows it in lower case; people retype it in upper case too, so both are matched.
 */
const APP_PASSWORD = /^(?:[a-z]{16}|[a-z]{4}(?: [a-z]{4}){3})$/i;
/** Random letters use many different ones; placeholders such as `xxxx xxxx xxxx xxxx` do not. */
const APP_PASSWORD_MIN_DISTINCT_LETTERS = 6;

export type PitfallCode =
	| 'bom'
	| 'leadingBlank'
	| 'exportSpacing'
	| 'keyChars'
	| 'colonSyntax'
	| 'spaceAroundEquals'
	| 'djangoSkips'
	| 'dotenvSkips'
	| 'notAnAssignment'
	| 'trailingBlank'
	| 'unquotedHash'
	| 'unquotedSpace'
	| 'quotedThenComment'
	| 'escapeInDoubleQuotes'
	| 'backticks'
	| 'multilineValue'
	| 'unterminatedQuote'
	| 'dollarProxy'
	| 'gmailAppPassword'
	| 'boolStyle'
	| 'boolSurprise'
	| 'stringFalseIsTruthy'
	| 'tlsAndSsl'
	| 'duplicateKey'
	| 'emptyRequired'
	| 'oddLineBreak';

/** error: Django or Node gets a different or no value; warning: a risk; info: worth knowing. */
export type Severity = 'error' | 'warning' | 'info';

export interface Pitfall {
	code: PitfallCode;
	severity: Severity;
	/** Values for the message template (`{{key}}`, `{{line}}`, …); all strings. */
	params: Record<string, string>;
}

export type ParserView =
	| { state: 'value'; key: string; value: string }
	/** dotenv only: this line is inside a quoted value that began on `fromLine`. */
	| { state: 'continuation'; fromLine: number }
	/** The parser skips a line that was meant to say something (django-environ logs "Invalid line"). */
	| { state: 'skipped' }
	/** Blank line or comment. */
	| { state: 'none' };

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
	const continuationOf = new Map<number, number>();
	for (const entry of dotenvEntries(text)) {
		dotenvByLine.set(entry.line, entry);
		for (let line = entry.line + 1; line <= entry.endLine; line += 1) continuationOf.set(line, entry.line);
	}
	const djangoByLine = new Map<number, { result: DjangoEnvironLine; splitFurther: boolean }>();
	for (const { line, result, splitFurther } of djangoEnvironEntries(text)) {
		// A line Python splits further (rare separators) is judged by its first piece.
		if (!djangoByLine.has(line)) djangoByLine.set(line, { result, splitFurther });
	}

	const dotenvFinal = new Map<string, string>();
	const djangoFinal = new Map<string, string>();
	const lines: EnvLineReport[] = displayLines.map((lineText, line) => {
		const dotenvEntry = dotenvByLine.get(line);
		const djangoEntry = djangoByLine.get(line);
		const dotenv = dotenvView(lineText, dotenvEntry, continuationOf.get(line));
		const django = djangoView(djangoEntry?.result);
		if (dotenv.state === 'value') dotenvFinal.set(dotenv.key, dotenv.value);
		if (django.state === 'value') djangoFinal.set(django.key, django.value);
		const key = dotenv.state === 'value' ? dotenv.key : django.state === 'value' ? django.key : (ASSIGNMENT_LIKE.exec(lineText)?.[1] ?? null);
		const report: EnvLineReport = { line, text: lineText, key, dotenv, django, disagree: disagree(dotenv, django), pitfalls: [] };
		report.pitfalls = linePitfalls(report, dotenvEntry, djangoEntry, requiredKeys);
		return report;
	});

	addDuplicatePitfalls(lines);
	addTlsAndSslPitfall(lines, djangoFinal);
	addProxyDetails(lines, djangoFinal);

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

function dotenvView(text: string, entry: DotenvEntry | undefined, continuationFrom: number | undefined): ParserView {
	if (entry) return { state: 'value', key: entry.key, value: entry.value };
	if (continuationFrom !== undefined) return { state: 'continuation', fromLine: continuationFrom };
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

function pitfall(code: PitfallCode, severity: Severity, params: Record<string, string> = {}): Pitfall {
	return { code, severity, params };
}

function linePitfalls(
	report: EnvLineReport,
	dotenvEntry: DotenvEntry | undefined,
	djangoEntry: { result: DjangoEnvironLine; splitFurther: boolean } | undefined,
	requiredKeys: readonly string[],
): Pitfall[] {
	const { text, dotenv, django, line } = report;
	const key = report.key ?? '';
	const found: Pitfall[] = [];
	const trimmed = text.trim();
	if (trimmed === '' || (trimmed.startsWith('#') && dotenv.state !== 'value' && django.state !== 'value')) return found;
	if (dotenv.state === 'continuation') {
		if (django.state === 'value') found.push(pitfall('multilineValue', 'error', { line: String(dotenv.fromLine + 1), key }));
		return found;
	}

	if (line === 0 && text.startsWith('\uFEFF')) found.push(pitfall('bom', django.state === 'skipped' ? 'error' : 'warning', { key }));
	if (djangoEntry?.splitFurther) found.push(pitfall('oddLineBreak', 'warning'));

	// Why a line is skipped, most specific reason first.
	if (django.state === 'skipped' || dotenv.state === 'skipped') {
		const reasons: Pitfall[] = [];
		const body = text.replace(/^\uFEFF/, '');
		if (/^\s/.test(body) && dotenv.state === 'value') reasons.push(pitfall('leadingBlank', 'error', { key }));
		if (/^export(?:\s{2,}|\t)/.test(body)) reasons.push(pitfall('exportSpacing', 'error', { key }));
		if (/^\s*(?:export\s+)?\w*[.-][\w.-]*\s*[=:]/.test(body)) reasons.push(pitfall('keyChars', 'error', { key }));
		if (/^\s*(?:export\s+)?[\w.-]+\s+=/.test(body)) reasons.push(pitfall('spaceAroundEquals', 'error', { key }));
		if (/^\s*(?:export\s+)?[\w.-]+:/.test(body)) reasons.push(pitfall('colonSyntax', 'error', { key }));
		if (dotenv.state === 'value' && django.state === 'skipped') {
			if (reasons.length === 0 && !found.some((p) => p.code === 'bom')) reasons.push(pitfall('djangoSkips', 'error', { key }));
		} else if (dotenv.state === 'skipped' && django.state === 'value') {
			reasons.push(pitfall('dotenvSkips', 'error', { key }));
		} else if (dotenv.state === 'skipped' && django.state === 'skipped' && reasons.length === 0) {
			reasons.push(pitfall('notAnAssignment', 'warning'));
		}
		found.push(...reasons);
	}

	if (django.state === 'value' && djangoEntry?.result.kind === 'assignment') {
		const raw = djangoEntry.result.raw;
		const quote = /^['"`]/.exec(raw.trimStart())?.[0];
		if (/^\s/.test(raw) && raw.trim() !== '') found.push(pitfall('spaceAroundEquals', 'error', { key }));
		if (quote === undefined) {
			if (raw.includes('#')) found.push(pitfall('unquotedHash', 'error', { key }));
			else {
				if (/\s$/.test(raw)) found.push(pitfall('trailingBlank', 'error', { key }));
				if (/\S\s+\S/.test(raw.trim()) && !APP_PASSWORD.test(raw.trim())) found.push(pitfall('unquotedSpace', 'info', { key }));
			}
		} else {
			const closed = new RegExp(`^\\s*${quote}[\\s\\S]*${quote}\\s*(#.*)?$`).exec(raw);
			if (closed?.[1] !== undefined) found.push(pitfall('quotedThenComment', 'error', { key }));
			else if (!closed && !(dotenvEntry && dotenvEntry.endLine > dotenvEntry.line)) found.push(pitfall('unterminatedQuote', 'warning', { key, quote }));
		}
	}
	if (dotenvEntry) {
		if (dotenvEntry.endLine > dotenvEntry.line) {
			found.push(pitfall('multilineValue', 'error', { line: String(line + 1), key, endLine: String(dotenvEntry.endLine + 1) }));
		}
		if (dotenvEntry.quote === '"' && /\\[nr]/.test(text)) found.push(pitfall('escapeInDoubleQuotes', 'error', { key }));
		if (dotenvEntry.quote === '`') found.push(pitfall('backticks', 'error', { key }));
	}

	const value = django.state === 'value' ? django.value : dotenv.state === 'value' ? dotenv.value : null;
	if (value !== null) {
		if (django.state === 'value' && value.startsWith('$')) found.push(pitfall('dollarProxy', 'warning', { key, target: value.replace(/^\$+/, '') }));
		if (looksLikeAppPassword(value)) found.push(pitfall('gmailAppPassword', 'warning', { key, spaces: value.includes(' ') ? 'yes' : 'no' }));
		if (BOOLEAN_KEYS.test(key) || BOOLEAN_LIKE.test(value.trim())) {
			const asBool = envBool(value);
			const params = { key, value, bool: asBool ? 'True' : 'False' };
			if (!asBool && !FALSE_LIKE.test(value.trim())) found.push(pitfall('boolSurprise', 'error', params));
			else if (value !== 'True' && value !== 'False') found.push(pitfall('boolStyle', 'info', params));
			if (FALSE_LIKE.test(value.trim()) && value !== '') found.push(pitfall('stringFalseIsTruthy', 'info', params));
		}
		if (value === '' && requiredKeys.includes(key)) found.push(pitfall('emptyRequired', 'warning', { key }));
	}
	return found;
}

/** A value that looks like a real Google app password (placeholders excepted). */
export function looksLikeAppPassword(value: string): boolean {
	const candidate = value.trim();
	if (!APP_PASSWORD.test(candidate)) return false;
	return new Set(candidate.toLowerCase().replace(/ /g, '')).size >= APP_PASSWORD_MIN_DISTINCT_LETTERS;
}

/** Every line that sets a key set again later is marked, naming the line that wins. */
function addDuplicatePitfalls(lines: EnvLineReport[]): void {
	const byKey = new Map<string, EnvLineReport[]>();
	for (const report of lines) {
		if (report.key === null || (report.dotenv.state !== 'value' && report.django.state !== 'value')) continue;
		byKey.set(report.key, [...(byKey.get(report.key) ?? []), report]);
	}
	for (const [key, reports] of byKey) {
		if (reports.length < 2) continue;
		const winner = reports[reports.length - 1];
		if (!winner) continue;
		for (const report of reports.slice(0, -1)) {
			report.pitfalls.push(pitfall('duplicateKey', 'warning', { key, line: String(winner.line + 1) }));
		}
	}
}

/** Django refuses to start sending when both are true (ValueError in the SMTP backend). */
function addTlsAndSslPitfall(lines: EnvLineReport[], django: ReadonlyMap<string, string>): void {
	const tls = django.get('EMAIL_USE_TLS');
	const ssl = django.get('EMAIL_USE_SSL');
	if (tls === undefined || ssl === undefined || !envBool(tls) || !envBool(ssl)) return;
	for (const key of ['EMAIL_USE_TLS', 'EMAIL_USE_SSL']) {
		const last = lines.findLast((l) => l.django.state === 'value' && l.django.key === key);
		last?.pitfalls.push(pitfall('tlsAndSsl', 'error', { key }));
	}
}

/** Says where a `$NAME` value leads once the whole file is known. */
function addProxyDetails(lines: EnvLineReport[], django: ReadonlyMap<string, string>): void {
	for (const report of lines) {
		for (const item of report.pitfalls) {
			if (item.code !== 'dollarProxy') continue;
			const lookup = envLookup(django, report.key ?? '');
			item.params['outcome'] = lookup.ok ? 'resolved' : lookup.error;
			item.params['resolved'] = lookup.ok ? lookup.value : '';
			if (!lookup.ok && lookup.error === 'missing') item.params['target'] = lookup.missing;
			if (!lookup.ok) item.severity = 'error';
		}
	}
}
