import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecretKey } from './secret-key.ts';

let dataDir: string;
beforeEach(async () => {
	dataDir = await mkdtemp(join(tmpdir(), 'postlab-forum-secret-'));
});
afterEach(async () => {
	await rm(dataDir, { recursive: true, force: true });
});

describe('forum SECRET_KEY', () => {
	it('makes a key once per installation, keeps it owner-only, and reuses it after a restart', async () => {
		const first = await loadOrCreateSecretKey({ env: {}, dataDir });
		expect(first.source).toBe('created');
		expect(first.value).toHaveLength(50);
		expect((await stat(first.path!)).mode & 0o777).toBe(0o600);
		const again = await loadOrCreateSecretKey({ env: {}, dataDir });
		expect(again).toEqual({ value: first.value, source: 'file', path: first.path });
		expect((await loadOrCreateSecretKey({ env: {}, dataDir: await mkdtemp(join(tmpdir(), 'postlab-forum-secret-')) })).value).not.toBe(first.value);
	});

	it('gives installations starting at once the same stored key, and leaves no draft behind', async () => {
		const keys = await Promise.all(Array.from({ length: 12 }, () => loadOrCreateSecretKey({ env: {}, dataDir })));
		expect(new Set(keys.map((key) => key.value)).size).toBe(1);
		expect(keys.filter((key) => key.source === 'created')).toHaveLength(1);
		expect(await readdir(join(dataDir, 'forum'))).toEqual(['secret-key']);
	});

	it('prefers SECRET_KEY from the environment and refuses a short one', async () => {
		const key = 'k'.repeat(40);
		expect(await loadOrCreateSecretKey({ env: { SECRET_KEY: key }, dataDir })).toEqual({ value: key, source: 'env', path: null });
		await expect(loadOrCreateSecretKey({ env: { SECRET_KEY: 'short' }, dataDir })).rejects.toThrow(/at least 32/);
	});
});
