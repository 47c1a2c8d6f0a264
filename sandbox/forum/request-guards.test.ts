import { describe, expect, it } from 'vitest';
import { CsrfTokens } from './csrf.ts';
import { RateLimiter } from '../rate-limit.ts';
import { SubmissionGuard, isSubmissionKey, newSubmissionKey } from './submission-guard.ts';

describe('CSRF tokens (signed double-submit cookie)', () => {
	const csrf = new CsrfTokens('a-secret-key-that-is-long-enough-for-tests');

	it("accepts the cookie's own token only", () => {
		const a = csrf.newCookie();
		const b = csrf.newCookie();
		const token = csrf.tokenFor(a);
		expect(csrf.check(a, token)).toBe(true);
		expect(csrf.check(b, token)).toBe(false);
		expect(csrf.check(a, `${token}x`)).toBe(false);
		expect(csrf.check(a, null)).toBe(false);
		expect(csrf.check(undefined, token)).toBe(false);
	});

	it('accepts only cookies it signed: a cookie planted by another program, with its own token, fails', () => {
		const planted = `${'A'.repeat(43)}.${'B'.repeat(43)}`;
		expect(csrf.isValidCookie(planted)).toBe(false);
		expect(csrf.check(planted, csrf.tokenFor(planted))).toBe(false);
		const real = csrf.newCookie();
		expect(csrf.isValidCookie(real)).toBe(true);
		const [nonce] = real.split('.');
		expect(csrf.isValidCookie(`${nonce}.${'x'.repeat(43)}`)).toBe(false);
		expect(csrf.isValidCookie('garbage')).toBe(false);
	});

	it('differs per SECRET_KEY', () => {
		const other = new CsrfTokens('another-secret-key-that-is-long-enough');
		const cookie = csrf.newCookie();
		expect(other.isValidCookie(cookie)).toBe(false);
		expect(other.tokenFor(cookie)).not.toBe(csrf.tokenFor(cookie));
	});
});

describe('rate limiter', () => {
	it('allows `limit` hits per window, refuses the next, and allows again once the window has moved on', () => {
		let now = 1_000_000;
		const limiter = new RateLimiter({ limit: 3, windowMs: 60_000 }, () => now);
		for (let i = 0; i < 3; i++) expect(limiter.hit('a').allowed).toBe(true);
		const refused = limiter.hit('a');
		expect(refused).toEqual({ allowed: false, retryAfterMs: 60_000 });
		expect(limiter.hit('b').allowed).toBe(true);
		now += 60_000;
		expect(limiter.hit('a').allowed).toBe(true);
	});
});

describe('submission guard', () => {
	it('runs the work once per key and hands repeats the same outcome', async () => {
		const guard = new SubmissionGuard<number>();
		let runs = 0;
		const work = async () => ++runs;
		const key = newSubmissionKey();
		const first = guard.once(key, work);
		const second = guard.once(key, work);
		expect(second.repeated).toBe(true);
		expect(await first.outcome).toBe(1);
		expect(await second.outcome).toBe(1);
		expect(await guard.once(newSubmissionKey(), work).outcome).toBe(2);
	});

	it('lets a failed submission be tried again', async () => {
		const guard = new SubmissionGuard<number>();
		const key = newSubmissionKey();
		await expect(guard.once(key, () => Promise.reject(new Error('down'))).outcome).rejects.toThrow('down');
		expect(await guard.once(key, async () => 7).outcome).toBe(7);
	});

	it('only takes well-formed keys', () => {
		expect(isSubmissionKey(newSubmissionKey())).toBe(true);
		for (const bad of ['', 'short', null, 42, 'x'.repeat(22) + '!']) expect(isSubmissionKey(bad)).toBe(false);
	});
});
