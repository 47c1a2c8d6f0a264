import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountStore } from './account-store.ts';
import { SessionStore } from './session-store.ts';

let dataDir: string;
beforeEach(async () => {
	dataDir = await mkdtemp(join(tmpdir(), 'postlab-forum-stores-'));
});
afterEach(async () => {
	await rm(dataDir, { recursive: true, force: true });
});

describe('account store', () => {
	it('keeps accounts across a reopen, with owner-only permissions and no temp files left', async () => {
		const store = await AccountStore.open(dataDir);
		const a = await store.create({ username: 'minji', email: 'Minji@Example.com', passwordHash: 'scrypt$x' }, new Date('2026-12-01T00:00:00Z'));
		await store.setLastLogin(a.id, new Date('2026-12-01T01:02:03.456Z'));
		await store.setPasswordHash(a.id, 'scrypt$y');

		const reopened = await AccountStore.open(dataDir);
		expect(reopened.byId(a.id)).toEqual({ ...a, passwordHash: 'scrypt$y', lastLogin: '2026-12-01T01:02:03.456Z' });
		const path = join(dataDir, 'forum', 'accounts.json');
		expect((await stat(path)).mode & 0o777).toBe(0o600);
		expect((await readdir(join(dataDir, 'forum'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
	});

	it('gives concurrent sign-ups distinct ids and loses none of them', async () => {
		const store = await AccountStore.open(dataDir);
		const made = await Promise.all(
			Array.from({ length: 20 }, (_, i) => store.create({ username: `u${i}`, email: `u${i}@example.com`, passwordHash: 'h' }, new Date())),
		);
		expect(new Set(made.map((a) => a.id)).size).toBe(20);
		expect((await AccountStore.open(dataDir)).size).toBe(20);
	});

	it('finds accounts by email case-insensitively and by username exactly', async () => {
		const store = await AccountStore.open(dataDir);
		await store.create({ username: 'Minji', email: 'minji@example.com', passwordHash: 'h' }, new Date());
		expect(store.byEmail('MINJI@example.COM').map((a) => a.username)).toEqual(['Minji']);
		expect(store.byEmail('other@example.com')).toEqual([]);
		expect(store.byUsername('minji')).toBeNull();
		expect(store.usernameTaken('minji')).toBe(true);
	});

	it('refuses to start on a corrupted file rather than silently emptying it', async () => {
		const store = await AccountStore.open(dataDir);
		await store.create({ username: 'a', email: 'a@example.com', passwordHash: 'h' }, new Date());
		const path = join(dataDir, 'forum', 'accounts.json');
		const { writeFile } = await import('node:fs/promises');
		await writeFile(path, '{"version":1,"nextId":');
		await expect(AccountStore.open(dataDir)).rejects.toThrow(/not a valid forum data file/);
	});
});

describe('session store', () => {
	it('keeps sessions across a reopen and stores only hashes of their ids', async () => {
		const store = await SessionStore.open(dataDir);
		const id = await store.create({ userId: 3, authHash: 'a' });
		await store.update(id, { flash: 'hello' });
		const reopened = await SessionStore.open(dataDir);
		expect(reopened.get(id)).toMatchObject({ userId: 3, authHash: 'a', flash: 'hello' });
		expect(await readFile(join(dataDir, 'forum', 'sessions.json'), 'utf8')).not.toContain(id);
	});

	it('gives a new id on rotate and forgets the old one', async () => {
		const store = await SessionStore.open(dataDir);
		const before = await store.create({ resetToken: { uidb64: 'MQ', token: 't' } });
		const after = await store.rotate(before, { userId: 1 });
		expect(after).not.toBe(before);
		expect(store.get(before)).toBeNull();
		expect(store.get(after)).toMatchObject({ userId: 1, resetToken: { uidb64: 'MQ', token: 't' } });
	});

	it('ends sessions at their expiry', async () => {
		let now = new Date('2026-12-01T00:00:00Z');
		const store = await SessionStore.open(dataDir, () => now);
		const id = await store.create();
		now = new Date(now.getTime() + 24 * 3600 * 1000 + 1);
		expect(store.get(id)).toBeNull();
		expect(store.get(undefined)).toBeNull();
	});

	it('keeps a half-done reset when a crowd of new sessions passes the cap: plain anonymous ones go first, then logged-in ones', async () => {
		let now = new Date('2026-12-01T00:00:00Z');
		const store = await SessionStore.open(dataDir, { now: () => now, maxSessions: 10, resetLinkLifetimeMs: 3 * 24 * 3600 * 1000 });
		const reset = await store.create({ resetToken: { uidb64: 'MQ', token: 't' } });
		const member = await store.create({ userId: 1, authHash: 'a' });
		const crowd: string[] = [];
		for (let n = 0; n < 30; n++) {
			now = new Date(now.getTime() + 1000);
			crowd.push(await store.create({ flash: `notice ${n}` }));
		}
		expect(store.size).toBe(10);
		expect(store.get(reset)).toMatchObject({ resetToken: { uidb64: 'MQ', token: 't' } });
		expect(store.get(member)).toMatchObject({ userId: 1 });
		// Oldest first among the plain anonymous ones.
		expect(store.get(crowd[0])).toBeNull();
		expect(store.get(crowd.at(-1))).not.toBeNull();
		// The reset session lives as long as the link, not the anonymous day.
		now = new Date(now.getTime() + 2 * 24 * 3600 * 1000);
		expect(store.get(reset)).not.toBeNull();
		expect(store.get(crowd.at(-1))).toBeNull();
	});
});
