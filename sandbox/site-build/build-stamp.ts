/**
 * The note a finished `astro build` leaves beside its output (written by src/integrations/build-stamp.ts),
 * read by `npm start` to decide whether the build is still current. It lives in `dist/`, not in
 * `dist/client/`, so the web server never serves it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasErrorCode } from '../error-code.ts';
import type { InputFingerprint } from './build-inputs.ts';

const STAMP_FILE = 'postlab-build.json';

export interface BuildStamp {
	/**
	 * The inputs as the build began (taken before Astro read any of them), so a file edited during the
	 * build differs from the stamp and the next start builds again.
	 */
	readonly inputs: InputFingerprint;
	/** How long the build took, to tell the next person who waits for one. */
	readonly durationMs: number;
}

/** The stamp in the build folder `outDir` (Astro's `outDir`, `dist/`), or null when there is none or it is not a stamp. */
export async function readBuildStamp(outDir: string): Promise<BuildStamp | null> {
	let value: unknown;
	try {
		value = JSON.parse(await readFile(join(outDir, STAMP_FILE), 'utf8'));
	} catch (error) {
		// Never built, or a build cut off while writing its stamp (SyntaxError): either way, build again.
		if (hasErrorCode(error, 'ENOENT') || error instanceof SyntaxError) return null;
		throw error;
	}
	if (typeof value !== 'object' || value === null) return null;
	const { inputs, durationMs } = value as Record<string, unknown>;
	if (typeof durationMs !== 'number' || typeof inputs !== 'object' || inputs === null) return null;
	if (!Object.values(inputs).every((hash) => typeof hash === 'string')) return null;
	return { inputs: inputs as InputFingerprint, durationMs };
}

export async function writeBuildStamp(outDir: string, stamp: BuildStamp): Promise<void> {
	await writeFile(join(outDir, STAMP_FILE), `${JSON.stringify(stamp, null, '\t')}\n`);
}
