import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AstroIntegrationLogger } from 'astro';
import { afterEach, describe, expect, it } from 'vitest';
import { hashesNeededBy, inlineScriptCsp, inlineScriptHashesOf, policyScriptHashesOf } from './inline-script-hashes.ts';

const sha256 = (text: string) => `sha256-${createHash('sha256').update(text).digest('base64')}`;
const page = (hashes: string[], body: string) =>
	`<!DOCTYPE html><html><head><meta http-equiv="content-security-policy" content="default-src 'self'; script-src 'self' ${hashes.map((h) => `'${h}'`).join(' ')}; style-src 'self'">${body}</head></html>`;

describe('inline scripts of a built page', () => {
	it('hashes the exact text of each script the browser runs, and nothing else', () => {
		const html = [
			'<script>\n\tboot();\n</script>',
			'<script type="module">import("./x.js")</script>',
			'<SCRIPT aria-hidden="true" data-note="a > b">a()</SCRIPT >',
			'<script src="/_astro/page.js" type="module"></script>',
			'<script type="application/json">{"not":"run"}</script>',
			'<script type="application/ld+json">{}</script>',
		].join('');
		expect(inlineScriptHashesOf(html)).toEqual([sha256('\n\tboot();\n'), sha256('import("./x.js")'), sha256('a()')]);
	});

	it("reads the hashes the page's policy allows in script-src", () => {
		expect(policyScriptHashesOf(page(['sha256-AAA=', 'sha256-b+/='], ''))).toEqual(['sha256-AAA=', 'sha256-b+/=']);
		expect(policyScriptHashesOf('<html></html>')).toEqual([]);
	});

	it('needs the hashes of scripts Astro did not hash itself', () => {
		const bundled = 'var e=1';
		const inline = 'theme()';
		const html = page([sha256(bundled), 'sha256-ours='], `<script type="module">${bundled}</script><script>${inline}</script>`);
		expect(hashesNeededBy(html, new Set(['sha256-ours=']))).toEqual([sha256(inline)]);
	});
});

describe('after a build', () => {
	let folder = '';
	afterEach(async () => {
		if (folder) await rm(folder, { recursive: true, force: true });
	});

	async function build(committed: string[], pages: Record<string, string>): Promise<{ error: unknown; written: string[]; logged: string[] }> {
		folder = await mkdtemp(join(tmpdir(), 'postlab-csp-'));
		const hashesFile = join(folder, 'hashes.json');
		await writeFile(hashesFile, JSON.stringify(committed));
		for (const [path, html] of Object.entries(pages)) {
			await mkdir(join(folder, 'client', path, '..'), { recursive: true });
			await writeFile(join(folder, 'client', path), html);
		}
		const logged: string[] = [];
		const logger = { info: (message: string) => logged.push(message) } as unknown as AstroIntegrationLogger;
		const hook = inlineScriptCsp(hashesFile).hooks['astro:build:done'];
		let error: unknown = null;
		try {
			await hook?.({ dir: pathToFileURL(`${join(folder, 'client')}/`), logger, pages: [], assets: new Map() });
		} catch (thrown) {
			error = thrown;
		}
		return { error, written: JSON.parse(await readFile(hashesFile, 'utf8')) as string[], logged };
	}

	it('fails when a page has an inline script without its hash, and writes the list that allows it', async () => {
		const html = page([], '<script>theme()</script>');
		const { error, written } = await build([], { 'en/index.html': html, 'ko/a/index.html': page([], '<script>boot()</script>') });
		expect(String(error)).toMatch(/build again/);
		expect(written).toEqual([sha256('boot()'), sha256('theme()')].sort());
	});

	it('passes when the list is exact, and drops hashes no page uses any more', async () => {
		const current = [sha256('theme()')];
		expect(await build(current, { 'index.html': page(current, '<script>theme()</script>') })).toMatchObject({ error: null, written: current, logged: [] });
		const stale = await build([...current, 'sha256-gone='], { 'index.html': page([...current, 'sha256-gone='], '<script>theme()</script>') });
		expect(stale).toMatchObject({ error: null, written: current });
		expect(stale.logged[0]).toMatch(/Dropped 1/);
	});
});
