/**
 * `npm start`'s first step (the `prestart` script): builds the site only when there is no complete build
 * or an input changed since the last one, and says which in one line. A learner restarts Postlab every
 * class; an unchanged checkout should not wait for `astro build` each time. `npm run build` still builds
 * unconditionally.
 *
 * Astro's own output is kept back while it builds (it is long, and nothing in it is for a learner) and
 * printed in full only if the build fails.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logLanguage } from '../log-language.ts';
import { message } from '../i18n/messages.ts';
import { siteBuildState, type SiteBuildState } from './site-build-state.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What a build takes on a laptop, said before the first one (later ones quote the previous build). */
const FIRST_BUILD_ESTIMATE_MS = 15_000;

const lang = logLanguage();

function seconds(ms: number): string {
	return ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000));
}

function reason(state: Exclude<SiteBuildState, { kind: 'current' }>): string {
	if (state.kind === 'missing') return message(lang, 'siteBuild.missing');
	const [first] = state.changes;
	const more = state.changes.length - 1;
	return more > 0 ? message(lang, 'siteBuild.changedMore', { first: first ?? '', more }) : message(lang, 'siteBuild.changed', { first: first ?? '' });
}

const state = await siteBuildState(ROOT);
if (state.kind === 'current') {
	console.log(message(lang, 'siteBuild.current'));
	process.exit(0);
}

const estimate = seconds(state.kind === 'changed' ? state.stamp.durationMs : FIRST_BUILD_ESTIMATE_MS);
process.stdout.write(message(lang, 'siteBuild.building', { reason: reason(state), seconds: estimate }));

const astroPackage = fileURLToPath(import.meta.resolve('astro/package.json'));
const started = performance.now();
// process.execPath: the Node running this script (the project's own, under npm scripts) runs Astro too.
const child = spawn(process.execPath, [join(dirname(astroPackage), 'bin/astro.mjs'), 'build'], {
	cwd: ROOT,
	stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
const code = await new Promise<number>((resolve) => {
	child.once('error', (error) => {
		output += `${error.message}\n`;
		resolve(1);
	});
	child.once('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
});

if (code === 0) {
	const took = seconds(performance.now() - started);
	console.log(message(lang, 'siteBuild.done', { seconds: took }));
} else {
	console.log('');
	process.stderr.write(output);
	console.error(message(lang, 'siteBuild.failed', { code: String(code) }));
	process.exit(code);
}
