/** `/` sends the visitor to the language their browser prefers, or the one they last read. */
import { describe, expect, inject, it } from 'vitest';

const root = inject('baseUrl');

async function redirect(headers: Record<string, string>): Promise<Response> {
	return fetch(root, { redirect: 'manual', headers });
}

describe('/ redirects by language', () => {
	it('sends an English browser to /en/', async () => {
		const response = await redirect({ 'Accept-Language': 'en-US,en;q=0.9' });
		expect(response.status).toBe(302);
		expect(response.headers.get('location')).toBe('/en/');
		expect(response.headers.get('vary')).toMatch(/Accept-Language/i);
	});
	it('sends a Korean browser, and one with no preference, to /ko/', async () => {
		expect((await redirect({ 'Accept-Language': 'ko-KR,ko;q=0.9,en;q=0.8' })).headers.get('location')).toBe('/ko/');
		expect((await redirect({})).headers.get('location')).toBe('/ko/');
	});
	it('remembers the language the reader last read in', async () => {
		const response = await redirect({ 'Accept-Language': 'en-US', Cookie: 'postlab-lang=ko' });
		expect(response.headers.get('location')).toBe('/ko/');
	});
});
