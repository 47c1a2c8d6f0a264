import { describe, expect, it } from 'vitest';
import { formatAddress, formatListDate, formatMoment, formatSize, isFollowableLink } from './format';

describe('formatSize', () => {
	it('keeps one decimal for small multiples and none for bytes', () => {
		expect(formatSize(512)).toBe('512 B');
		expect(formatSize(1536)).toBe('1.5 KB');
		expect(formatSize(25 * 1024 * 1024)).toBe('25 MB');
	});
});

describe('formatAddress', () => {
	it('shows the name when there is one', () => {
		expect(formatAddress({ name: 'ForumWithDjango', address: 'admin@FWD.com' })).toBe('ForumWithDjango <admin@FWD.com>');
		expect(formatAddress({ name: '', address: 'a@b.c' })).toBe('a@b.c');
		expect(formatAddress(null)).toBe('');
	});
});

describe('formatListDate', () => {
	it('shows the time for today and the date for older mail', () => {
		const now = new Date('2026-11-24T12:00:00');
		expect(formatListDate('2026-11-24T09:05:00', 'en', now)).toMatch(/9:05/);
		expect(formatListDate('2026-10-01T09:05:00', 'en', now)).toMatch(/Oct/);
		expect(formatListDate('not a date', 'en', now)).toBe('');
	});
});

describe('isFollowableLink', () => {
	it('refuses script and data URLs', () => {
		expect(isFollowableLink('https://example.com')).toBe(true);
		expect(isFollowableLink('mailto:a@b.c')).toBe(true);
		expect(isFollowableLink('javascript:alert(1)')).toBe(false);
		expect(isFollowableLink(' JAVASCRIPT:alert(1)')).toBe(false);
		expect(isFollowableLink('data:text/html,x')).toBe(false);
	});
});

describe('formatMoment', () => {
	it('writes a moment in the given language and time zone, to the minute', () => {
		const iso = '2026-12-07T11:24:43Z';
		expect(formatMoment(iso, 'ko', 'Asia/Seoul')).toBe('2026. 12. 7. 오후 8:24');
		expect(formatMoment(iso, 'en', 'UTC')).toBe('Dec 7, 2026, 11:24 AM');
	});
	it('gives back what it cannot read', () => {
		expect(formatMoment('not a date', 'en')).toBe('not a date');
	});
});
