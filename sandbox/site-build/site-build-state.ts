/**
 * Whether the built site can be served as it is: built at all, completely (the server entry and the
 * stamp a finished build writes), and from inputs identical to today's.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { changedInputs, fingerprintInputs } from './build-inputs.ts';
import { readBuildStamp, type BuildStamp } from './build-stamp.ts';

export type SiteBuildState =
	| { readonly kind: 'current'; readonly stamp: BuildStamp }
	| { readonly kind: 'missing' }
	| { readonly kind: 'changed'; readonly stamp: BuildStamp; readonly changes: readonly string[] };

/** Astro's output folder, and the file `npm start` imports from it (sandbox/astro-handler.ts). */
export const OUT_DIR = 'dist';
const SERVER_ENTRY = 'server/entry.mjs';

export async function siteBuildState(root: string): Promise<SiteBuildState> {
	const outDir = join(root, OUT_DIR);
	const stamp = await readBuildStamp(outDir);
	if (!stamp || !existsSync(join(outDir, SERVER_ENTRY))) return { kind: 'missing' };
	const changes = changedInputs(stamp.inputs, await fingerprintInputs(root));
	return changes.length === 0 ? { kind: 'current', stamp } : { kind: 'changed', stamp, changes };
}
