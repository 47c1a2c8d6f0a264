/**
 * The build this run tests (made by `npm test` just before) is one `npm start` would serve without
 * building again: the stamp Astro's build leaves matches the inputs as they are, so the build writes
 * none of its own inputs, and the prestart check says so in its one line. In the browser project
 * because it needs the built site; it needs no browser.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { siteBuildState } from '../../sandbox/site-build/site-build-state.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('npm start after a build', () => {
	it('finds the build current and starts without building', async () => {
		const state = await siteBuildState(ROOT);
		// On failure the changed inputs are in the diff: a build older than the sources it is tested with.
		expect(state).toMatchObject({ kind: 'current' });
		const { stdout } = await promisify(execFile)(process.execPath, ['sandbox/site-build/build-if-changed.ts'], {
			cwd: ROOT,
			env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' },
		});
		expect(stdout).toBe('Site: up to date, starting without a build.\n');
	});
});
