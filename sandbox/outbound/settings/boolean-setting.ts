/**
 * Reads EMAIL_USE_TLS / EMAIL_USE_SSL the strict way. Postlab accepts only True/False/true/false/1/0 so a
 * value means the same everywhere: django-environ's `env.bool` treats `true, on, ok, y, yes` (any case) and non-zero numbers as
 * true and everything else, typos included, as false; a plain `env('X')` or `os.environ['X']` gives Django the
 * string itself, and Python treats every non-empty string, "False" too, as true. (nodemailer's `secure` has the
 * same trap: the string "false" is truthy.)
 */
import { envBool } from '../../env-file/django-environ-values.ts';

export type BooleanReading =
	| { kind: 'unset' }
	| { kind: 'valid'; value: boolean }
	/** `djangoEnvironReads`: what `env.bool()` would make of it. */
	| { kind: 'invalid'; djangoEnvironReads: boolean };

const TRUE_WORDS = new Set(['true', '1']);
const FALSE_WORDS = new Set(['false', '0']);

export function readBoolean(raw: string | undefined): BooleanReading {
	if (raw === undefined || raw.trim() === '') return { kind: 'unset' };
	const word = raw.trim().toLowerCase();
	if (TRUE_WORDS.has(word)) return { kind: 'valid', value: true };
	if (FALSE_WORDS.has(word)) return { kind: 'valid', value: false };
	return { kind: 'invalid', djangoEnvironReads: envBool(raw) };
}
