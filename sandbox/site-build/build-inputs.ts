/**
 * What the built site (`dist/`) is made from, fingerprinted file by file: the check that lets `npm start`
 * skip `astro build` when nothing changed. By content, not modification time: `npm install` rewrites an
 * unchanged lockfile, and `git checkout`, `cp -r` or unzipping set times that say nothing about content.
 * Hashing the few megabytes of inputs takes a few tens of milliseconds.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Everything the build reads, relative to the project folder. `sandbox/` is here because the site's
 * server-rendered pages (forum, inbox, classroom) bundle sandbox modules; the lockfile stands for the
 * installed versions of Astro and its plugins.
 */
export const BUILD_INPUTS: readonly string[] = [
	'src',
	'content',
	'public',
	'sandbox',
	'astro.config.mjs',
	'ec.config.mjs',
	'tsconfig.json',
	'package.json',
	'package-lock.json',
];

/** Path (relative, `/`-separated) → hash of its content. */
export type InputFingerprint = Readonly<Record<string, string>>;

/** Tests and their data are never bundled; editing them must not cost a learner a rebuild. */
function isTestOnly(name: string): boolean {
	return name.endsWith('.test.ts') || name === 'testdata' || name === 'testing' || name === 'test-support';
}

/** Fingerprints every file under the inputs; an input that does not exist is left out. */
export async function fingerprintInputs(root: string, inputs: readonly string[] = BUILD_INPUTS): Promise<InputFingerprint> {
	const hashes: Record<string, string> = {};
	const visit = async (relativePath: string): Promise<void> => {
		const path = join(root, relativePath);
		let entries;
		try {
			entries = await readdir(path, { withFileTypes: true });
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOENT') return;
			if (code !== 'ENOTDIR') throw error;
			hashes[relativePath] = createHash('sha256').update(await readFile(path)).digest('base64url').slice(0, 22);
			return;
		}
		await Promise.all(entries.filter((entry) => !isTestOnly(entry.name)).map((entry) => visit(`${relativePath}/${entry.name}`)));
	};
	await Promise.all(inputs.map((input) => visit(input)));
	// Sorted keys: the same inputs always give the same stamp file.
	return Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Files added, removed or changed between two fingerprints, sorted by path. */
export function changedInputs(before: InputFingerprint, now: InputFingerprint): string[] {
	const paths = new Set([...Object.keys(before), ...Object.keys(now)]);
	return [...paths].filter((path) => before[path] !== now[path]).sort();
}
