import { describe, expect, it } from 'vitest';
import { extractLinks } from './extract-links.ts';

describe('extractLinks', () => {
	it('finds links in HTML with their text, hostile ones included', () => {
		const links = extractLinks('<a href="https://a.example/x">Open <b>it</b></a> <a href="javascript:alert(1)">bad</a>', null);
		expect(links).toEqual([
			{ href: 'https://a.example/x', text: 'Open it' },
			{ href: 'javascript:alert(1)', text: 'bad' },
		]);
	});

	it("finds Django's password-reset link in plain text, without the sentence's punctuation", () => {
		const text = 'Please go to the following page:\n\nhttp://127.0.0.1:8000/reset/MQ/c4x9-abc123/.\n\nThanks (see https://b.example/y)';
		expect(extractLinks(null, text).map((link) => link.href)).toEqual([
			'http://127.0.0.1:8000/reset/MQ/c4x9-abc123/',
			'https://b.example/y',
		]);
	});

	it('lists a link once', () => {
		expect(extractLinks('<a href="https://a.example/">A</a>', 'https://a.example/')).toEqual([
			{ href: 'https://a.example/', text: 'A' },
		]);
	});
});
