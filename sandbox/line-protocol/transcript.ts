/**
 * Records a POP3 or IMAP session the way the SMTP transcript does, so a lesson can show the receiving
 * side of the conversation. Passwords and SASL payloads are redacted by the protocol code before they get
 * here; message bodies are replaced by a size note, because a transcript is for reading, not for storage.
 */

export interface MailTranscriptEntry {
	/** Milliseconds since the connection opened. */
	at: number;
	/** `client` = a line the client sent, `server` = our line, `event` = something that is not a line (TLS, open, close, an elided body). */
	from: 'client' | 'server' | 'event';
	line: string;
	event?: 'connect' | 'tls' | 'close' | 'data-elided' | 'truncated';
}

export interface MailSessionTranscript {
	id: string;
	protocol: 'pop3' | 'imap';
	remoteAddress: string;
	localPort: number;
	/** `implicit` = TLS from the first byte, `starttls` = upgraded with STLS/STARTTLS, `none` = plain. */
	tls: 'none' | 'starttls' | 'implicit';
	/** The user name the client logged in with; never the password. */
	user: string | null;
	/** ISO 8601. */
	startedAt: string;
	/** ISO 8601; null while the session is open. */
	endedAt: string | null;
	entries: MailTranscriptEntry[];
}

/** A session can send millions of commands; past this the transcript stops growing and says so. */
const MAX_ENTRIES_PER_SESSION = 2000;
/** Long lines (a pasted base64 blob, garbage) are cut so one entry stays readable. */
const MAX_LINE_CHARS = 500;

let sessionCounter = 0;

export class TranscriptRecorder {
	readonly transcript: MailSessionTranscript;
	#opened = performance.now();

	constructor(protocol: 'pop3' | 'imap', remoteAddress: string, localPort: number, tls: 'none' | 'implicit') {
		sessionCounter += 1;
		this.transcript = {
			id: `${protocol}-${Date.now().toString(36)}-${sessionCounter}`,
			protocol,
			remoteAddress,
			localPort,
			tls,
			user: null,
			startedAt: new Date().toISOString(),
			endedAt: null,
			entries: [],
		};
	}

	/** Records a client line; the reader hands over latin1 strings, shown here as the UTF-8 they usually are. */
	client(line: string): void {
		this.#add('client', Buffer.from(line, 'latin1').toString('utf8'));
	}

	server(line: string): void {
		this.#add('server', line);
	}

	event(event: NonNullable<MailTranscriptEntry['event']>, line: string): void {
		this.#add('event', line, event);
	}

	/** A message body went out; the transcript keeps only its size. */
	elided(octets: number): void {
		this.event('data-elided', `[${octets} octets of message data elided]`);
	}

	end(): MailSessionTranscript {
		this.transcript.endedAt ??= new Date().toISOString();
		return this.transcript;
	}

	#add(from: MailTranscriptEntry['from'], line: string, event?: MailTranscriptEntry['event']): void {
		const entries = this.transcript.entries;
		if (entries.length > MAX_ENTRIES_PER_SESSION) return;
		const at = Math.round(performance.now() - this.#opened);
		if (entries.length === MAX_ENTRIES_PER_SESSION) {
			entries.push({ at, from: 'event', line: '[transcript truncated]', event: 'truncated' });
			return;
		}
		// Control characters from garbage input are made visible instead of breaking the display.
		const visible = line.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
		const shown = visible.length > MAX_LINE_CHARS ? `${visible.slice(0, MAX_LINE_CHARS)}… [${visible.length} chars]` : visible;
		entries.push(event ? { at, from, line: shown, event } : { at, from, line: shown });
	}
}

/** The last few finished sessions, newest last; old ones fall off so memory stays bounded. */
export class TranscriptRing {
	#items: MailSessionTranscript[] = [];
	readonly capacity: number;

	constructor(capacity = 50) {
		this.capacity = capacity;
	}

	push(transcript: MailSessionTranscript): void {
		this.#items.push(transcript);
		if (this.#items.length > this.capacity) this.#items.splice(0, this.#items.length - this.capacity);
	}

	list(): MailSessionTranscript[] {
		return [...this.#items];
	}
}
