/**
 * The Node side's catalogues (messages.ts, smtp-messages.ts, console-messages.ts) in both languages: every key of en.json has a Korean text, ko.json has no key
 * English lacks, and each pair fills the same `{{placeholders}}`, so a translation can neither drop a value
 * (a line number, a port) nor ask for one the code does not give. Then the filling itself.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bilingual, message } from './messages.ts';

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Record<string, unknown>;
const placeholders = (text: unknown) => [...new Set(String(text).match(/\{\{\s*\w+\s*\}\}/g) ?? [])].map((p) => p.replace(/\s/g, '')).sort();
const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Each catalogue's folder, and how many keys it has at least (an emptied file must not pass). */
const CATALOGUES = [
	{ dir: './', atLeast: 150 },
	{ dir: './smtp/', atLeast: 90 },
	{ dir: './console/', atLeast: 60 },
];

describe.each(CATALOGUES)('the catalogue in sandbox/i18n/$dir', ({ dir, atLeast }) => {
	const en = read(`${dir}en.json`);
	const ko = read(`${dir}ko.json`);

	it('has a non-empty text in both languages for every key, and no key only one language has', () => {
		expect(Object.keys(en).length).toBeGreaterThan(atLeast);
		const problems = [
			...Object.keys(en).filter((key) => !isText(en[key])).map((key) => `en has no text for ${key}`),
			...Object.keys(en).filter((key) => !isText(ko[key])).map((key) => `ko lacks ${key}`),
			...Object.keys(ko).filter((key) => !(key in en)).map((key) => `only ko has ${key}`),
		];
		expect(problems).toEqual([]);
	});

	it('fills the same placeholders in both languages', () => {
		const differ = Object.keys(en)
			.filter((key) => placeholders(en[key]).join() !== placeholders(ko[key]).join())
			.map((key) => `${key}: en ${placeholders(en[key]).join(' ')} / ko ${placeholders(ko[key]).join(' ')}`);
		expect(differ).toEqual([]);
	});
});

describe('message', () => {
	it('fills placeholders in the language asked for, a Bilingual value giving each language its word', () => {
		const shape = { ko: '3글자, 숨김', en: '3 characters, hidden' };
		expect(message('en', 'settings.appPasswordShape.message', { length: 16, shape })).toContain('A Gmail app password is 16 letters');
		expect(message('en', 'settings.appPasswordShape.message', { length: 16, shape })).toContain('EMAIL_HOST_PASSWORD is 3 characters, hidden.');
		expect(bilingual('settings.appPasswordShape.message', { length: 16, shape }).ko).toContain('EMAIL_HOST_PASSWORD는 3글자, 숨김.');
	});

	it('inserts values as they are: no second pass over them, no $ replacement patterns', () => {
		const email = message('en', 'resetEmail.signature', { siteName: "{{username}} $& $1 $' site" });
		expect(email).toBe("The {{username}} $& $1 $' site team");
	});

	it("keeps Django's own log line in Django's words in a Korean terminal too", () => {
		// The forum reproduces django.contrib.auth's record; a learner's Django prints exactly this.
		const params = { user: 7, reason: '550 5.1.1 no such user' };
		expect(message('ko', 'log.forum.djangoResetEmailFailed', params)).toBe('django.contrib.auth: Failed to send password reset email to 7: 550 5.1.1 no such user');
		expect(message('en', 'log.forum.djangoResetEmailFailed', params)).toBe(message('ko', 'log.forum.djangoResetEmailFailed', params));
	});

	it('leaves a placeholder given no value as written instead of throwing', () => {
		expect(message('ko', 'mailCheck.fromFile')).toBe('.env {{line}}번째 줄');
		expect(message('ko', 'mailCheck.fromFile', { line: 7 })).toBe('.env 7번째 줄');
	});
});
