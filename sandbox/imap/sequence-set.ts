/**
 * IMAP sequence sets (RFC 3501 §9 `sequence-set`): `1`, `2:4`, `7:*`, `1,3:5`. The same syntax names
 * message sequence numbers or UIDs; `*` is the largest number in use, and a range may be written
 * backwards (`5:2`).
 */

export type SequenceRange = [number, number];

/** nz-number is an unsigned 32-bit integer (RFC 9051 §9); no message number or UID is larger. */
const MAX_NUMBER = 0xffff_ffff;

/** Each range with `*` left as Infinity; null when the text is not a sequence set. */
export function parseSequenceSet(text: string): Array<[number, number | '*']> | null {
	if (!/^[\d:*,]+$/.test(text)) return null;
	const ranges: Array<[number, number | '*']> = [];
	for (const part of text.split(',')) {
		const bounds = part.split(':');
		if (bounds.length > 2 || bounds.some((b) => !/^(\*|[1-9]\d{0,9})$/.test(b) || Number(b) > MAX_NUMBER)) return null;
		const [a = '', b = a] = bounds;
		ranges.push([a === '*' ? Number.POSITIVE_INFINITY : Number(a), b === '*' ? '*' : Number(b)]);
	}
	return ranges;
}

/**
 * Resolves ranges against the largest number in use: `*` becomes it, each range is ordered low to high.
 * RFC 3501 §6.4.8: "100:*" with 50 the largest UID still includes 50.
 */
export function resolveRanges(ranges: Array<[number, number | '*']>, largest: number): SequenceRange[] {
	return ranges.map(([a, b]) => {
		const low = a === Number.POSITIVE_INFINITY ? largest : a;
		const high = b === '*' ? largest : b;
		return low <= high ? [low, high] : [high, low];
	});
}

export function inRanges(value: number, ranges: SequenceRange[]): boolean {
	return ranges.some(([low, high]) => value >= low && value <= high);
}
