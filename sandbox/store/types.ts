/**
 * The shapes a captured message takes at the store's boundary. The HTTP API returns these as JSON,
 * and the inbox UI reads them, so they are the contract between the sandbox and the site.
 */

/** One line of an SMTP conversation as the server saw it. */
export interface TranscriptEntry {
	/** Milliseconds since the connection opened. */
	at: number;
	/** `client` = a command the client sent, `server` = our reply, `event` = something that is not a line on the wire (TLS upgrade, connection open/close). */
	from: 'client' | 'server' | 'event';
	/** The line as sent, with AUTH payloads replaced by `[redacted]` and the DATA body elided. */
	line: string;
	/** For `event` entries: which event. `drill`: a failure drill refuses at this point (sandbox/drills/). */
	event?: 'connect' | 'tls' | 'close' | 'data-elided' | 'drill';
}

/** The inbox of the local mode; classroom modes may file mail under other names. */
export const DEFAULT_MAILBOX = 'default';

export interface Address {
	name: string;
	address: string;
}

/** IMAP system flags the store keeps besides `\Seen` (which is `read`). */
export const MAIL_FLAGS = ['\\Answered', '\\Flagged', '\\Draft', '\\Deleted'] as const;
export type MailFlag = (typeof MAIL_FLAGS)[number];

/** What the list view needs; kept in memory for every stored message, so it stays small. */
export interface MessageSummary {
	id: string;
	/** Who owns the message: `default` in local mode, a learner id in classroom mode. */
	mailbox: string;
	subject: string;
	from: Address | null;
	to: Address[];
	/** ISO 8601, from the Date header, or the arrival time when the header is missing or broken. */
	date: string;
	/** ISO 8601 arrival time. */
	receivedAt: string;
	/** Size of the raw message in bytes. */
	size: number;
	/** First ~120 characters of the text body, whitespace collapsed. */
	snippet: string;
	attachmentCount: number;
	/** The IMAP `\Seen` flag: one read state shared by the web inbox, the API, IMAP and POP3. */
	read: boolean;
	/**
	 * IMAP UID (RFC 3501 §2.3.1.1): assigned once per mailbox in arrival order, kept with the message across
	 * restarts and compaction, never reused (store/mailbox-state.ts).
	 */
	uid: number;
	/** The other durable IMAP flags set on the message, from `\Answered \Flagged \Draft \Deleted`, in that order. */
	flags: MailFlag[];
	/** False when mailparser could not read the message; it is stored and shown all the same. */
	parsed: boolean;
}

export interface SessionFacts {
	remoteAddress: string;
	/** Port the client connected to (2525-style or 2465-style). */
	localPort: number;
	clientHostname: string;
	/** The name the client gave in EHLO/HELO. */
	helo: string;
	/** `implicit` = TLS from the first byte, `starttls` = upgraded, `none` = plain. */
	tls: 'none' | 'starttls' | 'implicit';
	tlsProtocol?: string;
	tlsCipher?: string;
	/** Present when the client authenticated; the password is never kept. */
	auth?: { mechanism: string; user: string };
	envelope: {
		mailFrom: string;
		rcptTo: string[];
		/** The client asked for SMTPUTF8 (RFC 6531): addresses may hold non-ASCII characters. */
		smtpUtf8: boolean;
		/** BODY= of MAIL FROM: `8bitmime` when the client declared 8-bit content (RFC 6152). */
		bodyType: '7bit' | '8bitmime';
	};
	/** smtp-server's connection id: messages sent over one connection share it. */
	connectionId: string;
	timings: {
		/** ISO 8601: when the TCP connection was accepted. */
		connectedAt: string;
		/** ISO 8601: when the client sent DATA. */
		dataStartedAt: string | null;
		/** Milliseconds from the end of DATA until the message was on disk (before the 250 reply). */
		storeMs: number;
	};
	transcript: TranscriptEntry[];
	/**
	 * `inbound` (or absent, as in messages stored before real mode existed): the sandbox received it.
	 * `outbound`: Postlab sent it through a real SMTP server and kept this copy; the facts above then describe
	 * Postlab's connection to that server, and the transcript is Postlab's own side of it.
	 */
	direction?: 'inbound' | 'outbound';
	/** For `outbound` copies: the real server it went through and that server's final reply. */
	relay?: OutboundRelay;
}

/** Where an outbound copy went for real. Never holds a password. */
export interface OutboundRelay {
	host: string;
	port: number;
	security: 'starttls' | 'implicit' | 'none';
	/** The AUTH user, or null when no login was made. */
	user: string | null;
	/** The server's final reply to DATA, e.g. `250 2.0.0 OK 1700000000 a1b2c3 - gsmtp`. */
	reply: string;
	/** True for smtp.gmail.com (it rewrites From to the account unless the address is a verified alias). */
	gmail: boolean;
}
