/**
 * Every pitfall the shared `.env` analysis can report has its title and explanation in both languages, so the
 * playground never shows a bare key when the analysis learns a new rule.
 */
import { describe, expect, it } from 'vitest';
import { ENV_RULES } from '../../../sandbox/env-file/env-rules.ts';
import en from '../../content/i18n/en.json';
import ko from '../../content/i18n/ko.json';

const strings: Record<'en' | 'ko', Record<string, string>> = { en, ko };

describe('pitfall strings of the .env playground', () => {
	const codes = [...new Set(ENV_RULES.map((rule) => rule.code))];
	it.each(codes)('%s has a title and a body in ko and en', (code) => {
		const bodies = code === 'dollarProxy' ? ['resolved', 'missing', 'cycle'] : ['body'];
		for (const lang of ['ko', 'en'] as const) {
			for (const part of ['title', ...bodies]) expect(strings[lang][`labs.env.pitfall.${code}.${part}`], `${lang} ${code}.${part}`).toBeTruthy();
		}
	});
});
