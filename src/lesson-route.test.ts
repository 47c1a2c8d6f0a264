import { describe, expect, it } from 'vitest';
import { isLessonPath, LESSON_SLUGS, pageKind } from './lesson-route.ts';

describe('pageKind', () => {
	it('lists the ten lessons of the outline, first one first', () => {
		expect(LESSON_SLUGS).toHaveLength(10);
		expect(LESSON_SLUGS[0]).toBe('what-is-smtp');
	});
	it('recognises lessons in both languages', () => {
		expect(pageKind('ko/settings-py')).toEqual({ kind: 'lesson', lang: 'ko', slug: 'settings-py' });
		expect(pageKind('en/what-is-smtp')).toEqual({ kind: 'lesson', lang: 'en', slug: 'what-is-smtp' });
	});
	it('recognises the language home pages', () => {
		expect(pageKind('ko')).toEqual({ kind: 'home', lang: 'ko' });
		expect(pageKind('en/index')).toEqual({ kind: 'home', lang: 'en' });
	});
	it('treats everything else as other pages', () => {
		expect(pageKind('404')).toEqual({ kind: 'other' });
		expect(pageKind('en/sandbox/inbox')).toEqual({ kind: 'other' });
		expect(pageKind('fr/what-is-smtp')).toEqual({ kind: 'other' });
		expect(pageKind('ko/not-in-the-outline')).toEqual({ kind: 'other' });
	});
});

describe('isLessonPath', () => {
	it('is true for a lesson page in either language, and nothing else', () => {
		expect(isLessonPath('/ko/settings-py/')).toBe(true);
		expect(isLessonPath('/en/what-is-smtp/')).toBe(true);
		for (const path of ['/ko/', '/en/labs/env/', '/ko/teaching/', '/ko/classroom/', '/fr/settings-py/', '/ko/settings-py/extra/']) {
			expect(isLessonPath(path), path).toBe(false);
		}
	});
});
