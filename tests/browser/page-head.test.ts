/**
 * The built pages name no address of their own: Postlab is served from wherever it is started (another
 * port, a classroom's LAN address, SANDBOX_PUBLIC_URL), so a canonical link, an og:url, hreflang
 * alternates or a sitemap written at build time would send readers to http://127.0.0.1:4321 instead.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLIENT = fileURLToPath(new URL('../../dist/client/', import.meta.url));

describe('built pages', () => {
	it('carry no canonical, og:url, alternate-language or sitemap links, and no sitemap is built', async () => {
		const files = (await readdir(CLIENT, { recursive: true })).map(String);
		const pages = files.filter((file) => file.endsWith('.html'));
		expect(pages.length).toBeGreaterThan(20);
		const found: string[] = [];
		for (const page of pages) {
			const html = await readFile(`${CLIENT}${page}`, 'utf8');
			for (const pattern of [/<link[^>]+rel="canonical"/, /<meta[^>]+property="og:url"/, /<link[^>]+hreflang=/, /<link[^>]+rel="sitemap"/]) {
				if (pattern.test(html)) found.push(`${page}: ${pattern.source}`);
			}
		}
		expect(found).toEqual([]);
		expect(files.filter((file) => file.includes('sitemap'))).toEqual([]);
	});
});
