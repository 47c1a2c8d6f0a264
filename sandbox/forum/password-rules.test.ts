import { describe, expect, it } from 'vitest';
import { checkPassword, quickRatio } from './password-rules.ts';

const owner = { username: 'minji', email: 'minji.kim@example.com' };
const codes = (password: string, who = owner) => checkPassword(password, who).map((p) => p.code);

describe("Django's default password validators", () => {
	it('accepts a decent password', () => {
		expect(codes('tulip-orbit-58')).toEqual([]);
	});

	it('refuses fewer than 8 characters', () => {
		expect(checkPassword('ab3$xyz', owner)).toContainEqual({ code: 'password_too_short', minLength: 8 });
		expect(codes('ab3$xyzw')).toEqual([]);
	});

	it('refuses entirely numeric passwords', () => {
		expect(codes('48151623429')).toEqual(['password_entirely_numeric']);
	});

	it('refuses common passwords in any letter case', () => {
		expect(codes('Password123')).toEqual(['password_too_common']);
		expect(codes(' qwertyuiop ')).toContain('password_too_common');
	});

	it('refuses passwords too similar to the username or the email', () => {
		expect(checkPassword('minji1234', owner)).toContainEqual({ code: 'password_too_similar', attribute: 'username' });
		expect(checkPassword('kim.example', { username: 'zz', email: owner.email })).toContainEqual({ code: 'password_too_similar', attribute: 'email' });
	});

	it("matches difflib's quick_ratio", () => {
		// SequenceMatcher(a='abcd', b='bcde').quick_ratio() == 0.75; ('A', 'A'*10) == 2/11.
		expect(quickRatio('abcd', 'bcde')).toBe(0.75);
		expect(quickRatio('A', 'A'.repeat(10))).toBeCloseTo(0.18181818181818182, 15);
	});
});
