import { describe, expect, it } from 'vitest';
import { CsrfTokens } from './csrf.ts';
import { RateLimiter } from './rate-limit.ts';
import { SubmissionGuard, isSubmissionKey, newSubmissionKey } from './submission-guard.ts';

describe('CSRF tokens', () => {
	const csrf = new CsrfTokens('a-secret-key-that-is-long-enough-for-tests');

	it("accepts the session's own token only", () => {
		const token = csrf.tokenFor('session-a');
		expect(csrf.check('session-a', token)).toBe(true);
		expect(csrf.check('session-b', token)).toBe(false);
		expect(csrf.check('session-a', `${token}x`)).toBe(false);
		expect(csrf.check('session-a', null)).toBe(false);
		expect(csrf.check(undefined, token)).toBe(false);
	});

	it('differs per SECRET_KEY', () => {
		expect(new CsrfTokens('another-secret-key-that-is-long-enough').tokenFor('s')).not.toBe(csrf.tokenFor('s'));
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
