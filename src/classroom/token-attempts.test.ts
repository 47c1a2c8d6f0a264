import { describe, expect, it } from 'vitest';
import { TokenAttempts } from './token-attempts.ts';

describe('TokenAttempts', () => {
	it('lets an address try until it has been wrong `limit` times, then makes it wait out the window', () => {
		let now = 1_000_000;
		const attempts = new TokenAttempts({ limit: 3, windowMs: 60_000 }, () => now);
		for (let i = 0; i < 3; i++) {
			expect(attempts.waitSeconds('10.0.0.5')).toBe(0);
			attempts.wrong('10.0.0.5');
			now += 1000;
		}
		expect(attempts.waitSeconds('10.0.0.5')).toBe(57);
		// Another address is not affected.
		expect(attempts.waitSeconds('10.0.0.6')).toBe(0);
		now += 57_000;
		expect(attempts.waitSeconds('10.0.0.5')).toBe(0);
	});
});
