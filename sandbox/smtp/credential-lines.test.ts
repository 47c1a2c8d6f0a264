import { describe, expect, it } from 'vitest';
import { redactCredentialLine } from './credential-lines.ts';

const SECRET = 'hunter2secret';

describe('credential lines are redacted by their verb, however malformed', () => {
	it.each([
		['PASS hunter2secret', 'PASS [redacted]'],
		['pass hunter2secret', 'pass [redacted]'],
		['PASS\thunter2secret', 'PASS [redacted]'],
		['PASS   hunter2secret  ', 'PASS [redacted]'],
		['  PASS hunter2secret', 'PASS [redacted]'],
		['PASShunter2secret', 'PASS [redacted]'],
		['PASS:hunter2secret', 'PASS [redacted]'],
		['PASS "hunter2secret', 'PASS [redacted]'],
		['PASS', 'PASS'],
		['AUTH PLAIN AGxlYXJuZXIAaHVudGVyMnNlY3JldA==', 'AUTH PLAIN [redacted]'],
		['auth plain AGxlYXJuZXIAaHVudGVyMnNlY3JldA==', 'auth plain [redacted]'],
		['AUTH PLAIN', 'AUTH PLAIN'],
		['AUTH LOGIN', 'AUTH LOGIN'],
		['AUTH "hunter2secret', 'AUTH [redacted]'],
		['AUTH hunter2secret hunter2secret', 'AUTH [redacted]'],
		['AUTH hunter2secret', 'AUTH [redacted]'],
		['AUTH CRAM-MD5', 'AUTH CRAM-MD5'],
		['LOGIN user hunter2secret', 'LOGIN [redacted]'],
	])('%j', (line, shown) => {
		expect(redactCredentialLine(line)).toBe(shown);
		expect(redactCredentialLine(line)?.toLowerCase()).not.toContain(SECRET);
	});

	it.each([
		['a1 LOGIN "learner" "hunter2secret', 'a1 LOGIN [redacted]'],
		['a1 login learner hunter2secret', 'a1 login [redacted]'],
		['a1\tLOGIN\tlearner\thunter2secret', 'a1 LOGIN [redacted]'],
		['a1 LOGIN {7}\r\nlearner {13}\r\nhunter2secret', 'a1 LOGIN [redacted]'],
		['a1 LOGINlearner hunter2secret', 'a1 LOGIN [redacted]'],
		['a1 AUTHENTICATE PLAIN AGxlYXJuZXIAaHVudGVyMnNlY3JldA==', 'a1 AUTHENTICATE PLAIN [redacted]'],
		['a1 authenticate plain', 'a1 authenticate plain'],
	])('IMAP %j', (line, shown) => {
		const redacted = redactCredentialLine(line, { tagged: true });
		expect(redacted).toBe(shown);
		expect(redacted).not.toContain(SECRET);
	});

	it('leaves other commands alone', () => {
		expect(redactCredentialLine('USER learner')).toBeNull();
		expect(redactCredentialLine('MAIL FROM:<a@example.com>')).toBeNull();
		expect(redactCredentialLine('a1 SELECT INBOX', { tagged: true })).toBeNull();
		expect(redactCredentialLine('')).toBeNull();
	});
});
