/**
 * The UI strings in both languages: every key of Postlab's (taken from en.json) has a Korean text, no
 * language has a key the other lacks, and each pair fills the same `{{placeholders}}`, so a translation
 * can neither drop a value (a count, a port) nor ask for one the code does not give.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UI_KEYS } from './ui-strings.ts';

const read = (lang: string) => JSON.parse(readFileSync(new URL(`./content/i18n/${lang}.json`, import.meta.url), 'utf8')) as Record<string, string>;
const en = read('en');
const ko = read('ko');
const placeholders = (text: string) => [...new Set(text.match(/\{\{\s*[\w.]+\s*\}\}/g) ?? [])].map((p) => p.replace(/\s/g, '')).sort();

describe('UI strings', () => {
	it('are Postlab keys taken from en.json', () => {
		expect(UI_KEYS.length).toBeGreaterThan(100);
		expect(UI_KEYS).toContain('lesson.exercise');
		expect(UI_KEYS).not.toContain('search.label');
	});

	it('have a non-empty text in both languages for every key, and no key only Korean has', () => {
		const missing = UI_KEYS.filter((key) => !ko[key]?.trim()).map((key) => `ko lacks ${key}`);
		const empty = UI_KEYS.filter((key) => !en[key]?.trim()).map((key) => `en has an empty ${key}`);
		const onlyKo = Object.keys(ko).filter((key) => !(key in en)).map((key) => `only ko has ${key}`);
		expect([...missing, ...empty, ...onlyKo]).toEqual([]);
	});

	it('fill the same placeholders in both languages', () => {
		const differ = UI_KEYS.filter((key) => ko[key] !== undefined && placeholders(en[key]!).join() !== placeholders(ko[key]!).join()).map(
			(key) => `${key}: en ${placeholders(en[key]!).join(' ')} / ko ${placeholders(ko[key]!).join(' ')}`,
		);
		expect(differ).toEqual([]);
	});
});
