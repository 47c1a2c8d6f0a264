/**
 * What a console session is judged on: the dialogue exactly as the sandbox server answered it on the wire
 * (client lines as the transcript shows them, credentials redacted), the points where the connection became
 * TLS, and facts the bridge read back from the store (a delivered message's envelope and headers, the
 * mailbox's size and read flags). Built by console-bridge.ts, read by the goal checks. Browser-safe.
 */
import type { ConsoleProtocol } from './console-wire.ts';

export interface EvidenceEntry {
	from: 'client' | 'server' | 'tls';
	line: string;
}

/** A message the SMTP server answered `250 … stored as <id>` for, as the store holds it. */
export interface DeliveredMessage {
	id: string;
	/** RCPT TO addresses, as the capture server recorded the envelope. */
	envelopeTo: string[];
	/** Addresses of the message's To: header. */
	headerTo: string[];
	/** The message sits in the mailbox this session's login opens (classroom: the learner's own). */
	inOwnMailbox: boolean;
}

export interface ConsoleEvidence {
	protocol: ConsoleProtocol;
	entries: EvidenceEntry[];
	delivered: DeliveredMessage[];
	/** POP3/IMAP: how many messages the session's mailbox holds now in the store (null before a login). */
	mailboxSize: number | null;
	/** POP3: the mailbox's size in the store when the login succeeded. */
	mailboxSizeAtLogin: number | null;
	/** IMAP: whether the store shows the mailbox's newest message as read now (null before a login). */
	newestRead: boolean | null;
}

export function emptyEvidence(protocol: ConsoleProtocol): ConsoleEvidence {
	return { protocol, entries: [], delivered: [], mailboxSize: null, mailboxSizeAtLogin: null, newestRead: null };
}
