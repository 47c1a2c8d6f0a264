import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_PASSWORD_RESET_TIMEOUT,
	ResetTokenGenerator,
	base36ToInt,
	decodeUid,
	encodeUid,
	makeHashValue,
	tokenTimestamp,
	type TokenUser,
} from './django-token.ts';

/** Printed by testdata/django_reset_token.py, which asks real Django's PasswordResetTokenGenerator. */
interface FixtureCase {
	name: string;
	django: string;
	secret: string;
	pk: number;
	password: string;
	lastLogin: string | null;
	now: string;
	email: string;
	timestamp: number;
	hashValue: string;
	token: string;
	uidb64: string;
}

const SCRIPT = fileURLToPath(new URL('./testdata/django_reset_token.py', import.meta.url));

/**
 * Runs the script with the first Python that has Django: Debian's python3-django lives beside
 * /usr/bin/python3, which a pyenv or venv `python3` earlier on PATH would not see.
 */
function djangoTokens(): FixtureCase[] {
	const tried: string[] = [];
	for (const python of ['python3', '/usr/bin/python3']) {
		const run = spawnSync(python, [SCRIPT], { encoding: 'utf8', timeout: 30_000 });
		if (run.status === 0) return JSON.parse(run.stdout) as FixtureCase[];
		tried.push(`${python}: ${run.error?.message ?? run.stderr.trim().split('\n').at(-1)}`);
	}
	throw new Error(`No Python with Django found (install Debian's python3-django, as .ci/run does):\n${tried.join('\n')}`);
}

const fixture = djangoTokens();

function userOf(c: FixtureCase): TokenUser {
	return { id: c.pk, passwordHash: c.password, lastLogin: c.lastLogin === null ? null : new Date(c.lastLogin), email: c.email };
}

describe('Django password-reset tokens (made by real Django)', () => {
	it('has cases to compare, from Django 3.1 or later (today\'s algorithm)', () => {
		expect(fixture.length).toBeGreaterThanOrEqual(4);
		const [major = 0, minor = 0] = (fixture[0]?.django ?? '').split('.').map(Number);
		expect(major * 100 + minor).toBeGreaterThanOrEqual(301);
	});

	for (const c of fixture) {
		it(`matches Django for: ${c.name}`, () => {
			const now = new Date(c.now);
			expect(tokenTimestamp(now)).toBe(c.timestamp);
			expect(makeHashValue(userOf(c), c.timestamp)).toBe(c.hashValue);
			const generator = new ResetTokenGenerator({ secret: c.secret, now: () => now });
			expect(generator.makeToken(userOf(c))).toBe(c.token);
			expect(generator.checkToken(userOf(c), c.token)).toBe(true);
			expect(encodeUid(c.pk)).toBe(c.uidb64);
			expect(decodeUid(c.uidb64)).toBe(c.pk);
		});
	}
});

describe('check_token', () => {
	const user: TokenUser = { id: 3, passwordHash: 'scrypt$a', lastLogin: null, email: 'a@example.com' };
	const start = new Date('2026-12-01T10:00:00Z');

	function at(date: Date) {
		return new ResetTokenGenerator({ secret: 'k', now: () => date });
	}

	it('accepts a token until PASSWORD_RESET_TIMEOUT has passed, then refuses it', () => {
		const token = at(start).makeToken(user);
		const justInTime = new Date(start.getTime() + DEFAULT_PASSWORD_RESET_TIMEOUT * 1000);
		expect(at(justInTime).checkToken(user, token)).toBe(true);
		expect(at(new Date(justInTime.getTime() + 1000)).checkToken(user, token)).toBe(false);
	});

	it('dies when the password hash changes (single use)', () => {
		const token = at(start).makeToken(user);
		expect(at(start).checkToken({ ...user, passwordHash: 'scrypt$b' }, token)).toBe(false);
	});

	it('dies when the user logs in', () => {
		const token = at(start).makeToken(user);
		expect(at(start).checkToken({ ...user, lastLogin: new Date(start.getTime() + 5000) }, token)).toBe(false);
	});

	it('dies when the email changes', () => {
		const token = at(start).makeToken(user);
		expect(at(start).checkToken({ ...user, email: 'b@example.com' }, token)).toBe(false);
	});

	it('refuses a token made for another user', () => {
		const token = at(start).makeToken(user);
		expect(at(start).checkToken({ ...user, id: 4 }, token)).toBe(false);
	});

	it('refuses a token signed with another secret', () => {
		const token = at(start).makeToken(user);
		expect(new ResetTokenGenerator({ secret: 'other', now: () => start }).checkToken(user, token)).toBe(false);
	});

	it('refuses tampered tokens: changed hash, moved timestamp, malformed', () => {
		const token = at(start).makeToken(user);
		const [ts, hash] = token.split('-') as [string, string];
		const flipped = hash.slice(0, -1) + (hash.endsWith('0') ? '1' : '0');
		const check = at(start);
		expect(check.checkToken(user, `${ts}-${flipped}`)).toBe(false);
		expect(check.checkToken(user, `${(base36ToInt(ts)! + 1000).toString(36)}-${hash}`)).toBe(false);
		for (const bad of ['', '-', ts, `${ts}-${hash}-x`, `${ts.toUpperCase()}-${hash}`, `zzzzzzzzzzzzzz-${hash}`]) {
			expect(check.checkToken(user, bad)).toBe(false);
		}
		expect(check.checkToken(null, token)).toBe(false);
	});

	it('decodes only canonical uidb64 values', () => {
		expect(decodeUid('MQ')).toBe(1);
		for (const bad of ['', 'MQ==', 'MA', 'LTE', 'YWJj', '!!', 'MDE']) expect(decodeUid(bad)).toBeNull();
	});
});
