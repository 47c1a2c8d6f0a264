/**
 * Leaves a stamp beside every finished `astro build` (however it was started: `npm run build`, `npm test`,
 * `npx astro build`, or `npm start` when it builds) so that `npm start` can tell an up-to-date build from
 * a stale one (sandbox/site-build/). The inputs are fingerprinted when Astro sets up its config, before
 * it reads any lesson or source, so a file edited during the build differs from the stamp.
 * Node-only: runs in the build, never in the browser.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { fingerprintInputs, type InputFingerprint } from '../../sandbox/site-build/build-inputs.ts';
import { writeBuildStamp } from '../../sandbox/site-build/build-stamp.ts';

export function buildStamp(): AstroIntegration {
	let startedAt = 0;
	let inputs: InputFingerprint | undefined;
	let outDir: URL | undefined;
	return {
		name: 'postlab:build-stamp',
		hooks: {
			'astro:config:setup': async ({ command, config }) => {
				if (command !== 'build') return;
				startedAt = performance.now();
				inputs = await fingerprintInputs(fileURLToPath(config.root));
				outDir = config.outDir;
			},
			'astro:build:done': async () => {
				if (!inputs || !outDir) return;
				await writeBuildStamp(fileURLToPath(outDir), { inputs, durationMs: performance.now() - startedAt });
			},
		},
	};
}
