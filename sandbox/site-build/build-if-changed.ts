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
import { siteBuildState, type SiteBuildState } from './site-build-state.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What a build takes on a laptop, said before the first one (later ones quote the previous build). */
const FIRST_BUILD_ESTIMATE_MS = 15_000;

const lang = logLanguage();

function seconds(ms: number): string {
	return ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000));
}

function reason(state: Exclude<SiteBuildState, { kind: 'current' }>): string {
	if (state.kind === 'missing') return lang === 'ko' ? '아직 빌드가 없음' : 'no build yet';
	const [first] = state.changes;
	const more = state.changes.length - 1;
	if (lang === 'ko') return `${first}${more > 0 ? ` 외 ${more}개` : ''} 바뀜`;
	return `${first}${more > 0 ? ` and ${more} more` : ''} changed`;
}

const state = await siteBuildState(ROOT);
if (state.kind === 'current') {
	console.log(lang === 'ko' ? '사이트: 바뀐 것이 없어 빌드 없이 시작합니다.' : 'Site: up to date, starting without a build.');
	process.exit(0);
}

const estimate = seconds(state.kind === 'changed' ? state.stamp.durationMs : FIRST_BUILD_ESTIMATE_MS);
process.stdout.write(
	lang === 'ko'
		? `사이트: 빌드하는 중(${reason(state)}), 약 ${estimate}초… `
		: `Site: building (${reason(state)}), about ${estimate} s… `,
);

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
	console.log(lang === 'ko' ? `${took}초 만에 끝남.` : `done in ${took} s.`);
} else {
	console.log('');
	process.stderr.write(output);
	console.error(
		lang === 'ko'
			? `사이트를 빌드하지 못했습니다(astro build, 종료 코드 ${code}). 위 출력이 원인을 말합니다.`
			: `The site did not build (astro build exited with ${code}); the output above says why.`,
	);
	process.exit(code);
}
