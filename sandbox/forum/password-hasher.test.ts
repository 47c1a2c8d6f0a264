import { describe, expect, it } from 'vitest';
import { PasswordHasher, isUsablePasswordHash } from './password-hasher.ts';

/** Cheaper than Django's N = 2^14 so the suite stays quick; the format and code path are the same. */
const hasher = new PasswordHasher({ cost: 1024, blockSize: 8, parallelism: 1 });

describe('scrypt password hasher', () => {
	it("writes Django's scrypt layout and verifies the right password only", async () => {
		const encoded = await hasher.hash('correct horse battery');
		expect(encoded).toMatch(/^scrypt\$1024\$[A-Za-z0-9_-]{22}\$8\$1\$[A-Za-z0-9+/]{86}==$/);
		expect(await hasher.verify('correct horse battery', encoded)).toBe(true);
		expect(await hasher.verify('correct horse batterY', encoded)).toBe(false);
	});

	it('salts every hash, so one password hashes differently each time', async () => {
		const [a, b] = await Promise.all([hasher.hash('same password'), hasher.hash('same password')]);
		expect(a).not.toBe(b);
		expect(await hasher.verify('same password', b)).toBe(true);
	});

	it('uses the parameters stored in the hash, not the current ones', async () => {
		const old = await new PasswordHasher({ cost: 512, blockSize: 4, parallelism: 2 }).hash('kept across upgrades');
		expect(await hasher.verify('kept across upgrades', old)).toBe(true);
	});

	it('treats malformed or unusable hashes as a failed match, not a crash', async () => {
		for (const bad of ['', '!', '!unusable', 'pbkdf2_sha256$1$a$b', 'scrypt$1000$salt$8$1$aGFzaA==', 'scrypt$1024$salt$8$1$']) {
			expect(await hasher.verify('x', bad)).toBe(false);
			expect(isUsablePasswordHash(bad)).toBe(false);
		}
		expect(await hasher.verifyNothing('anything')).toBe(false);
	});

	it('hashes Unicode passwords in NFKC, so the same typed password matches from any input method', async () => {
		const encoded = await hasher.hash('비밀번호１２３');
		expect(await hasher.verify('비밀번호123', encoded)).toBe(true);
	});
});
