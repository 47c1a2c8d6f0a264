import { describe, expect, it } from 'vitest';
import { fetchCommand, newestFetch, type MailReadSession } from './fetch-check.ts';

const session = (protocol: 'pop3' | 'imap', lines: string[], id = 's1'): MailReadSession => ({
	id,
	protocol,
	localPort: protocol === 'pop3' ? 2995 : 2993,
	tls: 'implicit',
	user: 'student',
	startedAt: '2026-12-01T12:00:00.000Z',
	endedAt: '2026-12-01T12:00:01.000Z',
	entries: lines.map((line) => ({ from: line.startsWith('S: ') ? ('server' as const) : ('client' as const), line: line.replace(/^[CS]: /, '') })),
});

describe('fetchCommand', () => {
	it('finds RETR and TOP in POP3, not LIST or a login', () => {
		expect(fetchCommand(session('pop3', ['USER student', 'PASS [redacted]', 'STAT', 'RETR 2', 'QUIT']))).toBe('RETR 2');
		expect(fetchCommand(session('pop3', ['USER student', 'TOP 1 0']))).toBe('TOP 1 0');
		expect(fetchCommand(session('pop3', ['USER student', 'PASS [redacted]', 'LIST', 'UIDL', 'QUIT']))).toBeNull();
		// A server line that happens to look like a command does not count.
		expect(fetchCommand(session('pop3', ['S: RETR 1']))).toBeNull();
	});

	it('finds IMAP fetches of content, plain or UID, and ignores flag-only fetches', () => {
		expect(fetchCommand(session('imap', ['a1 LOGIN student [redacted]', 'a2 EXAMINE INBOX', 'a3 FETCH 3 (BODY.PEEK[])']))).toBe('a3 FETCH 3 (BODY.PEEK[])');
		expect(fetchCommand(session('imap', ['a3 UID FETCH 7 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])']))).toBe('a3 UID FETCH 7 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])');
		expect(fetchCommand(session('imap', ['a3 fetch 1 rfc822']))).toBe('a3 fetch 1 rfc822');
		expect(fetchCommand(session('imap', ['a3 FETCH 1:* (FLAGS UID)', 'a4 SEARCH ALL']))).toBeNull();
	});
});

describe('newestFetch', () => {
	it('takes the first fetching session of a newest-first list', () => {
		const sessions = [session('imap', ['a1 LOGOUT'], 'new'), session('pop3', ['RETR 1'], 'mid'), session('imap', ['a3 FETCH 1 (BODY[])'], 'old')];
		expect(newestFetch(sessions)?.session.id).toBe('mid');
		expect(newestFetch([session('imap', ['a1 LOGOUT'])])).toBeNull();
	});
});
