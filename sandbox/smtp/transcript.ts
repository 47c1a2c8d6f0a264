/**
 * Records each SMTP conversation line by line, for the inbox's transcript view (RFC 5321 commands and
 * replies, the RFC 3207 TLS upgrade). smtp-server reports every command it reads and every reply it writes
 * to its logger; this module is that logger. Secrets never get in: AUTH lines (by their verb, however
 * malformed: credential-lines.ts) are cut to `AUTH <mechanism> [redacted]`, any line answering a 334 challenge
 * becomes `[redacted]` (smtp-server already masks them; we
 * do not rely on it), and the message body never passes through here at all.
 */
import type { TranscriptEntry } from '../store/types.ts';
import { REDACTED, redactCredentialLine } from './credential-lines.ts';
import { errorMessage } from '../error-text.ts';
import type { OperatorLog } from '../operator-log.ts';

/** A transaction that talks forever (a NOOP loop) stops being recorded here; the count says what was dropped. */
const MAX_ENTRIES = 2000;
/** Longer lines (a 16 KB garbage command) are cut; the transcript is for reading, not for forensics. */
const MAX_LINE = 1000;
export { REDACTED } from './credential-lines.ts';

type EventKind = NonNullable<TranscriptEntry['event']>;

/**
 * One connection's conversation, kept as its opening (greeting, EHLO, STARTTLS, AUTH: everything before
 * the first MAIL FROM) plus the current transaction. A message's transcript is the opening and its own
 * transaction, so a client that keeps one connection open for thousands of messages neither grows this
 * without bound nor gives each message the whole history.
 */
export class ConnectionTranscript {
	readonly startedAt: number;
	readonly entries: TranscriptEntry[] = [];
	/** Ids of messages sent on this connection whose transcript is not final yet. */
	readonly pendingMessageIds: string[] = [];
	dropped = 0;
	/** Length of the opening; null until the first MAIL FROM. */
	#openingLength: number | null = null;
	#afterChallenge = false;

	constructor(startedAt: number = Date.now()) {
		this.startedAt = startedAt;
	}

	/** A new transaction begins (MAIL FROM): the previous one's lines are forgotten, the opening is kept. */
	startTransaction(): void {
		if (this.#openingLength === null) this.#openingLength = this.entries.length;
		else this.entries.length = this.#openingLength;
		this.dropped = 0;
	}

	client(line: string): void {
		this.#push('client', redactCommand(line, this.#afterChallenge));
		this.#afterChallenge = false;
	}

	/** One reply; a multi-line reply (EHLO) arrives as one payload with CRLFs and becomes one entry per line. */
	server(payload: string): void {
		// Most replies are one line: no split, no array.
		if (!payload.includes('\n')) {
			if (payload !== '') this.#serverLine(payload);
			return;
		}
		for (const line of payload.split(/\r?\n/)) if (line !== '') this.#serverLine(line);
	}

	event(event: EventKind, line: string): void {
		this.#push('event', line, event);
	}

	/**
	 * The conversation so far. A shallow copy: entries are never changed once recorded, only the list is
	 * (cut back to the opening by the next transaction), so sharing them is safe, and a caller can tell by
	 * identity whether a later snapshot continues an earlier one.
	 */
	snapshot(): TranscriptEntry[] {
		return this.entries.slice();
	}

	#serverLine(line: string): void {
		this.#push('server', line);
		// "334" alone or "334 …"/"334-…": a SASL challenge, so the client's next line is a secret.
		this.#afterChallenge = line.startsWith('334') && (line.length === 3 || line[3] === ' ' || line[3] === '-');
	}

	#push(from: TranscriptEntry['from'], line: string, event?: EventKind): void {
		// The closing event always fits, so a capped transcript still ends where the connection did.
		if (this.entries.length >= MAX_ENTRIES && event !== 'close') {
			this.dropped += 1;
			return;
		}
		const entry: TranscriptEntry = {
			at: Date.now() - this.startedAt,
			from,
			line: line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}… (${line.length} characters)` : line,
		};
		if (event) entry.event = event;
		this.entries.push(entry);
	}
}

/** Removes credentials from a client line. `afterChallenge`: the server's last reply was a 334 (SASL). */
export function redactCommand(line: string, afterChallenge: boolean): string {
	if (afterChallenge || line.includes('/* secured */')) {
		const auth = /^\s*AUTH\s+(\S+)/i.exec(line);
		return auth ? `AUTH ${auth[1]} ${REDACTED}` : REDACTED;
	}
	return redactCredentialLine(line) ?? line;
}

/** The shape of the bunyan-style logger smtp-server calls: `(fields, format, ...args)`. */
type LogCall = (fields: Record<string, unknown>, message?: string, ...args: unknown[]) => void;
export interface SmtpLogger {
	trace: LogCall;
	debug: LogCall;
	info: LogCall;
	warn: LogCall;
	error: LogCall;
	fatal: LogCall;
}

export interface TranscriptRecorderOptions {
	/** Called when a connection's messages have their complete conversation (next MAIL FROM, or close). */
	onComplete?: (messageIds: string[], transcript: TranscriptEntry[]) => void;
	/** Server-side errors worth telling the operator (not per-client noise). */
	onError?: OperatorLog;
}

/** Keeps one ConnectionTranscript per open connection, fed by smtp-server's logger. */
export class TranscriptRecorder {
	readonly #connections = new Map<string, ConnectionTranscript>();
	readonly #options: TranscriptRecorderOptions;
	readonly logger: SmtpLogger;

	constructor(options: TranscriptRecorderOptions = {}) {
		this.#options = options;
		// smtp-server calls its logger in the middle of handling a client's line: a recorder that threw there
		// would throw out of smtp-server's socket handler and end the process. A bug here loses a line instead.
		const record: LogCall = (fields, _message, ...args) => {
			try {
				this.#record(fields, args);
			} catch (error) {
				this.#options.onError?.('log.smtp.transcriptLineFailed', { reason: errorMessage(error) });
			}
		};
		this.logger = { trace: record, debug: record, info: record, warn: record, error: record, fatal: record };
	}

	/** Starts a connection's transcript; `implicitTls` marks a 465-style connection as encrypted from the start. */
	open(connectionId: string, implicitTls: boolean, cipher?: string): ConnectionTranscript {
		const transcript = this.#connection(connectionId);
		if (implicitTls && !transcript.entries.some((entry) => entry.event === 'tls')) {
			transcript.event('tls', `TLS from the first byte${cipher ? ` (${cipher})` : ''}`);
		}
		return transcript;
	}

	get(connectionId: string): ConnectionTranscript | undefined {
		return this.#connections.get(connectionId);
	}

	/** Ends a connection's transcript (idempotent) and hands its pending messages their final conversation. */
	close(connectionId: string): void {
		const transcript = this.#connections.get(connectionId);
		if (!transcript) return;
		this.#connections.delete(connectionId);
		transcript.event('close', 'Connection closed');
		this.#complete(transcript);
	}

	get openConnections(): number {
		return this.#connections.size;
	}

	#connection(connectionId: string): ConnectionTranscript {
		let transcript = this.#connections.get(connectionId);
		if (!transcript) {
			transcript = new ConnectionTranscript();
			transcript.event('connect', 'Connection opened');
			this.#connections.set(connectionId, transcript);
		}
		return transcript;
	}

	#complete(transcript: ConnectionTranscript): void {
		if (transcript.pendingMessageIds.length === 0) return;
		const ids = transcript.pendingMessageIds.splice(0);
		this.#options.onComplete?.(ids, transcript.snapshot());
	}

	#record(fields: Record<string, unknown>, args: unknown[]): void {
		const cid = typeof fields['cid'] === 'string' ? fields['cid'] : null;
		const tnx = fields['tnx'];
		if (tnx === 'error' && fields['err'] instanceof Error && !cid) {
			this.#options.onError?.('log.smtp.error', { reason: fields['err'].message });
		}
		if (!cid) return;
		if (tnx === 'close') return this.close(cid);
		const text = typeof args[0] === 'string' ? args[0] : '';
		switch (tnx) {
			case 'command': {
				const transcript = this.#connection(cid);
				// A new transaction begins: the previous messages' conversation is complete.
				if (/^\s*MAIL\s+FROM/i.test(text)) {
					this.#complete(transcript);
					transcript.startTransaction();
				}
				transcript.client(text);
				return;
			}
			case 'send':
				this.#connection(cid).server(text);
				return;
			case 'starttls':
				this.#connection(cid).event('tls', `TLS started${typeof fields['cipher'] === 'string' ? ` (${fields['cipher']})` : ''}`);
				return;
			default:
				// Connection notices and per-client errors are not lines of the conversation.
				return;
		}
	}
}
