/**
 * Did a learner's mail client actually read a message? Decided from a finished POP3 or IMAP session's
 * transcript: the lesson's exercise passes once a session fetched a message (RETR or TOP in POP3, a
 * FETCH of a body or header section in IMAP), whatever client made it.
 */

/** The part of the API's session transcript this check reads (see sandbox/line-protocol/transcript.ts). */
export interface MailReadSession {
	id: string;
	protocol: 'pop3' | 'imap';
	localPort: number;
	tls: 'none' | 'starttls' | 'implicit';
	user: string | null;
	startedAt: string;
	endedAt: string | null;
	entries: Array<{ from: 'client' | 'server' | 'event'; line: string }>;
}

export interface FetchFound {
	session: MailReadSession;
	/** The client's command that fetched, e.g. `RETR 3` or `a4 FETCH 3 (BODY.PEEK[])`. */
	command: string;
}

const POP3_FETCH = /^(RETR|TOP)\s+\d+/i;
// A tagged FETCH or UID FETCH that asks for message content: BODY[...], BODY.PEEK[...], RFC822(.HEADER/.TEXT).
const IMAP_FETCH = /^\S+\s+(?:UID\s+)?FETCH\s+\S+\s+.*\b(?:BODY(?:\.PEEK)?\[|RFC822\b)/i;

export function fetchCommand(session: MailReadSession): string | null {
	const pattern = session.protocol === 'pop3' ? POP3_FETCH : IMAP_FETCH;
	for (const entry of session.entries) {
		if (entry.from === 'client' && pattern.test(entry.line)) return entry.line;
	}
	return null;
}

/** The newest session (the API lists newest first) that fetched a message, or null. */
export function newestFetch(sessions: readonly MailReadSession[]): FetchFound | null {
	for (const session of sessions) {
		const command = fetchCommand(session);
		if (command) return { session, command };
	}
	return null;
}
