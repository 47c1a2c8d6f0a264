/**
 * Each console goal passes on the right evidence and not on the wrong one, with a hint that names what the
 * server said. Evidence is written as the bridge records it: client lines as shown (credentials redacted),
 * server lines as sent, `tls` where the connection was upgraded, and facts read back from the store.
 */
import { describe, expect, it } from 'vitest';
import { emptyEvidence, type ConsoleEvidence, type DeliveredMessage, type EvidenceEntry } from './console-evidence.ts';
import { judgeGoals } from './console-goals.ts';
import type { ConsoleProtocol } from './console-wire.ts';

/** `C: line`, `S: line` or `TLS`. */
function evidence(protocol: ConsoleProtocol, script: string[], facts: Partial<ConsoleEvidence> = {}): ConsoleEvidence {
	const entries: EvidenceEntry[] = script.map((row) =>
		row === 'TLS' ? { from: 'tls', line: 'TLSv1.3' } : { from: row.startsWith('C: ') ? 'client' : 'server', line: row.slice(3) },
	);
	return { ...emptyEvidence(protocol), entries, ...facts };
}

const goal = (e: ConsoleEvidence, id: string) => judgeGoals(e).find((g) => g.id === id)!;

const GREETING = ['S: 220 localhost ESMTP Postlab sandbox', 'C: EHLO django.local', 'S: 250-localhost Nice to meet you', 'S: 250-STARTTLS', 'S: 250 AUTH PLAIN LOGIN'];
const DELIVERY = ['C: MAIL FROM:<me@example.com>', 'S: 250 Accepted', 'C: RCPT TO:<you@example.com>', 'S: 250 Accepted', 'C: DATA', 'S: 354 End data with <CR><LF>.<CR><LF>', 'C: Subject: hi', 'C: ', 'C: x', 'C: .', 'S: 250 Ok: stored as m1'];
const message = (over: Partial<DeliveredMessage> = {}): DeliveredMessage => ({ id: 'm1', envelopeTo: ['you@example.com'], headerTo: ['you@example.com'], inOwnMailbox: true, ...over });

describe('SMTP goals', () => {
	it('deliver: passes on a message the store holds in the own mailbox, not on a 250 alone or another mailbox', () => {
		expect(goal(evidence('smtp', [...GREETING, ...DELIVERY], { delivered: [message()] }), 'smtp-deliver').done).toBe(true);
		expect(goal(evidence('smtp', [...GREETING, ...DELIVERY]), 'smtp-deliver').done).toBe(false);
		expect(goal(evidence('smtp', [...GREETING, ...DELIVERY], { delivered: [message({ inOwnMailbox: false })] }), 'smtp-deliver').done).toBe(false);
	});

	it('deliver: a refusal on the way gets a hint quoting the server and explaining it', () => {
		const refused = evidence('smtp', [...GREETING, 'C: DATA', 'S: 503 Error: need RCPT command']);
		const report = goal(refused, 'smtp-deliver');
		expect(report.done).toBe(false);
		expect(report.hint?.en).toContain('503 Error: need RCPT command');
		expect(report.hint?.en).toMatch(/Bad sequence/);
		expect(report.hint?.ko).toContain('503 Error: need RCPT command');
	});

	it('envelope: passes when RCPT TO differs from To:, and says so when they were the same', () => {
		expect(goal(evidence('smtp', DELIVERY, { delivered: [message({ headerTo: ['everyone@example.com'] })] }), 'smtp-envelope').done).toBe(true);
		const same = goal(evidence('smtp', DELIVERY, { delivered: [message({ envelopeTo: ['You@Example.com'] })] }), 'smtp-envelope');
		expect(same.done).toBe(false);
		expect(same.hint?.en).toMatch(/same envelope recipient/);
	});

	it('STARTTLS then AUTH: passes on 235 after the upgrade, not on a login over plain text', () => {
		const upgraded = [...GREETING, 'C: STARTTLS', 'S: 220 Ready to start TLS', 'TLS', 'C: EHLO django.local', 'S: 250 AUTH PLAIN LOGIN', 'C: AUTH PLAIN [redacted]', 'S: 235 Authentication successful'];
		expect(goal(evidence('smtp', upgraded), 'smtp-starttls-auth').done).toBe(true);
		const plain = goal(evidence('smtp', [...GREETING, 'C: AUTH PLAIN [redacted]', 'S: 235 Authentication successful']), 'smtp-starttls-auth');
		expect(plain.done).toBe(false);
		expect(plain.hint?.en).toMatch(/not encrypted/);
		const wrong = goal(evidence('smtp', [...GREETING, 'C: STARTTLS', 'S: 220 Ready', 'TLS', 'C: AUTH PLAIN [redacted]', 'S: 535 Authentication failed']), 'smtp-starttls-auth');
		expect(wrong.done).toBe(false);
		expect(wrong.hint?.en).toContain('535 Authentication failed');
	});

	it('refusal: passes on 503 to RCPT before MAIL and on 552 to a SIZE= over the limit, not on other refusals', () => {
		expect(goal(evidence('smtp', [...GREETING, 'C: RCPT TO:<a@example.com>', 'S: 503 Error: need MAIL command']), 'smtp-refusal').done).toBe(true);
		expect(goal(evidence('smtp', [...GREETING, 'C: MAIL FROM:<a@example.com> SIZE=999999999', 'S: 552 Error: message exceeds fixed maximum message size 26214400']), 'smtp-refusal').done).toBe(true);
		// A 552 after the data (not at MAIL with SIZE=) is another story; a 501 typo is no provoked refusal.
		const typo = goal(evidence('smtp', [...GREETING, 'C: MAIL FROM me', 'S: 501 Error: Bad sender address syntax']), 'smtp-refusal');
		expect(typo.done).toBe(false);
		expect(typo.hint?.en).toContain('501 Error: Bad sender address syntax');
		expect(typo.hint?.en).toMatch(/SIZE=999999999/);
		expect(goal(evidence('smtp', [...GREETING, ...DELIVERY.slice(0, -1), 'S: 552 Message too large']), 'smtp-refusal').done).toBe(false);
	});
});

const POP3_LOGIN = ['S: +OK Postlab POP3 sandbox ready', 'C: USER me', 'S: +OK Now send PASS', 'C: PASS [redacted]', 'S: +OK Logged in, 3 messages'];

describe('POP3 goals', () => {
	it('login and LIST: pass on +OK, hint on -ERR', () => {
		const listed = evidence('pop3', [...POP3_LOGIN, 'C: LIST', 'S: +OK 3 messages', 'S: 1 100', 'S: 2 200', 'S: 3 300', 'S: .']);
		expect(goal(listed, 'pop3-login').done).toBe(true);
		expect(goal(listed, 'pop3-list').done).toBe(true);
		const wrong = goal(evidence('pop3', ['S: +OK ready', 'C: USER me', 'S: +OK', 'C: PASS [redacted]', 'S: -ERR [AUTH] Wrong user name or password']), 'pop3-login');
		expect(wrong.done).toBe(false);
		expect(wrong.hint?.en).toContain('-ERR [AUTH] Wrong user name or password');
		expect(goal(evidence('pop3', ['S: +OK ready', 'C: LIST', 'S: -ERR Log in first']), 'pop3-list').done).toBe(false);
	});

	it('RETR the newest: passes on the highest number LIST gave, not on an older one', () => {
		const list = ['C: LIST', 'S: +OK 3 messages', 'S: 1 100', 'S: 2 200', 'S: 3 300', 'S: .'];
		expect(goal(evidence('pop3', [...POP3_LOGIN, ...list, 'C: RETR 3', 'S: +OK 300 octets', 'S: Subject: x', 'S: .']), 'pop3-retr-newest').done).toBe(true);
		const older = goal(evidence('pop3', [...POP3_LOGIN, ...list, 'C: RETR 1', 'S: +OK 100 octets', 'S: .']), 'pop3-retr-newest');
		expect(older.done).toBe(false);
		expect(older.hint?.en).toMatch(/newest is number 3/);
		// The login's answer names the count; without it, the store's count at login decides.
		expect(goal(evidence('pop3', ['S: +OK hi', 'C: USER me', 'S: +OK', 'C: PASS [redacted]', 'S: +OK 2 messages (300 octets)', 'C: RETR 2', 'S: +OK', 'S: .']), 'pop3-retr-newest').done).toBe(true);
		expect(goal(evidence('pop3', [...POP3_LOGIN, 'C: RETR 2', 'S: +OK', 'S: .'], { mailboxSizeAtLogin: 2 }), 'pop3-retr-newest').done).toBe(true);
	});

	it('DELE + QUIT: passes only when the store really lost the message, and quotes a server that kept it', () => {
		const script = [...POP3_LOGIN, 'C: DELE 3', 'S: +OK Message 3 marked for deletion', 'C: QUIT'];
		expect(goal(evidence('pop3', [...script, 'S: +OK Signing off (1 messages deleted)'], { mailboxSizeAtLogin: 3, mailboxSize: 2 }), 'pop3-dele').done).toBe(true);
		const kept = goal(evidence('pop3', [...script, 'S: +OK Signing off (1 marked messages kept: this sandbox does not delete on QUIT)'], { mailboxSizeAtLogin: 3, mailboxSize: 3 }), 'pop3-dele');
		expect(kept.done).toBe(false);
		expect(kept.hint?.en).toContain('this sandbox does not delete on QUIT');
		const noQuit = goal(evidence('pop3', script.slice(0, -1), { mailboxSizeAtLogin: 3, mailboxSize: 3 }), 'pop3-dele');
		expect(noQuit.done).toBe(false);
		expect(noQuit.hint?.en).toMatch(/send QUIT/);
	});
});

const IMAP_SELECTED = [
	'S: * OK [CAPABILITY IMAP4rev1 STARTTLS] Postlab IMAP sandbox ready',
	'C: L1 LOGIN [redacted]',
	'S: L1 OK LOGIN completed',
	'C: a2 SELECT INBOX',
	'S: * 4 EXISTS',
	'S: * FLAGS (\\Seen)',
	'S: a2 OK [READ-WRITE] SELECT completed',
];

describe('IMAP goals', () => {
	it('SELECT INBOX: passes on OK, hints at EXAMINE and NO', () => {
		expect(goal(evidence('imap', IMAP_SELECTED), 'imap-select').done).toBe(true);
		const examine = goal(evidence('imap', [...IMAP_SELECTED.slice(0, 3), 'C: a2 EXAMINE INBOX', 'S: * 4 EXISTS', 'S: a2 OK [READ-ONLY] EXAMINE completed']), 'imap-select');
		expect(examine.done).toBe(false);
		expect(examine.hint?.en).toMatch(/read-only/);
		const refused = goal(evidence('imap', [...IMAP_SELECTED.slice(0, 3), 'C: a2 SELECT Archive', 'S: a2 NO No such mailbox']), 'imap-select');
		expect(refused.hint?.en).toContain('a2 NO No such mailbox');
	});

	it('subject by BODY.PEEK: passes for the newest with Subject in the answer, not with BODY[] or an older message', () => {
		const peek = ['C: a3 FETCH 4 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])', 'S: * 4 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {20}', 'S: Subject: Hello', 'S: )', 'S: a3 OK FETCH completed'];
		expect(goal(evidence('imap', [...IMAP_SELECTED, ...peek]), 'imap-peek-subject').done).toBe(true);
		const marking = goal(
			evidence('imap', [...IMAP_SELECTED, 'C: a3 FETCH 4 (BODY[HEADER.FIELDS (SUBJECT)])', 'S: * 4 FETCH (FLAGS (\\Seen) BODY[HEADER.FIELDS (SUBJECT)] {20}', 'S: Subject: Hello', 'S: )', 'S: a3 OK FETCH completed']),
			'imap-peek-subject',
		);
		expect(marking.done).toBe(false);
		expect(marking.hint?.en).toMatch(/without \.PEEK marks the message read/);
		const older = goal(evidence('imap', [...IMAP_SELECTED, ...peek.map((l) => l.replace(' 4 ', ' 1 '))]), 'imap-peek-subject');
		expect(older.done).toBe(false);
		expect(older.hint?.en).toMatch(/number 4/);
		// Not selected: nothing counts.
		expect(goal(evidence('imap', [...IMAP_SELECTED.slice(0, 3), ...peek]), 'imap-peek-subject').done).toBe(false);
	});

	it('mark read: passes on STORE +FLAGS (\\Seen) of the newest answered OK, and says whether the web inbox followed', () => {
		const store = ['C: a4 STORE 4 +FLAGS (\\Seen)', 'S: * 4 FETCH (FLAGS (\\Seen))', 'S: a4 OK STORE completed'];
		const kept = goal(evidence('imap', [...IMAP_SELECTED, ...store], { newestRead: false }), 'imap-mark-read');
		expect(kept.done).toBe(true);
		expect(kept.hint?.en).toMatch(/session only/);
		expect(goal(evidence('imap', [...IMAP_SELECTED, ...store], { newestRead: true }), 'imap-mark-read').hint?.en).toMatch(/web inbox shows it read/);
		const unmark = goal(evidence('imap', [...IMAP_SELECTED, 'C: a4 STORE 4 -FLAGS (\\Seen)', 'S: a4 OK STORE completed']), 'imap-mark-read');
		expect(unmark.done).toBe(false);
		const refused = goal(evidence('imap', [...IMAP_SELECTED, 'C: a4 STORE 4 +FLAGS (\\Seen)', 'S: a4 NO [READ-ONLY] The mailbox was opened with EXAMINE']), 'imap-mark-read');
		expect(refused.done).toBe(false);
		expect(refused.hint?.en).toContain('NO [READ-ONLY]');
	});
});
