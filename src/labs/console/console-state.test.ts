import { describe, expect, it } from 'vitest';
import { advance, initialState, suggestions, type DialogueState } from './console-state.ts';
import type { ConsoleProtocol } from '../../../sandbox/console/console-wire.ts';

/** Plays `C: …`, `S: …` and `TLS` rows through advance(). */
function play(protocol: ConsoleProtocol, rows: string[]): DialogueState {
	return rows.reduce((state, row) => (row === 'TLS' ? advance(state, 'tls') : advance(state, row.startsWith('C: ') ? 'client' : 'server', row.slice(3))), initialState(protocol));
}
const lines = (state: DialogueState) => suggestions(state).map((s) => (s.kind === 'login' ? '<login>' : s.line));

describe('console suggestions', () => {
	it('walks an SMTP session: EHLO, STARTTLS, EHLO again, login, the envelope, the message, QUIT', () => {
		expect(lines(play('smtp', ['S: 220 hi']))).toEqual(['EHLO django.local']);
		const helloed = play('smtp', ['S: 220 hi', 'C: EHLO django.local', 'S: 250-hi', 'S: 250 STARTTLS']);
		expect(lines(helloed)[0]).toBe('STARTTLS');
		const upgraded = play('smtp', ['S: 220 hi', 'C: EHLO a', 'S: 250 ok', 'C: STARTTLS', 'S: 220 go', 'TLS']);
		expect(lines(upgraded)).toEqual(['EHLO django.local']);
		const secure = play('smtp', ['S: 220 hi', 'C: STARTTLS', 'S: 220 go', 'TLS', 'C: EHLO a', 'S: 250 ok']);
		expect(lines(secure)[0]).toBe('<login>');
		const authed = play('smtp', ['S: 220 hi', 'C: STARTTLS', 'S: 220 go', 'TLS', 'C: EHLO a', 'S: 250 ok', 'C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: [redacted]', 'S: 334 UGFzc3dvcmQ6', 'C: [redacted]', 'S: 235 ok']);
		expect(lines(authed)[0]).toMatch(/^MAIL FROM:/);
		expect(lines(authed)).not.toContain('<login>');
		// Pipelined envelope: each answer goes to its own command.
		const envelope = play('smtp', ['S: 220 hi', 'C: EHLO a', 'S: 250 ok', 'C: MAIL FROM:<a@b>', 'C: RCPT TO:<c@d>', 'C: DATA', 'S: 250 ok', 'S: 250 ok', 'S: 354 go']);
		expect(envelope.inData).toBe(true);
		expect(lines(envelope)).toContain('.');
		const sent = play('smtp', ['S: 220 hi', 'C: EHLO a', 'S: 250 ok', 'C: MAIL FROM:<a@b>', 'S: 250 ok', 'C: RCPT TO:<c@d>', 'S: 250 ok', 'C: DATA', 'S: 354 go', 'C: Subject: x', 'C: .', 'S: 250 Ok: stored as m1']);
		expect(sent.sent).toBe(true);
		expect(lines(sent)).toContain('QUIT');
		expect(lines(play('smtp', ['S: 220 hi', 'C: QUIT', 'S: 221 bye']))).toEqual([]);
	});

	it('suggests the newest POP3 message by the number LIST gave', () => {
		const state = play('pop3', ['S: +OK hi', 'C: USER me', 'S: +OK', 'C: PASS [redacted]', 'S: +OK in', 'C: LIST', 'S: +OK 3 messages', 'S: 1 10', 'S: 2 20', 'S: 3 30', 'S: .']);
		expect(state.loggedIn).toBe(true);
		expect(lines(state)).toContain('RETR 3');
		expect(lines(play('pop3', ['S: +OK hi']))).toEqual(['CAPA', 'STLS', '<login>']);
		expect(lines(play('pop3', ['S: +OK hi', 'C: USER me', 'S: +OK', 'C: PASS [redacted]', 'S: +OK 7 messages (900 octets)']))).toContain('RETR 7');
	});

	it('tags IMAP suggestions after the last tag used and fetches the newest by PEEK once selected', () => {
		const state = play('imap', ['S: * OK hi', 'C: a7 STARTTLS', 'S: a7 OK go', 'TLS', 'C: L1 LOGIN [redacted]', 'S: L1 OK in', 'C: a8 SELECT INBOX', 'S: * 5 EXISTS', 'S: a8 OK done']);
		expect(state.selected).toBe(true);
		expect(lines(state)[0]).toBe('a9 FETCH 5 (BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)])');
		expect(lines(state)).toContain('a9 STORE 5 +FLAGS (\\Seen)');
	});
});
