/**
 * The illustrations' words: ko.json has exactly en.json's shape (the same keys, arrays of the same length,
 * since the drawing places each row and label by its index) and no empty text where English has one.
 */
import { describe, expect, it } from 'vitest';
import en from './i18n/en.json' with { type: 'json' };
import ko from './i18n/ko.json' with { type: 'json' };

/** Where the two values' shapes differ, as `path: what`. */
function shapeDifferences(a: unknown, b: unknown, path = ''): string[] {
	// An empty English label is a deliberate gap in a drawing (the delivery hop has no protocol name).
	if (typeof a === 'string') return typeof b === 'string' && (b.trim() !== '' || a === '') ? [] : [`${path}: ko has no text`];
	if (Array.isArray(a)) {
		if (!Array.isArray(b) || a.length !== b.length) return [`${path}: en has ${a.length} items, ko ${Array.isArray(b) ? b.length : 'none'}`];
		return a.flatMap((item, i) => shapeDifferences(item, b[i], `${path}[${i}]`));
	}
	const left = a as Record<string, unknown>;
	const right = (typeof b === 'object' && b !== null ? b : {}) as Record<string, unknown>;
	return [
		...Object.keys(left).flatMap((key) => shapeDifferences(left[key], right[key], `${path}.${key}`)),
		...Object.keys(right).filter((key) => !(key in left)).map((key) => `${path}.${key}: only ko has it`),
	];
}

describe('illustration strings', () => {
	it('are in both languages, in the same shape', () => {
		expect(Object.keys(en)).toContain('stamp');
		expect(shapeDifferences(en, ko)).toEqual([]);
	});

	it('tell a missing row from a present one', () => {
		expect(shapeDifferences({ rows: [['a', 'b']] }, { rows: [['가']] })).toEqual(['.rows[0]: en has 2 items, ko 1']);
		expect(shapeDifferences({ a: 'x' }, { a: ' ', b: 'y' })).toEqual(['.a: ko has no text', '.b: only ko has it']);
	});
});
