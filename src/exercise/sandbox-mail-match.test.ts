import { describe, expect, it } from 'vitest';
import { composePasswordChangedEmail, composeResetEmail } from '../../sandbox/forum/reset-email.ts';
import {
	arrivedSince,
	isResetSubject,
	judgeDetail,
	judgeSummary,
	needsDetail,
	parseRequirement,
	serverCutoff,
	type ArrivedDetail,
	type ArrivedMail,
} from './sandbox-mail-match.ts';

const mail = (id: string, subject: string, receivedAt: string): ArrivedMail => ({ id, subject, receivedAt });

function detail(overrides: Partial<ArrivedDetail['session']> & { to?: string[] } = {}): ArrivedDetail {
	const { to = ['everyone@fwd.example'], ...session } = overrides;
	return {
		id: 'm1',
		subject: 'Envelope and letter',
		receivedAt: '2026-12-01T12:00:00Z',
		to: to.map((address) => ({ address })),
		session: { tls: 'starttls', envelope: { rcptTo: ['me@example.com'] }, ...session },
	};
}

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

describe('requirements', () => {
	it('reads the requirement from the page, defaulting to any', () => {
		expect(parseRequirement('envelope-differs')).toBe('envelope-differs');
		expect(parseRequirement(undefined)).toBe('any');
		expect(parseRequirement('whatever')).toBe('any');
	});

	it('asks for the detail only where the summary cannot tell', () => {
		expect(needsDetail('any')).toBe(false);
		expect(needsDetail('reset')).toBe(false);
		expect(needsDetail('envelope-differs')).toBe(true);
		expect(needsDetail('encrypted-login')).toBe(true);
		expect(needsDetail('sent-for-real')).toBe(true);
	});

	it('lets any message satisfy "any", and only the reset email satisfy "reset"', () => {
		expect(judgeSummary(mail('a', '', '2026-12-01T12:00:00Z'), 'any')).toEqual({ ok: true });
		expect(judgeSummary(mail('a', 'hi', '2026-12-01T12:00:00Z'), 'reset')).toEqual({ ok: false, why: 'not-reset' });
	});
});

describe('envelope-differs', () => {
	it('passes when RCPT TO names someone the To header does not', () => {
		expect(judgeDetail(detail(), 'envelope-differs')).toEqual({ ok: true });
		// Bcc: the header names one, the envelope two.
		expect(judgeDetail(detail({ to: ['a@x.example'], envelope: { rcptTo: ['a@x.example', 'b@x.example'] } }), 'envelope-differs')).toEqual({ ok: true });
	});

	it('fails when they agree, and says what it saw, ignoring case, brackets and order', () => {
		const verdict = judgeDetail(detail({ to: ['Me@Example.com', 'you@example.com'], envelope: { rcptTo: ['<you@example.com>', 'me@example.com'] } }), 'envelope-differs');
		expect(verdict).toEqual({ ok: false, why: 'envelope-same', envelope: ['me@example.com', 'you@example.com'], header: ['me@example.com', 'you@example.com'] });
	});
});

describe('encrypted-login', () => {
	it('wants TLS and AUTH, as on hop 1 to Gmail', () => {
		expect(judgeDetail(detail({ auth: { mechanism: 'PLAIN', user: 'me' } }), 'encrypted-login')).toEqual({ ok: true });
		expect(judgeDetail(detail({ tls: 'implicit', auth: { mechanism: 'LOGIN', user: 'me' } }), 'encrypted-login')).toEqual({ ok: true });
		expect(judgeDetail(detail({ tls: 'none', auth: { mechanism: 'PLAIN', user: 'me' } }), 'encrypted-login')).toEqual({ ok: false, why: 'plain' });
		expect(judgeDetail(detail(), 'encrypted-login')).toEqual({ ok: false, why: 'no-login' });
	});
});

describe('sent-for-real', () => {
	const relay = { host: 'smtp.gmail.com', port: 587, reply: '250 2.0.0 OK 1700000000 a1b2c3 - gsmtp' };
	it("wants Postlab's outbound copy that the real server accepted", () => {
		expect(judgeDetail(detail({ direction: 'outbound', relay }), 'sent-for-real')).toEqual({ ok: true });
		expect(judgeDetail(detail(), 'sent-for-real')).toEqual({ ok: false, why: 'not-outbound' });
		expect(judgeDetail(detail({ direction: 'inbound' }), 'sent-for-real')).toEqual({ ok: false, why: 'not-outbound' });
		expect(judgeDetail(detail({ direction: 'outbound', relay: { ...relay, reply: '550 5.4.5 Daily user sending limit exceeded' } }), 'sent-for-real')).toEqual({
			ok: false,
			why: 'refused',
			reply: '550 5.4.5 Daily user sending limit exceeded',
		});
	});
});

describe('arrivedSince', () => {
	const since = Date.parse('2026-12-01T12:00:00Z');
	const messages = [
		mail('new-reset', 'Password reset on forum', '2026-12-01T12:05:00Z'),
		mail('new-other', 'Hello', '2026-12-01T12:01:00Z'),
		mail('old-reset', 'Password reset on forum', '2026-12-01T11:59:59Z'),
	];

	it('drops messages from before the lesson was opened and puts the earliest first', () => {
		expect(arrivedSince(messages, since).map((m) => m.id)).toEqual(['new-other', 'new-reset']);
		expect(arrivedSince(messages, Date.parse('2026-12-01T12:06:00Z'))).toEqual([]);
		expect(arrivedSince([], since)).toEqual([]);
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
