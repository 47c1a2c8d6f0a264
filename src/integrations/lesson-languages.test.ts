import { describe, expect, it } from 'vitest';
import { codeBlockLocale, lessonLangOf } from './lesson-languages.ts';

describe('lessonLangOf', () => {
	it('reads the language from the lesson folder', () => {
		expect(lessonLangOf('/home/me/postlab/content/lessons/en/what-is-smtp.mdx')).toBe('en');
		expect(lessonLangOf('C:\\postlab\\content\\lessons\\ko\\what-is-smtp.mdx')).toBe('ko');
	});

	it('says nothing for other files and unknown folders', () => {
		expect(lessonLangOf('/home/me/postlab/src/pages/index.astro')).toBeUndefined();
		expect(lessonLangOf('/home/me/postlab/content/lessons/fr/x.mdx')).toBeUndefined();
	});
});

describe('codeBlockLocale', () => {
	it('prefers the lesson folder, then the page URL, then the default locale', () => {
		expect(codeBlockLocale({ file: { path: '/p/content/lessons/en/x.mdx', url: new URL('file:///p/content/lessons/en/x.mdx') } })).toBe('en');
		expect(codeBlockLocale({ file: { path: '', url: new URL('http://127.0.0.1:4321/en/sandbox/settings/') } })).toBe('en');
		expect(codeBlockLocale({ file: { path: '', url: new URL('http://127.0.0.1:4321/sandbox/') } })).toBe('ko');
		expect(codeBlockLocale({ file: { path: '/p/src/pages/x.mdx' } })).toBe('ko');
	});
});
