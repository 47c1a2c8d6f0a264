// @ts-check
/**
 * CSP hashes for the `<script is:inline>` blocks of Starlight's components and of ours.
 *
 * Astro hashes the scripts it bundles, but an `is:inline` script is copied into the page as written
 * and Astro does not hash it, so a strict `script-src` blocks it (Starlight's theme picker, search
 * shortcut label and sidebar scroll restore are such scripts). Their text is fixed in the component
 * source, so hashing the source at build time gives exactly the hashes the pages need, and an
 * update of Starlight brings its new hashes with it. Runs in Node only (astro.config.mjs).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `<script is:inline …>body</script>`; the body goes into the page unchanged. */
const INLINE_SCRIPT = /<script\b[^>]*\bis:inline\b[^>]*>([\s\S]*?)<\/script>/g;

/**
 * @param {string} folder
 * @returns {string[]} every .astro file below `folder`
 */
function astroFiles(folder) {
	return readdirSync(folder, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith('.astro'))
		.map((entry) => join(entry.parentPath, entry.name));
}

/**
 * @param {string} source text of an .astro file
 * @returns {`sha256-${string}`[]} hashes of its inline scripts, in the form Astro's CSP config takes
 */
export function inlineScriptHashes(source) {
	return [...source.matchAll(INLINE_SCRIPT)].map(([, body = '']) => {
		/** @type {`sha256-${string}`} */
		const hash = `sha256-${createHash('sha256').update(body).digest('base64')}`;
		return hash;
	});
}

/**
 * Hashes of every inline script in Starlight's components and in the given folders of our own.
 * @param {string[]} ownFolders absolute paths
 * @returns {`sha256-${string}`[]}
 */
export function inlineScriptHashesFor(ownFolders) {
	const starlightDist = dirname(fileURLToPath(import.meta.resolve('@astrojs/starlight')));
	const files = [starlightDist, ...ownFolders].flatMap(astroFiles);
	return [...new Set(files.flatMap((file) => inlineScriptHashes(readFileSync(file, 'utf8'))))].sort();
}
