import { describe, expect, it } from 'vitest';
import { parseAcceptLanguage, preferredLanguage } from './preferred-language.ts';

describe('parseAcceptLanguage', () => {
	it('orders by weight and keeps the browser order for equal weights', () => {
		expect(parseAcceptLanguage('fr;q=0.5, en-GB, ko;q=0.9, de')).toEqual(['en', 'de', 'ko', 'fr']);
	});
	it('drops ranges with weight 0 and malformed weights', () => {
		expect(parseAcceptLanguage('ko;q=0, en;q=abc, fr')).toEqual(['fr']);
	});
});

describe('preferredLanguage', () => {
	it('sends an English browser to English', () => {
		expect(preferredLanguage('en-US,en;q=0.9', undefined)).toBe('en');
	});
	it('sends a Korean browser to Korean', () => {
		expect(preferredLanguage('ko-KR,ko;q=0.9,en-US;q=0.8', undefined)).toBe('ko');
	});
	it('takes the first language Postlab has, skipping others', () => {
		expect(preferredLanguage('ja,en;q=0.8,ko;q=0.7', undefined)).toBe('en');
	});
	it('falls back to Korean without a usable header', () => {
		expect(preferredLanguage(null, undefined)).toBe('ko');
		expect(preferredLanguage('fr, de', undefined)).toBe('ko');
	});
	it('prefers the language the reader last chose over the header', () => {
		expect(preferredLanguage('en-US', 'ko')).toBe('ko');
		expect(preferredLanguage('ko-KR', 'en')).toBe('en');
	});
	it('ignores a cookie that names no language of the site', () => {
		expect(preferredLanguage('en', 'xx')).toBe('en');
	});
});
