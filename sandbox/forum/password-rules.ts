/**
 * Password rules, the four validators of Django's default AUTH_PASSWORD_VALIDATORS
 * (django/contrib/auth/password_validation.py): UserAttributeSimilarityValidator,
 * MinimumLengthValidator(8), CommonPasswordValidator and NumericPasswordValidator. Problems come back
 * as codes with parameters; the pages turn them into sentences in the learner's language.
 */
import { COMMON_PASSWORDS } from './common-passwords.ts';

/** MinimumLengthValidator's default. */
export const MIN_PASSWORD_LENGTH = 8;
/** UserAttributeSimilarityValidator's DEFAULT_MAX_SIMILARITY. */
const MAX_SIMILARITY = 0.7;

export type PasswordProblem =
	| { code: 'password_too_short'; minLength: number }
	| { code: 'password_too_common' }
	| { code: 'password_entirely_numeric' }
	| { code: 'password_too_similar'; attribute: 'username' | 'email' };

export interface PasswordOwner {
	username: string;
	email: string;
}

/**
 * difflib.SequenceMatcher.quick_ratio: an upper bound on similarity from the characters the two
 * strings share, ignoring order: 2 * shared / (len(a) + len(b)).
 */
export function quickRatio(a: string, b: string): number {
	const ac = [...a];
	const bc = [...b];
	if (ac.length + bc.length === 0) return 1;
	const available = new Map<string, number>();
	for (const ch of bc) available.set(ch, (available.get(ch) ?? 0) + 1);
	let matches = 0;
	for (const ch of ac) {
		const left = available.get(ch) ?? 0;
		if (left > 0) {
			matches++;
			available.set(ch, left - 1);
		}
	}
	return (2 * matches) / (ac.length + bc.length);
}

/** Django's exceeds_maximum_length_ratio: a much shorter value cannot be "too similar", skip the match. */
function exceedsMaximumLengthRatio(password: string, value: string): boolean {
	const passwordLength = [...password].length;
	const valueLength = [...value].length;
	return passwordLength >= 10 * valueLength && valueLength < (MAX_SIMILARITY / 2) * passwordLength;
}

function tooSimilar(password: string, value: string): boolean {
	if (!value) return false;
	const lower = value.toLowerCase();
	// Django splits on \W+ and also tries the whole value: "ann.lee@example.com" → ann, lee, example, com, and the rest.
	const parts = [...lower.split(/[^\p{L}\p{N}_]+/u), lower];
	const candidate = password.toLowerCase();
	return parts.some((part) => part !== '' && !exceedsMaximumLengthRatio(password, part) && quickRatio(candidate, part) >= MAX_SIMILARITY);
}

/** Every rule the password breaks, in Django's validator order; an empty list means it is acceptable. */
export function checkPassword(password: string, owner: PasswordOwner): PasswordProblem[] {
	const problems: PasswordProblem[] = [];
	if (tooSimilar(password, owner.username)) problems.push({ code: 'password_too_similar', attribute: 'username' });
	else if (tooSimilar(password, owner.email)) problems.push({ code: 'password_too_similar', attribute: 'email' });
	if ([...password].length < MIN_PASSWORD_LENGTH) problems.push({ code: 'password_too_short', minLength: MIN_PASSWORD_LENGTH });
	if (COMMON_PASSWORDS.has(password.toLowerCase().trim())) problems.push({ code: 'password_too_common' });
	if (/^\p{Nd}+$/u.test(password)) problems.push({ code: 'password_entirely_numeric' });
	return problems;
}
