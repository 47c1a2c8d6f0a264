import { describe, expect, it } from 'vitest';
import { createRealSendGuard, DEFAULT_REAL_SENDS_PER_HOUR, parseAllowList } from './real-send-guard.ts';

describe('real send guard', () => {
	it('allows the default 20 sends in a rolling hour, then says when to retry', () => {
		let clock = 1_000_000;
		const guard = createRealSendGuard({ now: () => clock });
		for (let i = 0; i < DEFAULT_REAL_SENDS_PER_HOUR; i++) {
			expect(guard.tryAcquire(['a@example.com'])).toEqual({ ok: true });
			clock += 60_000;
		}
		const refused = guard.tryAcquire(['a@example.com']);
		expect(refused).toMatchObject({ ok: false, reason: 'rate-limit', retryAfterMs: 40 * 60_000 });
		expect(guard.remaining()).toBe(0);
		clock += 40 * 60_000;
		expect(guard.remaining()).toBe(1);
		expect(guard.tryAcquire(['a@example.com'])).toEqual({ ok: true });
	});

	it('honours a smaller limit', () => {
		const guard = createRealSendGuard({ perHour: 1, now: () => 0 });
		expect(guard.tryAcquire(['a@example.com']).ok).toBe(true);
		const second = guard.tryAcquire(['a@example.com']);
		expect(second.ok).toBe(false);
		if (!second.ok) expect(second.message.ko).toContain('1통');
	});

	it('only sends to recipients on the allow-list, and a refusal does not use up the hour', () => {
		const guard = createRealSendGuard({ allow: '*@myschool.ac.kr, teacher@example.com', perHour: 5, now: () => 0 });
		expect(guard.tryAcquire(['kim@MySchool.ac.kr', 'teacher@example.com']).ok).toBe(true);
		const refused = guard.tryAcquire(['kim@myschool.ac.kr', 'someone@gmail.com']);
		expect(refused).toMatchObject({ ok: false, reason: 'not-allowed', recipients: ['someone@gmail.com'] });
		expect(guard.remaining()).toBe(4);
	});

	it('treats the pattern as a glob, not a regular expression', () => {
		const [pattern] = parseAllowList('*@school.ac.kr');
		expect(pattern?.test('a@school.ac.kr')).toBe(true);
		expect(pattern?.test('a@schoolXacXkr')).toBe(false);
		expect(pattern?.test('a@school.ac.kr.evil.com')).toBe(false);
		expect(parseAllowList(' , ')).toEqual([]);
	});

	it('checks room for several messages without counting them, and says when all of them fit', () => {
		let clock = 0;
		const guard = createRealSendGuard({ perHour: 3, now: () => clock });
		expect(guard.check(['a@example.com'], 3)).toEqual({ ok: true });
		expect(guard.remaining()).toBe(3);
		expect(guard.tryAcquire(['a@example.com']).ok).toBe(true);
		clock = 10 * 60_000;
		expect(guard.tryAcquire(['a@example.com']).ok).toBe(true);
		// One left: two messages must wait until the first send (at 0) ages out, 50 minutes from now.
		expect(guard.check(['a@example.com'], 2)).toMatchObject({ ok: false, reason: 'rate-limit', retryAfterMs: 50 * 60_000 });
		expect(guard.check(['a@example.com'], 1)).toEqual({ ok: true });
		expect(guard.check(['a@example.com'], 4)).toMatchObject({ ok: false, reason: 'rate-limit' });
		expect(guard.remaining()).toBe(1);
	});
});
