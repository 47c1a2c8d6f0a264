/**
 * CSP hashes for the inline scripts Astro does not hash itself, taken from the built pages.
 *
 * Astro's CSP (security.csp) hashes the scripts it bundles, but copies an `is:inline` script into the page as
 * written and leaves it out of `script-src` (Astro 7.3; its docs: "inline scripts are not supported out of the
 * box, but you can provide your own hashes"). Starlight's theme, search-shortcut and sidebar scripts and our
 * progress boot script are such scripts. Their hashes are kept in inline-script-hashes.json, which the config
 * hands to Astro, so the pages rendered on request (inbox, forum, settings) carry them too.
 *
 * That list is checked against what the build really wrote: after every build, each inline script of each
 * prerendered page must be allowed by that page's own policy. When a dependency update changes a script, the
 * build fails once, writes the new list and asks for another build; hashes no page uses any more are dropped.
 * Node-only: runs in astro.config.mjs and at the end of the build.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

type ScriptHash = `sha256-${string}`;

const HASHES_FILE = fileURLToPath(new URL('./inline-script-hashes.json', import.meta.url));

/** `<script …>text</script>`: in HTML a script's text runs to the first `</script`, so this finds each one exactly. */
const SCRIPT = /<script\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/script\s*>/gi;
/** Script types a browser runs (or reads as an import map or speculation rules), all under `script-src`. */
const EXECUTED_TYPES = new Set(['', 'module', 'text/javascript', 'application/javascript', 'importmap', 'speculationrules']);
const CSP_META = /<meta\s[^>]*http-equiv=["']content-security-policy["'][^>]*>/i;

function attribute(attributes: string, name: string): string | null {
	const match = new RegExp(`(?:^|\\s)${name}(?:\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+)))?(?=[\\s/>]|$)`, 'i').exec(attributes);
	if (!match) return null;
	return match[1] ?? match[2] ?? match[3] ?? '';
}

function sha256(text: string): ScriptHash {
	return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

/** Hashes of the scripts written into the page (no `src`) that the browser would run. */
export function inlineScriptHashesOf(html: string): ScriptHash[] {
	const hashes: ScriptHash[] = [];
	for (const [, attributes = '', text = ''] of html.matchAll(SCRIPT)) {
		if (attribute(attributes, 'src') !== null) continue;
		if (!EXECUTED_TYPES.has((attribute(attributes, 'type') ?? '').trim().toLowerCase())) continue;
		hashes.push(sha256(text));
	}
	return hashes;
}

/** The hashes the page's `<meta http-equiv="content-security-policy">` allows in `script-src`. */
export function policyScriptHashesOf(html: string): ScriptHash[] {
	const meta = CSP_META.exec(html)?.[0];
	const policy = (meta ? attribute(meta, 'content') : null)?.replaceAll('&#39;', "'").replaceAll('&apos;', "'") ?? '';
	const scriptSrc = policy.split(';').find((directive) => directive.trim().startsWith('script-src ')) ?? '';
	return [...scriptSrc.matchAll(/'(sha256-[A-Za-z0-9+/=]+)'/g)].map(([, hash]) => hash as ScriptHash);
}

/** The hashes astro.config.mjs gives Astro for every page. */
export function committedInlineScriptHashes(hashesFile = HASHES_FILE): ScriptHash[] {
	return JSON.parse(readFileSync(hashesFile, 'utf8')) as ScriptHash[];
}

/**
 * Of a built page's inline scripts, the hashes this list must provide: those Astro's own policy for the page
 * (its hashes minus the committed ones) does not already allow.
 */
export function hashesNeededBy(html: string, committed: ReadonlySet<string>): ScriptHash[] {
	const astroOwn = new Set(policyScriptHashesOf(html).filter((hash) => !committed.has(hash)));
	return inlineScriptHashesOf(html).filter((hash) => !astroOwn.has(hash));
}

async function htmlFiles(folder: string): Promise<string[]> {
	const entries = await readdir(folder, { withFileTypes: true, recursive: true });
	return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.html')).map((entry) => join(entry.parentPath, entry.name));
}

/** Checks the committed hashes against the built pages and keeps the list exact. */
export function inlineScriptCsp(hashesFile = HASHES_FILE): AstroIntegration {
	return {
		name: 'postlab:inline-script-csp',
		hooks: {
			'astro:build:done': async ({ dir, logger }) => {
				const committed = new Set<string>(committedInlineScriptHashes(hashesFile));
				const needed = new Set<ScriptHash>();
				const pages = await htmlFiles(fileURLToPath(dir));
				if (pages.length === 0) throw new Error('No built pages to take the inline script hashes from.');
				for (const file of pages) for (const hash of hashesNeededBy(await readFile(file, 'utf8'), committed)) needed.add(hash);
				const missing = [...needed].filter((hash) => !committed.has(hash));
				const unused = [...committed].filter((hash) => !needed.has(hash as ScriptHash));
				if (missing.length === 0 && unused.length === 0) return;
				await writeFile(hashesFile, `${JSON.stringify([...needed].sort(), null, '\t')}\n`);
				if (missing.length > 0) {
					throw new Error(
						`${missing.length} inline script(s) in the built pages have no CSP hash (a component or a dependency changed them). ` +
							'src/csp/inline-script-hashes.json now lists them: build again so every page allows them.',
					);
				}
				logger.info(`Dropped ${unused.length} CSP hash(es) of inline scripts no page has any more from src/csp/inline-script-hashes.json.`);
			},
		},
	};
}
