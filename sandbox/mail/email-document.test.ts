import { describe, expect, it } from 'vitest';
import { emailDocument, emailDocumentCsp } from './email-document.ts';

describe('emailDocumentCsp', () => {
	it('allows no script and no remote images unless asked', () => {
		const blocked = emailDocumentCsp(false);
		expect(blocked).toContain("default-src 'none'");
		expect(blocked).not.toContain('script-src');
		expect(blocked).toContain("img-src 'self' data:;");
		expect(blocked).toMatch(/sandbox allow-popups/);
		expect(emailDocumentCsp(true)).toContain("img-src 'self' data: https: http:");
	});
});

describe('emailDocument', () => {
	it('puts the body inside a whole document that sends no referrer', () => {
		const page = emailDocument('<p>body</p>');
		expect(page.startsWith('<!doctype html>')).toBe(true);
		expect(page).toContain('<meta name="referrer" content="no-referrer">');
		expect(page).toContain('<body><p>body</p></body></html>');
	});
});
