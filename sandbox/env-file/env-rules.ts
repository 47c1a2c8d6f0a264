/**
 * The pitfalls of a `.env` file, one row each: when a line falls into it, how bad it is, and the values its
 * message needs. `analyze-env.ts` reads every line with dotenv's and django-environ's rules and runs this
 * table over the result; the .env playground, `npm run mail:check` and the start-up check all show what it
 * finds, so the site and the CLI cannot disagree about a line.
 *
 * Which library does what is checked against the libraries themselves: dotenv 18 (dotenv-lines.test.ts runs
 * the real `dotenv.parse`) and django-environ 0.12's `read_env` (tests/unit/labs/django-environ.test.ts).
 * Browser-safe: no Node imports, so the playground bundles it.
 */
import type { DotenvEntry } from './dotenv-lines.ts';
import type { DjangoEnvironLine } from './django-environ-lines.ts';
import { envBool, envLookup } from './django-environ-values.ts';

export type PitfallCode =
	| 'bom'
	| 'crlfLineEndings'
	| 'oddLineBreak'
	| 'leadingBlank'
	| 'exportSpacing'
	| 'keyChars'
	| 'spaceAroundEquals'
	| 'colonSyntax'
	| 'djangoSkips'
	| 'dotenvSkips'
	| 'notAnAssignment'
	| 'unquotedHash'
	| 'trailingBlank'
	| 'unquotedSpace'
	| 'quotedThenComment'
	| 'unterminatedQuote'
	| 'multilineValue'
	| 'escapeInDoubleQuotes'
	| 'backticks'
	| 'dollarProxy'
	| 'gmailAppPassword'
	| 'boolSurprise'
	| 'boolStyle'
	| 'stringFalseIsTruthy'
	| 'emptyRequired'
	| 'duplicateKey'
	| 'tlsAndSsl';

/**
 * Pitfalls about what settings.py's `env()` / `env.bool()` makes of a value both libraries read alike; the others
 * are about how the text is read. `mail:check` and the start-up check show only the latter: they judge the values
 * of Postlab's own variables themselves (resolve-email-settings.ts), and more strictly, because Postlab reads them too.
 */
export const VALUE_PITFALLS = ['dollarProxy', 'gmailAppPassword', 'boolSurprise', 'boolStyle', 'stringFalseIsTruthy', 'emptyRequired', 'tlsAndSsl'] as const satisfies readonly PitfallCode[];
/** How the text is read: differently than it looks, or differently by the two libraries. */
export type SyntaxPitfallCode = Exclude<PitfallCode, (typeof VALUE_PITFALLS)[number]>;

/** error: Django or Node gets a different value, or none; warning: a risk; info: worth knowing. */
export type Severity = 'error' | 'warning' | 'info';

/** Values for a message template (`{{key}}`, `{{line}}`, …); all strings. */
export type Params = Record<string, string>;

export type ParserView =
	| { state: 'value'; key: string; value: string }
	/** dotenv only: this line is inside a quoted value that began on `fromLine`. */
	| { state: 'continuation'; fromLine: number }
	/** The parser skips a line that was meant to say something (django-environ logs "Invalid line"). */
	| { state: 'skipped' }
	/** Blank line or comment. */
	| { state: 'none' };

/** One line as both libraries read it. */
export interface LineFacts {
	/** 0-based, after `\r\n` and `\r` became `\n` (both libraries do that first). */
	line: number;
	text: string;
	/** The text without a leading byte-order mark. */
	body: string;
	/** The key the line assigns for either parser, or as written when both skip it; '' when there is none. */
	key: string;
	dotenv: ParserView;
	django: ParserView;
	/** What dotenv read on this line (undefined on a continuation line or a line it skips). */
	dotenvEntry: DotenvEntry | undefined;
	/** The quoted value this line continues, on a line inside a dotenv multi-line value. */
	continues: DotenvEntry | undefined;
	/** What django-environ's `read_env` made of the line (its first piece, see `splitFurther`). */
	djangoEntry: DjangoEnvironLine | undefined;
	/** Python split the line further at a rare line break (U+2028 and friends). */
	splitFurther: boolean;
	/** The value settings.py works with: django-environ's, else dotenv's; null when neither reads one. */
	value: string | null;
}

/** What is known once every line has been read. */
export interface FileFacts {
	/** Keys settings.py reads with `env()`; an empty one is worth a warning. */
	requiredKeys: readonly string[];
	/** django-environ's final key → value map (later lines win). */
	django: ReadonlyMap<string, string>;
	/** For each key, the last line (either parser) that sets it. */
	lastLineOf: ReadonlyMap<string, number>;
	/** For each key, the last line django-environ reads it from. */
	lastDjangoLineOf: ReadonlyMap<string, number>;
	/** The first line that ended in `\r\n` in the text as given, or -1. */
	firstCrlfLine: number;
}

export interface EnvRule {
	code: PitfallCode;
	severity: Severity | ((params: Params) => Severity);
	/**
	 * Which lines the rule looks at. `assignments` (the default): lines that are not blank, not comments and not
	 * inside a value dotenv reads over several lines. `continuations`: only lines inside such a value. `all`: every line.
	 */
	lines?: 'assignments' | 'continuations' | 'all';
	/** Not reported when one of these was found on the line already: a more specific reason says it better. */
	unless?: readonly PitfallCode[];
	/** The message's params when the line falls into the pitfall, otherwise null. */
	when: (line: LineFacts, file: FileFacts) => Params | null;
}

/** Settings Django reads as booleans; the course turns them into `env.bool(...)`. */
const BOOLEAN_KEYS = /^(?:EMAIL_USE_TLS|EMAIL_USE_SSL|DEBUG)$|_(?:ENABLED|DISABLED)$|^(?:USE|IS|ENABLE|DISABLE)_/;
/** Values people write for a boolean. */
const BOOLEAN_LIKE = /^(?:true|false|yes|no|on|off|y|n|t|f|ok|enabled?|disabled?|tru|ture|flase|fales)$/i;
/** Values that clearly mean "false": `env.bool` reading these as false surprises nobody. */
const FALSE_LIKE = /^(?:false|0+|no|off|n|f|none|null|disabled?|)$/i;
/**
 * A Google app password is 16 random lower-case letters, shown in four groups of four. Google's page shows it in
 * lower case; people retype it in upper case too, so both are matched.
 */
const APP_PASSWORD = /^(?:[a-z]{16}|[a-z]{4}(?: [a-z]{4}){3})$/i;
/** Random letters use many different ones; placeholders such as `xxxx xxxx xxxx xxxx` do not. */
const APP_PASSWORD_MIN_DISTINCT_LETTERS = 6;

/** A value that looks like a real Google app password (placeholders excepted). */
export function looksLikeRealAppPassword(value: string): boolean {
	const candidate = value.trim();
	if (!APP_PASSWORD.test(candidate)) return false;
	return new Set(candidate.toLowerCase().replace(/ /g, '')).size >= APP_PASSWORD_MIN_DISTINCT_LETTERS;
}

/** Some parser skips the line: the rules below say why, most specific first. */
const skipped = (f: LineFacts): boolean => f.django.state === 'skipped' || f.dotenv.state === 'skipped';
/** What django-environ read as `KEY=raw`, with the raw text after `=`. */
const djangoRaw = (f: LineFacts): string | null => (f.django.state === 'value' && f.djangoEntry?.kind === 'assignment' ? f.djangoEntry.raw : null);
/** The quote a raw django-environ value opens with, if any. */
const openingQuote = (raw: string): string | undefined => /^['"`]/.exec(raw.trimStart())?.[0];
/** `"…"` (or '…', `…`) closing the value, maybe followed by a comment: group 1 is the comment. */
const closedQuote = (raw: string, quote: string): RegExpExecArray | null => new RegExp(`^\\s*${quote}[\\s\\S]*${quote}\\s*(#.*)?$`).exec(raw);
const unquoted = (raw: string | null): raw is string => raw !== null && openingQuote(raw) === undefined;
const isBooleanSetting = (f: LineFacts): boolean => f.value !== null && (BOOLEAN_KEYS.test(f.key) || BOOLEAN_LIKE.test(f.value.trim()));
const boolParams = (f: LineFacts, value: string): Params => ({ key: f.key, value, bool: envBool(value) ? 'True' : 'False' });
const key = (f: LineFacts): Params => ({ key: f.key });

/** Reasons a parser skips a line; `djangoSkips` and `notAnAssignment` are said only when none of these is. */
const SKIP_REASONS = ['leadingBlank', 'exportSpacing', 'keyChars', 'spaceAroundEquals', 'colonSyntax'] as const;

/** In display order: the pitfalls of a line are listed in the order of this table. */
export const ENV_RULES: readonly EnvRule[] = [
	{
		code: 'crlfLineEndings',
		severity: 'warning',
		lines: 'all',
		// Both libraries read CRLF files alike, but `source .env` and `docker --env-file` keep a \r on every value.
		when: (f, file) => (f.line === file.firstCrlfLine ? {} : null),
	},
	{
		code: 'bom',
		severity: 'error',
		// dotenv drops a byte-order mark; Python's utf8 codec keeps it in the first key, so django-environ skips that line.
		when: (f) => (f.line === 0 && f.text.startsWith('\uFEFF') ? key(f) : null),
	},
	{
		code: 'oddLineBreak',
		severity: 'warning',
		when: (f) => (f.splitFurther ? {} : null),
	},
	{
		code: 'leadingBlank',
		severity: 'error',
		when: (f) => (skipped(f) && f.dotenv.state === 'value' && /^\s/.test(f.body) ? key(f) : null),
	},
	{
		code: 'exportSpacing',
		severity: 'error',
		// django-environ's `(?:export )?` takes exactly one space.
		when: (f) => (skipped(f) && /^export(?:\s{2,}|\t)/.test(f.body) ? key(f) : null),
	},
	{
		code: 'keyChars',
		severity: 'error',
		// dotenv's keys are `[\w.-]+`, django-environ's `[A-Za-z_0-9]+`.
		when: (f) => (skipped(f) && /^\s*(?:export\s+)?\w*[.-][\w.-]*\s*[=:]/.test(f.body) ? key(f) : null),
	},
	{
		code: 'spaceAroundEquals',
		severity: 'error',
		// A blank before `=`: django-environ skips the line.
		when: (f) => (skipped(f) && /^\s*(?:export\s+)?[\w.-]+\s+=/.test(f.body) ? { key: f.key, blank: 'before' } : null),
	},
	{
		code: 'colonSyntax',
		severity: 'error',
		when: (f) => (skipped(f) && /^\s*(?:export\s+)?[\w.-]+:/.test(f.body) ? key(f) : null),
	},
	{
		code: 'djangoSkips',
		severity: 'error',
		unless: [...SKIP_REASONS, 'bom'],
		when: (f) => (f.dotenv.state === 'value' && f.django.state === 'skipped' ? key(f) : null),
	},
	{
		code: 'dotenvSkips',
		severity: 'error',
		when: (f) => (f.dotenv.state === 'skipped' && f.django.state === 'value' ? key(f) : null),
	},
	{
		code: 'notAnAssignment',
		severity: 'warning',
		unless: SKIP_REASONS,
		when: (f) => (f.dotenv.state === 'skipped' && f.django.state === 'skipped' ? {} : null),
	},
	{
		code: 'spaceAroundEquals',
		severity: 'error',
		// A blank after `=`: dotenv trims it, django-environ keeps it in the value.
		when: (f) => {
			const raw = djangoRaw(f);
			return raw !== null && /^\s/.test(raw) && raw.trim() !== '' ? { key: f.key, blank: 'after' } : null;
		},
	},
	{
		code: 'unquotedHash',
		severity: 'error',
		// dotenv ends an unquoted value at `#`; django-environ 0.12 (parse_comments=False) keeps `#` and the rest.
		when: (f) => {
			const raw = djangoRaw(f);
			return unquoted(raw) && raw.includes('#') ? { key: f.key, dotenvValue: f.dotenv.state === 'value' ? f.dotenv.value : '' } : null;
		},
	},
	{
		code: 'trailingBlank',
		severity: 'error',
		unless: ['unquotedHash'],
		when: (f) => {
			const raw = djangoRaw(f);
			return unquoted(raw) && /\s$/.test(raw) ? key(f) : null;
		},
	},
	{
		code: 'unquotedSpace',
		severity: 'info',
		unless: ['unquotedHash'],
		// Both libraries read it whole; a shell's `source .env` would stop at the first blank.
		when: (f) => {
			const raw = djangoRaw(f);
			return unquoted(raw) && /\S\s+\S/.test(raw.trim()) ? key(f) : null;
		},
	},
	{
		code: 'quotedThenComment',
		severity: 'error',
		// django-environ strips quotes only when they enclose the whole rest of the line.
		when: (f) => {
			const raw = djangoRaw(f);
			const quote = raw === null ? undefined : openingQuote(raw);
			return raw !== null && quote !== undefined && closedQuote(raw, quote)?.[1] !== undefined ? key(f) : null;
		},
	},
	{
		code: 'unterminatedQuote',
		severity: 'warning',
		// Both keep the quote character; a quote dotenv closes on a later line is `multilineValue` instead.
		when: (f) => {
			const raw = djangoRaw(f);
			const quote = raw === null ? undefined : openingQuote(raw);
			const multiline = f.dotenvEntry !== undefined && f.dotenvEntry.endLine > f.dotenvEntry.line;
			return raw !== null && quote !== undefined && !closedQuote(raw, quote) && !multiline ? { key: f.key, quote } : null;
		},
	},
	{
		code: 'multilineValue',
		severity: 'error',
		// The line that opens it: dotenv reads on to the closing quote, django-environ reads one line at a time.
		when: (f) => (f.dotenvEntry && f.dotenvEntry.endLine > f.line ? { line: String(f.line + 1), key: f.key, endLine: String(f.dotenvEntry.endLine + 1) } : null),
	},
	{
		code: 'multilineValue',
		severity: 'error',
		lines: 'continuations',
		// A line inside it that django-environ reads as an assignment of its own.
		when: (f) => (f.continues && f.django.state === 'value' ? { line: String(f.continues.line + 1), key: f.continues.key } : null),
	},
	{
		code: 'escapeInDoubleQuotes',
		severity: 'error',
		// dotenv turns \n and \r in double quotes into line breaks; django-environ keeps backslash and letter.
		when: (f) => (f.dotenvEntry?.quote === '"' && /\\[nr]/.test(f.text) ? key(f) : null),
	},
	{
		code: 'backticks',
		severity: 'error',
		when: (f) => (f.dotenvEntry?.quote === '`' ? key(f) : null),
	},
	{
		code: 'dollarProxy',
		// A warning when `$NAME` leads to a value; an error when it leads nowhere (ImproperlyConfigured, RecursionError).
		severity: (params) => (params['outcome'] === 'resolved' ? 'warning' : 'error'),
		when: (f, file) => {
			if (f.django.state !== 'value' || f.value === null || !f.value.startsWith('$')) return null;
			const lookup = envLookup(file.django, f.key);
			if (lookup.ok) return { key: f.key, target: f.value.replace(/^\$+/, ''), outcome: 'resolved', resolved: lookup.value };
			return { key: f.key, target: lookup.error === 'missing' ? lookup.missing : f.value.replace(/^\$+/, ''), outcome: lookup.error, resolved: '' };
		},
	},
	{
		code: 'gmailAppPassword',
		severity: 'warning',
		when: (f) => (f.value !== null && looksLikeRealAppPassword(f.value) ? { key: f.key, spaces: f.value.includes(' ') ? 'yes' : 'no' } : null),
	},
	{
		code: 'boolSurprise',
		severity: 'error',
		// env.bool() reads it as False though it does not look false (a typo such as `Ture`).
		when: (f) => (f.value !== null && isBooleanSetting(f) && !envBool(f.value) && !FALSE_LIKE.test(f.value.trim()) ? boolParams(f, f.value) : null),
	},
	{
		code: 'boolStyle',
		severity: 'info',
		unless: ['boolSurprise'],
		when: (f) => (f.value !== null && isBooleanSetting(f) && f.value !== 'True' && f.value !== 'False' ? boolParams(f, f.value) : null),
	},
	{
		code: 'stringFalseIsTruthy',
		severity: 'info',
		// `env('DEBUG')` without `.bool` gives the string "False", which Python (and JavaScript) treat as true.
		when: (f) => (f.value !== null && f.value !== '' && isBooleanSetting(f) && FALSE_LIKE.test(f.value.trim()) ? boolParams(f, f.value) : null),
	},
	{
		code: 'emptyRequired',
		severity: 'warning',
		when: (f, file) => (f.value === '' && file.requiredKeys.includes(f.key) ? key(f) : null),
	},
	{
		code: 'duplicateKey',
		severity: 'warning',
		lines: 'all',
		// Marked on every line that a later one overrides; both libraries keep the last (django-environ 0.12 does).
		when: (f, file) => {
			const last = file.lastLineOf.get(f.key);
			const assigns = f.dotenv.state === 'value' || f.django.state === 'value';
			return assigns && last !== undefined && last > f.line ? { key: f.key, line: String(last + 1) } : null;
		},
	},
	{
		code: 'tlsAndSsl',
		severity: 'error',
		lines: 'all',
		// Django's SMTP backend raises ValueError when both are true; marked on the line of each that counts.
		when: (f, file) => {
			if (f.django.state !== 'value' || (f.django.key !== 'EMAIL_USE_TLS' && f.django.key !== 'EMAIL_USE_SSL')) return null;
			if (file.lastDjangoLineOf.get(f.django.key) !== f.line) return null;
			const tls = file.django.get('EMAIL_USE_TLS');
			const ssl = file.django.get('EMAIL_USE_SSL');
			return tls !== undefined && ssl !== undefined && envBool(tls) && envBool(ssl) ? { key: f.django.key } : null;
		},
	},
];
