import { readFileSync } from 'node:fs';
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

/** Written by testdata/django_reset_token.py, which follows Django's published source with hashlib/hmac only. */
interface FixtureCase {
	name: string;
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

const fixture = JSON.parse(
	readFileSync(new URL('./testdata/django-reset-tokens.json', import.meta.url), 'utf8'),
) as FixtureCase[];

function userOf(c: FixtureCase): TokenUser {
	return { id: c.pk, passwordHash: c.password, lastLogin: c.lastLogin === null ? null : new Date(c.lastLogin), email: c.email };
}

describe('Django password-reset tokens (fixture from Python)', () => {
	it('has cases to compare', () => {
		expect(fixture.length).toBeGreaterThanOrEqual(4);
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
