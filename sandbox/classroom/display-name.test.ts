import { describe, expect, it } from 'vitest';
import { confusableSkeleton, looksAlike, MAX_NAME_LENGTH, normalizeDisplayName } from './display-name.ts';

describe('display names', () => {
	it('are NFKC-normalised with their spaces collapsed', () => {
		expect(normalizeDisplayName('  Ａｌｉｃｅ \u3000 Kim ')).toEqual({ ok: true, name: 'Alice Kim' });
		expect(normalizeDisplayName('김민준 (3반)')).toEqual({ ok: true, name: '김민준 (3반)' });
		expect(normalizeDisplayName('José')).toEqual({ ok: true, name: 'José' });
	});

	it.each([
		['empty', '   ', 'name-required'],
		['too long', 'x'.repeat(MAX_NAME_LENGTH + 1), 'name-too-long'],
		['Hangul choseong filler U+115F', '\u115F', 'name-invalid'],
		['Hangul jungseong filler U+1160', '\u1160', 'name-invalid'],
		['Hangul filler U+3164', '\u3164\u3164', 'name-invalid'],
		['halfwidth Hangul filler U+FFA0', '\uFFA0', 'name-invalid'],
		['a filler beside a real name', '민준\u3164', 'name-invalid'],
		['right-to-left override', 'Ann\u202Eevil', 'name-invalid'],
		['bidi isolate', 'Ann\u2067x\u2069', 'name-invalid'],
		['zero-width space', 'Al\u200Bice', 'name-invalid'],
		['zero-width joiner', 'Al\u200Dice', 'name-invalid'],
		['soft hyphen', 'Al\u00ADice', 'name-invalid'],
		['word joiner', 'Al\u2060ice', 'name-invalid'],
		['combining grapheme joiner', 'Al\u034Fice', 'name-invalid'],
		['private use', 'Al\uE000ice', 'name-invalid'],
		['a control character', 'Al\u0007ice', 'name-invalid'],
		['stacked marks', 'A\u0301\u0302\u0303\u0304lice', 'name-invalid'],
		['digits only', '1234', 'name-no-letter'],
		['punctuation only', '...', 'name-no-letter'],
		['braille blank', '\u2800', 'name-no-letter'],
	])('refuses %s', (_, raw, problem) => {
		expect(normalizeDisplayName(raw)).toEqual({ ok: false, problem });
	});

	it('finds names that look alike: Latin, Cyrillic, fullwidth, case and confusable letters', () => {
		const alice = normalizeDisplayName('Alice');
		const cyrillic = normalizeDisplayName('\u0410lice');
		const fullwidth = normalizeDisplayName('Ａｌｉｃｅ');
		if (!alice.ok || !cyrillic.ok || !fullwidth.ok) throw new Error('names should be accepted on their own');
		expect(looksAlike(alice.name, cyrillic.name)).toBe(true);
		expect(looksAlike(alice.name, fullwidth.name)).toBe(true);
		expect(looksAlike('Alice', 'alice')).toBe(true);
		expect(looksAlike('Iris', 'lris')).toBe(true);
		expect(looksAlike('rnina', 'mina')).toBe(true);
		expect(looksAlike('Alice', 'Alicia')).toBe(false);
		expect(looksAlike('김민준', '김민준 (3반)')).toBe(false);
		expect(confusableSkeleton('\u0410lice')).toBe(confusableSkeleton('Alice'));
	});
});
