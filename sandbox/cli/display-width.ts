/**
 * Column alignment for terminal output: a terminal gives East Asian wide and fullwidth characters (Hangul,
 * CJK) two cells, so `String.padEnd`, which counts UTF-16 units, leaves Korean values short of their column.
 * Widths come from Unicode's East Asian Width table (get-east-asian-width); ambiguous characters count as
 * narrow, as UAX #11 advises when the context is unknown.
 */
import { eastAsianWidth } from 'get-east-asian-width';

/** Cells `text` takes in a terminal. Combining marks are not special-cased: Korean text arrives precomposed. */
export function displayWidth(text: string): number {
	let width = 0;
	for (const character of text) width += eastAsianWidth(character.codePointAt(0) ?? 0, { ambiguousAsWide: false });
	return width;
}

/** `text` followed by spaces up to `width` cells (unchanged when it is already that wide). */
export function padEndDisplay(text: string, width: number): string {
	return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
