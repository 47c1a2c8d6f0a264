/**
 * Learners' display names, as the projector shows them: one name must never pass for another. A name is
 * NFKC-normalised (fullwidth "Ａｌｉｃｅ" becomes "Alice"), its spaces collapsed; it must hold a visible
 * letter and no invisible or format character (bidi controls, zero-width characters, the Hangul fillers
 * U+115F, U+1160, U+3164 and U+FFA0 that render as nothing but count as letters); and it must differ from
 * every name already in the class by its confusable skeleton (Unicode TR39 §4: NFD, map each character to
 * its prototype by confusables.txt, NFD again), with and without case, so "Alice", Cyrillic "Аlice" and
 * "alice" cannot sit side by side. The mapping is the `unhomoglyph` package's copy of confusables.txt.
 */
import unhomoglyph from 'unhomoglyph';

/** Long enough for "김민준 (3반)", short enough for a projector row. */
export const MAX_NAME_LENGTH = 40;
/** More combining marks than this on one letter is a smear ("Zalgo" text), not a name. */
const MAX_MARKS_IN_A_ROW = 3;

export type NameProblem = 'name-required' | 'name-too-long' | 'name-invalid' | 'name-no-letter';

/**
 * Characters that show nothing or change how the rest shows: controls, format characters (bidi overrides,
 * zero-width joiners), private-use, unpaired surrogates, unassigned code points, line and paragraph
 * separators, and every default-ignorable code point (which covers the Hangul fillers).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const MARK_RUN = new RegExp(`\\p{M}{${MAX_MARKS_IN_A_ROW + 1},}`, 'u');

/** The name as it will be stored and shown, or the problem with it. */
export function normalizeDisplayName(raw: string): { ok: true; name: string } | { ok: false; problem: NameProblem } {
	const name = raw.normalize('NFKC').replace(/\s+/gu, ' ').trim();
	if (name === '') return { ok: false, problem: 'name-required' };
	if ([...name].length > MAX_NAME_LENGTH) return { ok: false, problem: 'name-too-long' };
	// Marks counted decomposed, so a precomposed letter (é, ệ) counts its own marks too.
	if (INVISIBLE.test(name) || MARK_RUN.test(name.normalize('NFD'))) return { ok: false, problem: 'name-invalid' };
	if (!/\p{L}/u.test(name)) return { ok: false, problem: 'name-no-letter' };
	return { ok: true, name };
}

/** TR39's skeleton(X): NFD, each character replaced by its confusable prototype, NFD again. */
export function confusableSkeleton(name: string): string {
	return unhomoglyph(name.normalize('NFD')).normalize('NFD');
}

/** The keys two names must not share: the skeleton as written and lower-cased ("Alice" and "alice" look alike on a projector). */
export function lookAlikeKeys(name: string): [string, string] {
	return [confusableSkeleton(name), confusableSkeleton(name.toLowerCase())];
}

/** True when the two names would be mistaken for each other. */
export function looksAlike(a: string, b: string): boolean {
	const [ka, la] = lookAlikeKeys(a);
	const [kb, lb] = lookAlikeKeys(b);
	return ka === kb || la === lb;
}
