/**
 * What a page costs to load: its HTML plus the CSS and JavaScript it pulls in (following module
 * imports), uncompressed and gzipped. Images and fonts are left out; the lessons use SVG sparingly.
 */
import { gzipSync } from 'node:zlib';

export interface PageWeight {
	html: number;
	css: number;
	js: number;
	/** All of the above, gzip -6, as a server that compresses would send them. */
	gzipped: number;
}

const stylesheet = /<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g;
const script = /<script\b[^>]*\bsrc="([^"]+)"/g;
const preload = /<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g;
const jsImport = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+\.js)["']/g;

export async function pageWeight(url: string): Promise<PageWeight> {
	const fetched = new Map<string, Buffer>();
	const get = async (address: string): Promise<Buffer> => {
		const cached = fetched.get(address);
		if (cached) return cached;
		const response = await fetch(address);
		if (!response.ok) throw new Error(`${address} answered ${response.status}`);
		const body = Buffer.from(await response.arrayBuffer());
		fetched.set(address, body);
		return body;
	};
	const html = await get(url);
	const text = html.toString();
	const cssUrls = new Set([...text.matchAll(stylesheet)].map((m) => new URL(m[1] ?? '', url).href));
	const jsQueue = [...text.matchAll(script), ...text.matchAll(preload)].map((m) => new URL(m[1] ?? '', url).href);
	const jsUrls = new Set<string>();
	while (jsQueue.length > 0) {
		const next = jsQueue.pop() ?? '';
		if (jsUrls.has(next)) continue;
		jsUrls.add(next);
		const source = (await get(next)).toString();
		for (const found of source.matchAll(jsImport)) jsQueue.push(new URL(found[1] ?? '', next).href);
	}
	let css = 0;
	let js = 0;
	const all: Buffer[] = [html];
	for (const address of cssUrls) {
		const body = await get(address);
		css += body.length;
		all.push(body);
	}
	for (const address of jsUrls) {
		const body = await get(address);
		js += body.length;
		all.push(body);
	}
	const gzipped = all.reduce((sum, body) => sum + gzipSync(body).length, 0);
	return { html: html.length, css, js, gzipped };
}
