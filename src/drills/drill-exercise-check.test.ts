import { describe, expect, it } from 'vitest';
import type { DrillRefusal } from '../../sandbox/drills/drill-switch.ts';
import { judgeDrillExercise, type DeliveredCandidate } from './drill-exercise-check.ts';

const since = Date.parse('2026-12-07T10:00:00Z');
const refusal = (at: string, extra: Partial<DrillRefusal> = {}): DrillRefusal => ({
	seq: 1,
	drill: 'wrong-app-password',
	mailbox: 'default',
	step: 'auth',
	reply: '535 5.7.8 Username and Password not accepted.',
	at,
	transcript: [],
	classWide: false,
	user: 'me@gmail.com',
	...extra,
});
const message = (receivedAt: string, extra: Partial<DeliveredCandidate> = {}): DeliveredCandidate => ({
	id: 'm1',
	subject: 'Password reset on 127.0.0.1:8000',
	receivedAt,
	authUser: 'me@gmail.com',
	...extra,
});

describe('the try-the-reset drill exercise', () => {
	it('waits for a wrong-app-password refusal at AUTH made after checking started', () => {
		expect(judgeDrillExercise([], [], since)).toEqual({ state: 'need-refusal' });
		expect(judgeDrillExercise([refusal('2026-12-07T09:59:00Z')], [], since).state).toBe('need-refusal');
		expect(judgeDrillExercise([refusal('2026-12-07T10:01:00Z', { drill: 'daily-limit', step: 'mail' })], [], since).state).toBe('need-refusal');
	});

	it('then waits for a reset email from the same login, delivered after the refusal', () => {
		const refused = refusal('2026-12-07T10:01:00Z');
		const early = message('2026-12-07T10:00:30Z');
		const otherLogin = message('2026-12-07T10:02:00Z', { authUser: 'someone@else.example' });
		const noLogin = message('2026-12-07T10:02:00Z', { authUser: null });
		const notReset = message('2026-12-07T10:02:00Z', { subject: 'hello' });
		expect(judgeDrillExercise([refused], [early, otherLogin, noLogin, notReset], since)).toEqual({ state: 'need-delivery', refusal: refused });
		const good = message('2026-12-07T10:02:00Z', { id: 'm2' });
		expect(judgeDrillExercise([refused], [early, good], since)).toEqual({ state: 'passed', refusal: refused, message: good });
	});

	it('passes on the Korean reset subject too', () => {
		const refused = refusal('2026-12-07T10:01:00Z');
		const korean = message('2026-12-07T10:02:00Z', { subject: '127.0.0.1:8000의 비밀번호 재설정' });
		expect(judgeDrillExercise([refused], [korean], since).state).toBe('passed');
	});
});
