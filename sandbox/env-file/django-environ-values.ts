/**
 * What settings.py gets back from django-environ 0.12 once `read_env` has stored the strings:
 * `env('KEY')` (with its `$OTHER` proxy rule) and `env.bool('KEY')`. Runs in the browser.
 *
 * Source followed: joke2k/django-environ `environ/environ.py` (0.12.0):
 *   BOOLEAN_TRUE_STRINGS = ('true', 'on', 'ok', 'y', 'yes', '1')
 *   Env.get_value:   if value.startswith('$'): value = value.lstrip('$');
 *                    value = self.get_value(value, cast=cast, default=default)
 *                    (a missing key raises ImproperlyConfigured('Set the {var} environment variable'))
 *   Env.parse_value: if cast is bool:
 *                        try: value = int(value) != 0
 *                        except ValueError: value = value.lower().strip() in cls.BOOLEAN_TRUE_STRINGS
 */

export const BOOLEAN_TRUE_STRINGS = ['true', 'on', 'ok', 'y', 'yes', '1'] as const;

/** Python's `str.strip()` whitespace: JavaScript's `\s` minus U+FEFF, plus U+001C–U+001F. */
const PY_SPACE = '[\\s\\x1c-\\x1f]';
const PY_STRIP = new RegExp(`^(?:(?!\\uFEFF)${PY_SPACE})+|(?:(?!\\uFEFF)${PY_SPACE})+$`, 'gu');
/** What Python's `int(str)` accepts: blanks, a sign, decimal digits with single underscores between. */
const PY_INT = /^[+-]?(\p{Nd}+(?:_\p{Nd}+)*)$/u;
const DIGIT = /^\p{Nd}$/u;

function pythonStrip(value: string): string {
	return value.replace(PY_STRIP, '');
}

/** The value of one Unicode decimal digit (digits come in runs of ten starting at zero). */
function digitValue(char: string): number {
	const code = char.codePointAt(0) ?? 0;
	let start = code;
	while (DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
	return (code - start) % 10;
}

/** `int(value)` in Python, or null where Python raises ValueError. Only whether it is zero matters here. */
export function pythonIntIsZero(value: string): boolean | null {
	const match = PY_INT.exec(pythonStrip(value));
	if (!match) return null;
	return [...(match[1] ?? '')].every((char) => char === '_' || digitValue(char) === 0);
}

/** `env.bool('KEY')` for a stored string: what Django's settings really get. */
export function envBool(value: string): boolean {
	const isZero = pythonIntIsZero(value);
	if (isZero !== null) return !isZero;
	return (BOOLEAN_TRUE_STRINGS as readonly string[]).includes(pythonStrip(value.toLowerCase()));
}

/** `bool(env('KEY'))` in Python, and `Boolean(process.env.KEY)` in JavaScript: any non-empty string is true. */
export function stringTruthiness(value: string): boolean {
	return value !== '';
}

export type EnvLookup =
	| { ok: true; value: string; via: string[] }
	| { ok: false; error: 'missing'; missing: string; via: string[] }
	| { ok: false; error: 'cycle'; via: string[] };

/**
 * `env('KEY')` with django-environ's proxy rule: a value starting with `$` names another variable.
 * `via` lists the variables followed. Only the file's own keys are known here (the learner's real
 * environment is not), and django-environ recurses without a limit, so a loop is reported as one.
 */
export function envLookup(values: ReadonlyMap<string, string>, key: string): EnvLookup {
	const via: string[] = [];
	let name = key;
	for (;;) {
		if (via.includes(name)) return { ok: false, error: 'cycle', via };
		via.push(name);
		const value = values.get(name);
		if (value === undefined) return { ok: false, error: 'missing', missing: name, via };
		if (!value.startsWith('$')) return { ok: true, value, via };
		name = value.replace(/^\$+/, '');
	}
}
