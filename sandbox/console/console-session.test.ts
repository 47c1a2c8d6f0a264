import { describe, expect, it } from 'vitest';
import { parseClientMessage, tlsVerdict } from './console-session.ts';

describe('what the page may send', () => {
	it.each([
		['{"t":"lines","lines":["EHLO x"]}', { t: 'lines', lines: ['EHLO x'] }],
		['{"t":"close"}', { t: 'close' }],
		['{"t":"login","mechanism":"LOGIN","user":"me","password":"pw"}', { t: 'login', mechanism: 'LOGIN', user: 'me', password: 'pw' }],
	])('reads %s', (text, expected) => {
		expect(parseClientMessage(text)).toEqual(expected);
	});

	it.each([
		['not json'],
		['null'],
		['{"t":"lines","lines":"EHLO x"}'],
		['{"t":"lines","lines":[1]}'],
		['{"t":"login","mechanism":"CRAM-MD5","user":"me","password":"pw"}'],
		['{"t":"login","mechanism":"PLAIN","user":"me\\r\\nRCPT TO:<x>","password":"pw"}'],
		['{"t":"connect","host":"example.com","port":25}'],
	])('refuses %s', (text) => {
		expect(parseClientMessage(text)).toBeNull();
	});
});

describe('which answer to STARTTLS/STLS starts TLS', () => {
	it.each([
		['smtp', null, '220 2.0.0 Ready to start TLS', 'go'],
		['smtp', null, '250-still the EHLO answer', 'wait'],
		['smtp', null, '454 TLS not available', 'refused'],
		['pop3', null, '+OK Begin TLS negotiation', 'go'],
		['pop3', null, '-ERR STLS is only allowed before login', 'refused'],
		['imap', 'a1', '* OK still greeting', 'wait'],
		['imap', 'a1', 'a1 OK Begin TLS negotiation now', 'go'],
		['imap', 'a1', 'a1 BAD STARTTLS not allowed now', 'refused'],
		['imap', 'a1', 'a2 OK someone else', 'wait'],
	] as const)('%s after %s: %s → %s', (protocol, tag, line, verdict) => {
		expect(tlsVerdict(protocol, tag, line)).toBe(verdict);
	});
});
