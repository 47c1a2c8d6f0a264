import { mkdir, mkdtemp, rm, writeFile, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprintInputs } from './build-inputs.ts';
import { writeBuildStamp } from './build-stamp.ts';
import { siteBuildState } from './site-build-state.ts';

let root = '';

async function put(path: string, content: string): Promise<void> {
	await mkdir(join(root, path, '..'), { recursive: true });
	await writeFile(join(root, path), content);
}

/** What a finished build leaves: the server entry and a stamp of the inputs as they are now. */
async function build(): Promise<void> {
	await put('dist/server/entry.mjs', 'export const handler = () => {};');
	await writeBuildStamp(join(root, 'dist'), { inputs: await fingerprintInputs(root), durationMs: 12_345 });
}

beforeEach(async () => {
	root = await mkdtemp(join(tmpdir(), 'postlab-site-build-'));
	await put('src/pages/index.astro', '<h1>Postlab</h1>');
	await put('content/lessons/ko/what-is-smtp.mdx', '# SMTP');
	await put('sandbox/smtp/capture-server.ts', 'export {};');
	await put('sandbox/smtp/capture-server.test.ts', 'test');
	await put('package-lock.json', '{}');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('siteBuildState', () => {
	it('is missing before the first build, and when a build stopped before its stamp', async () => {
		expect(await siteBuildState(root)).toEqual({ kind: 'missing' });
		await put('dist/server/entry.mjs', '');
		expect(await siteBuildState(root)).toEqual({ kind: 'missing' });
		// Or one cut off while writing it.
		await put('dist/postlab-build.json', '{"inputs": {');
		expect(await siteBuildState(root)).toEqual({ kind: 'missing' });
	});

	it('is missing when the stamp is there but the server entry is not', async () => {
		await build();
		await rm(join(root, 'dist/server'), { recursive: true });
		expect((await siteBuildState(root)).kind).toBe('missing');
	});

	it('is current right after a build, and keeps the build time for the next estimate', async () => {
		await build();
		const state = await siteBuildState(root);
		expect(state.kind).toBe('current');
		expect(state.kind === 'current' && state.stamp.durationMs).toBe(12_345);
	});

	it('names a changed, an added and a removed input', async () => {
		await build();
		await put('content/lessons/ko/what-is-smtp.mdx', '# SMTP, 바뀜');
		await put('src/components/New.astro', '<p/>');
		await rm(join(root, 'sandbox/smtp/capture-server.ts'));
		const state = await siteBuildState(root);
		expect(state.kind === 'changed' && state.changes).toEqual([
			'content/lessons/ko/what-is-smtp.mdx',
			'sandbox/smtp/capture-server.ts',
			'src/components/New.astro',
		]);
	});

	it('goes by content: a rewritten but identical lockfile or a touched file is no change', async () => {
		await build();
		await put('package-lock.json', '{}');
		const later = new Date(Date.now() + 60_000);
		await utimes(join(root, 'src/pages/index.astro'), later, later);
		expect((await siteBuildState(root)).kind).toBe('current');
	});

	it('ignores tests, which the site never bundles', async () => {
		await build();
		await put('sandbox/smtp/capture-server.test.ts', 'a different test');
		await put('sandbox/forum/testdata/tokens.json', '[]');
		expect((await siteBuildState(root)).kind).toBe('current');
	});
});
