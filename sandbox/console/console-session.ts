/**
 * One learner's console session: a WebSocket from the lesson page on one side, a new TCP connection to the
 * sandbox's own SMTP, POP3 or IMAP port on loopback on the other. Lines go through unchanged (CRLF added);
 * what comes back is shown line by line. The session
 *
 * - upgrades its side to TLS after the server accepts STARTTLS/STLS (RFC 3207 §4, RFC 2595 §4), checking
 *   the sandbox's own certificate, and from then on shows the decrypted dialogue;
 * - sends login lines for the login helper (in classroom mode always the learner's own credentials, and
 *   typed credential lines are refused, so a console can open no mailbox but its learner's);
 * - shows client lines back as transcripts do, credentials replaced by `[redacted]`; a password is never
 *   logged, stored or sent back to the page;
 * - bounds everything a page can make it do: line length, lines per batch, messages per second, lines
 *   shown per reply, and silence (closed after `idleMs`).
 */
import { connect, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { WebSocket } from 'ws';
import { REDACTED, isCredentialVerb, redactCredentialLine } from '../smtp/credential-lines.ts';
import type { MailStore } from '../store/mail-store.ts';
import { emptyEvidence, type ConsoleEvidence } from './console-evidence.ts';
import { judgeGoals } from './console-goals.ts';
import { MAX_CONSOLE_LINE, MAX_LINES_PER_BATCH, type ConsoleClientMessage, type ConsoleNoteKey, type ConsoleProtocol, type ConsoleServerMessage, type GoalReport, type LoginMechanism } from './console-wire.ts';
import type { ConsoleLinks } from '../connections/console-links.ts';
import { errorMessage } from '../error-text.ts';
import type { OperatorLog } from '../operator-log.ts';

export interface ConsoleSessionOptions {
	protocol: ConsoleProtocol;
	/** Loopback address and port of the sandbox's own plain port for `protocol`; never from the page. */
	target: { host: string; port: number };
	/** PEM the sandbox's certificate; the only one the upgraded connection trusts. */
	ca: string;
	store: MailStore;
	/** The mailbox this session's login opens: the learner's in classroom mode, the one inbox otherwise. */
	mailbox: string;
	/** Classroom mode: the learner's own login, the only one the session will send. */
	classroomLogin: { user: string; password: string } | null;
	idleMs: number;
	/** How long the sandbox servers give this session to log in, to tell the learner. */
	loginTimeoutMs: number;
	/** Tells the servers which connections are the console's (they get longer to log in). */
	consoleLinks: ConsoleLinks;
	/** Where a failure of the sandbox's own (not the learner's) is reported; never a line of the session. */
	log: OperatorLog;
	onClose: () => void;
}

/** Page messages per second, on average, and the burst allowed: typing and the odd paste, not a script. */
const MESSAGES_PER_SECOND = 5;
const MESSAGE_BURST = 20;
/** Server lines shown between two client messages: a RETR of a 25 MB message shows its start and a count. */
const MAX_SHOWN_LINES_PER_REPLY = 400;
/** A server line longer than this is cut for the page (a base64 line of a big attachment, say). */
const MAX_SHOWN_LINE = 2000;
/** The evidence a session keeps; a session that goes on longer stops adding to it. */
const MAX_EVIDENCE_ENTRIES = 5000;
/** What may wait unsent to a slow page; past it the session is closed. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** A server line without its CRLF this long is cut off: no protocol line here is longer. */
const MAX_PENDING_BYTES = 64 * 1024;
const CONNECT_TIMEOUT_MS = 5000;

/** A login line waiting for the server's go-ahead (SMTP 334, POP3 +OK) before it is sent. */
interface QueuedLine {
	line: string;
	after: RegExp;
}

export class ConsoleSession {
	readonly #o: ConsoleSessionOptions;
	readonly #ws: WebSocket;
	readonly evidence: ConsoleEvidence;
	#socket: Socket | TLSSocket | null = null;
	#pending = '';
	/** Keeps a UTF-8 character split across two TCP chunks whole. */
	#decoder = new StringDecoder('utf8');
	#tokens = MESSAGE_BURST;
	#refilledAt = Date.now();
	#idle: NodeJS.Timeout | null = null;
	#closed = false;
	/** STARTTLS/STLS sent and not yet answered; IMAP's tag, to know which reply answers it. */
	#tlsPending: { tag: string | null } | null = null;
	#afterChallenge = false;
	#inData = false;
	#shownThisReply = 0;
	#elided = 0;
	#loginQueue: QueuedLine[] = [];
	#imapTag = 0;
	#lastGoals = '';

	constructor(ws: WebSocket, options: ConsoleSessionOptions) {
		this.#o = options;
		this.#ws = ws;
		this.evidence = emptyEvidence(options.protocol);
		ws.on('message', (data, isBinary) => this.#fromPage(isBinary ? null : data.toString()));
		ws.on('close', () => this.close());
		ws.on('error', () => this.close());
		this.#touch();
		this.#send({
			t: 'open',
			protocol: options.protocol,
			classroom: options.classroomLogin !== null,
			user: options.classroomLogin?.user ?? null,
			idleSeconds: Math.round(options.idleMs / 1000),
			loginSeconds: Math.round(options.loginTimeoutMs / 1000),
		});
		this.#connect();
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		if (this.#idle) clearTimeout(this.#idle);
		this.#socket?.destroy();
		if (this.#ws.readyState === this.#ws.OPEN) {
			this.#send({ t: 'closed' });
			this.#ws.close(1000);
		}
		this.#o.onClose();
	}

	#connect(): void {
		const socket = connect({ host: this.#o.target.host, port: this.#o.target.port });
		this.#o.consoleLinks.track(socket);
		socket.setTimeout(CONNECT_TIMEOUT_MS, () => {
			this.#note('server-unreachable');
			this.close();
		});
		socket.once('connect', () => socket.setTimeout(0));
		socket.on('error', () => {
			if (!this.#closed) this.#note(socket.connecting ? 'server-unreachable' : 'server-closed');
			this.close();
		});
		this.#listen(socket);
	}

	#listen(socket: Socket | TLSSocket): void {
		this.#socket = socket;
		socket.on('data', (chunk: Buffer) => this.#fromServer(chunk));
		socket.on('close', () => {
			if (this.#socket !== socket || this.#closed) return;
			this.#flushElided();
			this.#note('server-closed');
			this.close();
		});
	}

	// --- page → server ---

	#fromPage(text: string | null): void {
		if (this.#closed) return;
		this.#touch();
		if (!this.#take()) return this.#note('rate-limited');
		const message = parseClientMessage(text);
		if (!message) return this.#note('bad-message');
		if (message.t === 'close') return this.close();
		if (message.t === 'login') return this.#login(message.mechanism, message.user, message.password);
		if (message.lines.length > MAX_LINES_PER_BATCH) return this.#note('too-many-lines', MAX_LINES_PER_BATCH);
		for (const line of message.lines) {
			if (line.length > MAX_CONSOLE_LINE) return this.#note('line-too-long', MAX_CONSOLE_LINE);
			if (/[\r\n\0]/.test(line)) return this.#note('bad-characters');
		}
		// Lines sent after STARTTLS but before its answer would cross in plain text and be ignored by the
		// server (RFC 3207 §4.2, RFC 2595 §3.1): held back instead, and the page told to wait.
		if (this.#tlsPending) return this.#note('wait-for-tls');
		for (const line of message.lines) {
			if (this.#o.classroomLogin && !this.#inData && (this.#afterChallenge || this.#carriesCredentials(line))) return this.#note('login-by-helper');
			this.#write(line);
			this.#watchForTls(line);
		}
	}

	/** Is `line` a login command (by its verb, like the transcripts decide)? */
	#carriesCredentials(line: string): boolean {
		const tokens = line.trim().split(/\s+/);
		const verb = (this.#o.protocol === 'imap' ? tokens[1] : tokens[0]) ?? '';
		return isCredentialVerb(verb);
	}

	#login(mechanism: LoginMechanism, typedUser: string, typedPassword: string): void {
		if (this.#tlsPending) return this.#note('wait-for-tls');
		const { user, password } = this.#o.classroomLogin ?? { user: typedUser, password: typedPassword };
		if (user.length > 256 || password.length > 256) return this.#note('line-too-long', 256);
		const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
		switch (this.#o.protocol) {
			case 'smtp':
				if (mechanism === 'PLAIN') return this.#write(`AUTH PLAIN ${b64(`\0${user}\0${password}`)}`);
				this.#loginQueue = [
					{ line: b64(user), after: /^334 / },
					{ line: b64(password), after: /^334 / },
				];
				return this.#write('AUTH LOGIN');
			case 'pop3':
				this.#loginQueue = [{ line: `PASS ${password}`, after: /^\+OK/ }];
				return this.#write(`USER ${user}`);
			case 'imap':
				this.#imapTag += 1;
				return this.#write(`L${this.#imapTag} LOGIN ${imapString(user)} ${imapString(password)}`);
		}
	}

	#write(line: string): void {
		const socket = this.#socket;
		if (!socket || socket.destroyed || socket.connecting) return this.#note('server-unreachable');
		socket.write(`${line}\r\n`);
		const shown = this.#shownClientLine(line);
		this.#record('client', shown);
		this.#send({ t: 'line', from: 'client', line: shown });
		this.#shownThisReply = 0;
		this.#flushElided();
	}

	/** What the transcript may show of a client line: a login's secrets and SASL answers redacted. */
	#shownClientLine(line: string): string {
		if (this.#inData) {
			if (line === '.') this.#inData = false;
			return line;
		}
		if (this.#afterChallenge) {
			this.#afterChallenge = false;
			return REDACTED;
		}
		return redactCredentialLine(line, { tagged: this.#o.protocol === 'imap' }) ?? line;
	}

	#watchForTls(line: string): void {
		const trimmed = line.trim();
		if (this.#o.protocol === 'smtp' && /^STARTTLS$/i.test(trimmed)) this.#tlsPending = { tag: null };
		if (this.#o.protocol === 'pop3' && /^STLS$/i.test(trimmed)) this.#tlsPending = { tag: null };
		const imap = /^(\S+)\s+STARTTLS$/i.exec(trimmed);
		if (this.#o.protocol === 'imap' && imap) this.#tlsPending = { tag: imap[1]! };
	}

	// --- server → page ---

	#fromServer(chunk: Buffer): void {
		this.#pending += this.#decoder.write(chunk);
		let newline: number;
		while ((newline = this.#pending.indexOf('\n')) >= 0) {
			const line = this.#pending.slice(0, newline).replace(/\r$/, '');
			this.#pending = this.#pending.slice(newline + 1);
			if (this.#serverLine(line) === 'upgrading') return;
		}
		if (this.#pending.length > MAX_PENDING_BYTES) {
			this.#serverLine(this.#pending);
			this.#pending = '';
		}
	}

	/** Handles one server line; 'upgrading' when the rest of the plain-text buffer must be dropped. */
	#serverLine(raw: string): 'upgrading' | void {
		const line = raw.length > MAX_SHOWN_LINE ? `${raw.slice(0, MAX_SHOWN_LINE)}…` : raw;
		// Status lines (replies, +OK/-ERR, tagged and untagged IMAP responses) are always shown and kept: the
		// goals and the learner need them. A message's text past the first lines of an answer is only counted.
		const status = isStatusLine(this.#o.protocol, line);
		if (status || this.#shownThisReply < MAX_SHOWN_LINES_PER_REPLY) {
			if (status) this.#flushElided();
			this.#shownThisReply += 1;
			this.#record('server', line);
			this.#send({ t: 'line', from: 'server', line });
		} else {
			this.#elided += 1;
		}
		this.#afterChallenge = /^334[ -]/.test(`${line} `) || (this.#o.protocol !== 'smtp' && /^\+ /.test(`${line} `) && !line.startsWith('+OK'));
		if (this.#o.protocol === 'smtp' && /^354[ -]?/.test(line)) this.#inData = true;
		this.#advanceLogin(line);
		// Nothing awaits this: a stored message that cannot be read back (an I/O error, a damaged journal
		// record) must not become an unhandled rejection. The goal is then not judged from it, and the cause is logged.
		this.#collectFacts(line).catch((error: unknown) => this.#o.log('log.console.readBackFailed', { reason: errorMessage(error) }));
		if (this.#tlsPending) {
			const verdict = tlsVerdict(this.#o.protocol, this.#tlsPending.tag, line);
			if (verdict === 'go') {
				this.#tlsPending = null;
				this.#upgrade();
				return 'upgrading';
			}
			if (verdict === 'refused') this.#tlsPending = null;
		}
		this.#judge();
	}

	#advanceLogin(line: string): void {
		const next = this.#loginQueue[0];
		if (!next) return;
		if (!next.after.test(line)) {
			this.#loginQueue = [];
			return;
		}
		this.#loginQueue.shift();
		this.#write(next.line);
	}

	#upgrade(): void {
		const plain = this.#socket;
		if (!plain) return;
		plain.removeAllListeners('data');
		plain.removeAllListeners('close');
		// Whatever followed the go-ahead in plain text is discarded, as RFC 3207 §4.2 asks of a client.
		this.#pending = '';
		this.#decoder = new StringDecoder('utf8');
		const secure = tlsConnect({ socket: plain, ca: this.#o.ca, servername: 'localhost', minVersion: 'TLSv1.2' });
		secure.once('secureConnect', () => {
			const cipher = secure.getCipher();
			this.#record('tls', secure.getProtocol() ?? 'TLS');
			this.#send({ t: 'tls', version: secure.getProtocol() ?? 'TLS', cipher: cipher.name });
		});
		secure.on('error', () => {
			this.#note('tls-failed');
			this.close();
		});
		this.#listen(secure);
	}

	/** Reads back from the store what the server's replies claim: a stored message, a mailbox's size. */
	async #collectFacts(line: string): Promise<void> {
		const { store, mailbox } = this.#o;
		if (this.#o.protocol === 'smtp') {
			const stored = /^250 .*stored as (\S+)/.exec(line);
			if (!stored) return;
			const id = stored[1]!;
			const summary = store.getSummary(id);
			const session = await store.getSession(id);
			if (!summary || !session) return;
			this.evidence.delivered.push({
				id,
				envelopeTo: session.envelope.rcptTo,
				headerTo: summary.to.map((a) => a.address),
				inOwnMailbox: summary.mailbox === mailbox,
			});
			this.#judge();
			return;
		}
		const loggedIn = this.#o.protocol === 'pop3' ? /^\+OK/.test(line) && this.#lastClientVerb() === 'PASS' : /^\S+ OK\b/.test(line) && this.#lastClientVerb() === 'LOGIN';
		const messages = store.listMailbox(mailbox);
		if (loggedIn && this.evidence.mailboxSizeAtLogin === null) this.evidence.mailboxSizeAtLogin = messages.length;
		if (this.evidence.mailboxSizeAtLogin !== null) {
			this.evidence.mailboxSize = messages.length;
			this.evidence.newestRead = messages.at(-1)?.read ?? null;
		}
	}

	#lastClientVerb(): string {
		const last = this.evidence.entries.findLast((e) => e.from === 'client');
		const tokens = (last?.line ?? '').trim().split(/\s+/);
		return ((this.#o.protocol === 'imap' ? tokens[1] : tokens[0]) ?? '').toUpperCase();
	}

	#judge(): void {
		const goals: GoalReport[] = judgeGoals(this.evidence);
		const key = JSON.stringify(goals);
		if (key === this.#lastGoals) return;
		this.#lastGoals = key;
		this.#send({ t: 'goals', goals });
	}

	// --- plumbing ---

	#record(from: 'client' | 'server' | 'tls', line: string): void {
		if (this.evidence.entries.length < MAX_EVIDENCE_ENTRIES) this.evidence.entries.push({ from, line });
	}

	#flushElided(): void {
		if (this.#elided === 0) return;
		this.#note('elided', this.#elided);
		this.#elided = 0;
	}

	#note(key: ConsoleNoteKey, count?: number): void {
		this.#send(count === undefined ? { t: 'note', key } : { t: 'note', key, count });
	}

	#send(message: ConsoleServerMessage): void {
		if (this.#ws.readyState !== this.#ws.OPEN) return;
		// A page that does not read what it asked for would make the bridge buffer without end.
		if (this.#ws.bufferedAmount > MAX_BUFFERED_BYTES) return this.close();
		this.#ws.send(JSON.stringify(message));
	}

	#touch(): void {
		if (this.#idle) clearTimeout(this.#idle);
		this.#idle = setTimeout(() => {
			this.#note('idle-closed', Math.round(this.#o.idleMs / 1000));
			this.close();
		}, this.#o.idleMs);
		this.#idle.unref();
	}

	/** Token bucket: MESSAGES_PER_SECOND on average, MESSAGE_BURST at once. */
	#take(): boolean {
		const now = Date.now();
		this.#tokens = Math.min(MESSAGE_BURST, this.#tokens + ((now - this.#refilledAt) / 1000) * MESSAGES_PER_SECOND);
		this.#refilledAt = now;
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}
}

/** A line that says how a command went, as opposed to the text of a message or a list. */
export function isStatusLine(protocol: ConsoleProtocol, line: string): boolean {
	switch (protocol) {
		case 'smtp':
			return /^\d{3}(?:[ -]|$)/.test(line);
		case 'pop3':
			return /^[+-](OK|ERR)\b/.test(line) || line === '.';
		case 'imap':
			return /^(\* |\+ |[A-Za-z0-9.]+ (OK|NO|BAD)\b)/i.test(line);
	}
}

/** Whether `line` answers a pending STARTTLS/STLS: go ahead, refused, or not the answer yet. */
export function tlsVerdict(protocol: ConsoleProtocol, tag: string | null, line: string): 'go' | 'refused' | 'wait' {
	switch (protocol) {
		case 'smtp':
			if (/^\d{3}-/.test(line)) return 'wait';
			return /^220[ ]?/.test(line) ? 'go' : /^\d{3}/.test(line) ? 'refused' : 'wait';
		case 'pop3':
			return line.startsWith('+OK') ? 'go' : line.startsWith('-ERR') ? 'refused' : 'wait';
		case 'imap': {
			if (tag === null || !line.startsWith(`${tag} `)) return 'wait';
			return /^\S+ OK\b/i.test(line) ? 'go' : 'refused';
		}
	}
}

/** An IMAP quoted string (RFC 3501 §4.3); the helper's user names and passwords are short and on one line. */
function imapString(text: string): string {
	return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The page's message, checked field by field; null for anything else. */
export function parseClientMessage(text: string | null): ConsoleClientMessage | null {
	if (text === null) return null;
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		if (!(error instanceof SyntaxError)) throw error;
		return null;
	}
	if (typeof value !== 'object' || value === null) return null;
	const record = value as Record<string, unknown>;
	if (record['t'] === 'close') return { t: 'close' };
	if (record['t'] === 'lines') {
		const lines = record['lines'];
		if (!Array.isArray(lines) || !lines.every((l): l is string => typeof l === 'string')) return null;
		return { t: 'lines', lines };
	}
	if (record['t'] === 'login') {
		const { mechanism, user, password } = record;
		if ((mechanism !== 'PLAIN' && mechanism !== 'LOGIN') || typeof user !== 'string' || typeof password !== 'string') return null;
		if (/[\r\n\0]/.test(user) || /[\r\n\0]/.test(password)) return null;
		return { t: 'login', mechanism, user, password };
	}
	return null;
}
