import { describe, expect, it } from 'vitest';
import { composePasswordChangedEmail, composeResetEmail } from '../../sandbox/forum/reset-email.ts';
import {
	firstSatisfying,
	isResetSubject,
	mailRequirementFor,
	satisfiesMailCheck,
	serverCutoff,
	type ArrivedMail,
} from './sandbox-mail-match.ts';

const mail = (id: string, subject: string, receivedAt: string): ArrivedMail => ({ id, subject, receivedAt });

describe('isResetSubject', () => {
	it("accepts the forum's reset email in both languages and Django's own subjects", () => {
		for (const lang of ['ko', 'en'] as const) {
			const { subject } = composeResetEmail({ lang, siteName: 'ForumWithDjango', resetUrl: 'http://x/reset/a/b/', username: 'u' });
			expect(isResetSubject(subject)).toBe(true);
		}
		expect(isResetSubject('Password reset on 127.0.0.1:8000')).toBe(true);
		expect(isResetSubject('127.0.0.1:8000의 비밀번호 재설정')).toBe(true);
	});

	it('refuses the "password changed" email and other mail', () => {
		for (const lang of ['ko', 'en'] as const) {
			const { subject } = composePasswordChangedEmail({ lang, siteName: 'ForumWithDjango', username: 'u', passwordResetUrl: 'http://x/' });
			expect(isResetSubject(subject)).toBe(false);
		}
		expect(isResetSubject('Hello from smtplib')).toBe(false);
		expect(isResetSubject('Re: Password reset on forum')).toBe(false);
		expect(isResetSubject('')).toBe(false);
	});
});

describe('mailRequirementFor', () => {
	it('asks for the reset email only where the exercise is the reset email', () => {
		expect(mailRequirementFor('try-the-reset')).toBe('reset');
		expect(mailRequirementFor('django-environ')).toBe('reset');
		expect(mailRequirementFor('what-is-smtp')).toBe('any');
		expect(mailRequirementFor('journey-of-a-reset-email')).toBe('any');
	});

	it('lets any message satisfy an "any" check', () => {
		expect(satisfiesMailCheck(mail('a', '', '2026-12-01T12:00:00Z'), 'any')).toBe(true);
		expect(satisfiesMailCheck(mail('a', 'hi', '2026-12-01T12:00:00Z'), 'reset')).toBe(false);
	});
});

describe('firstSatisfying', () => {
	const since = Date.parse('2026-12-01T12:00:00Z');
	const messages = [
		mail('new-reset', 'Password reset on forum', '2026-12-01T12:05:00Z'),
		mail('new-other', 'Hello', '2026-12-01T12:01:00Z'),
		mail('old-reset', 'Password reset on forum', '2026-12-01T11:59:59Z'),
	];

	it('ignores messages that arrived before the lesson was opened', () => {
		expect(firstSatisfying(messages, 'reset', since)?.id).toBe('new-reset');
		expect(firstSatisfying(messages, 'reset', Date.parse('2026-12-01T12:06:00Z'))).toBeNull();
	});

	it('takes the earliest fitting arrival', () => {
		expect(firstSatisfying(messages, 'any', since)?.id).toBe('new-other');
	});

	it('finds nothing in an empty inbox', () => {
		expect(firstSatisfying([], 'any', since)).toBeNull();
	});
});

describe('serverCutoff', () => {
	it("moves the opening time onto the server's clock", () => {
		const opened = Date.parse('2026-12-01T12:00:00Z');
		const now = opened + 30_000;
		// The server's clock is 60 s ahead of the browser's.
		expect(serverCutoff(opened, now, new Date(now + 60_000).toUTCString())).toBe(opened + 60_000);
	});

	it('keeps the browser time without a usable Date header', () => {
		expect(serverCutoff(1000, 5000, null)).toBe(1000);
		expect(serverCutoff(1000, 5000, 'yesterday-ish')).toBe(1000);
	});
});
