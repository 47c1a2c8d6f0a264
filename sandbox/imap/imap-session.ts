/**
 * One IMAP4rev1 session (RFC 3501): Not Authenticated → Authenticated → Selected → Logout, over the one INBOX
 * of the login's mailbox.
 *
 * A mailbox clients may change, as real ones can: SELECT opens it [READ-WRITE], and \Seen, \Answered,
 * \Flagged, \Draft and \Deleted are durable and shared with every other session, POP3 and the web inbox
 * (\Seen is the inbox's read state). EXPUNGE, UID EXPUNGE (RFC 4315) and CLOSE delete the messages marked
 * \Deleted through the store call the API's DELETE uses. Keywords last for the session. EXAMINE is [READ-ONLY].
 *
 * Changes made anywhere (web, API, another session, new mail) reach the session as the RFC allows: at once
 * during IDLE, otherwise with the next command's answers, EXPUNGE never during FETCH, STORE or SEARCH by
 * sequence number (§7.4.1), so numbers never shift under a client.
 *
 * With the server's `readOnly` (SANDBOX_MAILBOX_READ_ONLY) the mailbox is a fixed demo: nothing a client does
 * reaches the store. SELECT then still says [READ-WRITE] with PERMANENTFLAGS () (flags a client sets last for
 * the session, RFC 3501 §7.1), because [READ-ONLY] makes Python's `imaplib.select('INBOX')` raise and mail
 * clients complain each time they mark a message read; EXPUNGE is refused. Extensions:
 * STARTTLS and LOGINDISABLED-free LOGIN (RFC 3501), SASL-IR (RFC 4959), IDLE (RFC 2177), ID (RFC 2971),
 * NAMESPACE (RFC 2342), UNSELECT (RFC 3691), UIDPLUS's UID EXPUNGE (RFC 4315), LITERAL- (RFC 7888).
 */
import { MessageGoneError, DURABLE_FLAGS, durableFlags, type StoredMessageRef } from '../line-protocol/mailbox-source.ts';
import { LineReader } from '../line-protocol/line-reader.ts';
import { SerialQueue } from '../line-protocol/serial-queue.ts';
import type { MailReadSessionOptions } from '../line-protocol/mail-read-server.ts';
import { isCredentialVerb, redactCredentialLine } from '../smtp/credential-lines.ts';
import { announcedLiteral, ImapSyntaxError, parseCommand, parseCommandTag, tokenText, type ImapCommand, type ImapToken } from './imap-command-parser.ts';
import { parseFetchItems, sectionBytes, type FetchItem } from './imap-fetch.ts';
import { nstring, toTranscript, toWire, type ResponsePiece } from './imap-response.ts';
import { BadCharsetError, compileSearch } from './imap-search.ts';
import { bodyStructure, envelope } from './imap-structure.ts';
import { parseMime } from '../mail/mime-tree.ts';
import { inRanges, parseSequenceSet, resolveRanges } from './sequence-set.ts';
import { errorDetail, errorMessage } from '../error-text.ts';

/** A message as this session knows it; its position in the session's list is its sequence number. */
interface SessionMessage {
	uid: number;
	ref: StoredMessageRef;
	/** What the client has been told: the durable flags and this session's keywords. */
	flags: Set<string>;
	/** The store's durable flags when the client was last told them (space-joined), to notice changes elsewhere. */
	known: string;
}

/** Commands during which EXPUNGE must not be sent (RFC 3501 §7.4.1): their answers use sequence numbers. */
const NO_EXPUNGE_DURING = new Set(['FETCH', 'STORE', 'SEARCH']);
const DURABLE = new Set<string>(DURABLE_FLAGS);

/** RFC 7162 §4 asks clients to keep command lines under 8192 octets; servers should accept that much. */
const MAX_LINE = 8192;
/** A read-only server needs literals only for names, passwords and search strings. */
const MAX_LITERAL = 64 * 1024;
/**
 * The largest literal a client may send without waiting for our continuation (RFC 7888 LITERAL-): a larger one
 * would arrive before we could refuse it, so it ends the session rather than having its bytes read as commands.
 */
const MAX_NON_SYNC_LITERAL = 4096;
/** A whole command with its literals; more is someone trying to fill our memory. */
const MAX_COMMAND = 256 * 1024;
/** After this many wrong passwords the connection is closed, which slows down guessing. */
const MAX_AUTH_FAILURES = 3;
/** Garbage (an HTTP client on the port, a fuzzer) is cut off after this many BAD answers. */
const MAX_BAD_COMMANDS = 20;

const FLAGS = '(\\Answered \\Flagged \\Deleted \\Seen \\Draft)';
const READ_ONLY = 'NO [READ-ONLY] The mailbox was opened with EXAMINE (read-only); SELECT it to change flags or delete';
const NO_MESSAGE_CHANGES = 'NO [CANNOT] This sandbox inbox is read-only (SANDBOX_MAILBOX_READ_ONLY): messages cannot be removed';
const NO_COPY = 'NO [CANNOT] This sandbox has one INBOX: there is no other mailbox to copy or move to';
/** System flags as RFC 3501 spells them; clients may send any case. \Recent cannot be stored (§2.3.2). */
const SYSTEM_FLAGS = new Map(['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'].map((f) => [f.toLowerCase(), f]));
const NO_MAILBOX_CHANGES = 'NO [CANNOT] This sandbox has one read-only INBOX: mailboxes cannot be created, changed or appended to';

export type ImapSessionOptions = MailReadSessionOptions;

type State = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

export class ImapSession {
	#o: ImapSessionOptions;
	#state: State = 'not-authenticated';
	#mailbox: string | null = null;
	/** The selected mailbox as this session knows it; sequence numbers are positions here. */
	#messages: SessionMessage[] = [];
	/** EXAMINE (true) or SELECT (false). */
	#examined = true;
	/** The command being answered, for the rule on when EXPUNGE may be sent. */
	#command: string | null = null;
	#idleTag: string | null = null;
	#authTag: string | null = null;
	/** Something in the mailbox changed since the last look at the store. */
	#dirty = false;
	/** A look at the store is queued for the IDLE client already. */
	#idleSyncQueued = false;
	#authFailures = 0;
	#badCommands = 0;
	#partial: string | null = null;
	#unsubscribe: (() => void) | null = null;
	#queue: SerialQueue;
	#reader: LineReader;

	constructor(options: ImapSessionOptions) {
		this.#o = options;
		const connection = options.connection;
		this.#queue = new SerialQueue((error) => {
			options.logger.warn('log.mailRead.sessionError', { protocol: 'IMAP', reason: errorDetail(error) });
			void this.#untagged('BYE Internal server error, please reconnect').then(() => connection.close());
		}, connection);
		this.#reader = new LineReader(MAX_LINE, (item) => {
			if (item.kind === 'line') this.#onLine(item.line);
			else if (item.kind === 'bytes') this.#partial = (this.#partial ?? '') + item.data.toString('latin1');
			else this.#onOverflow(item.head, item.tail);
		});
		connection.onData((chunk) => this.#reader.push(chunk));
		connection.onTimeout((reason) => {
			this.#queue.push(async () => {
				await this.#untagged(reason === 'idle' ? 'BYE Idle for too long, logging out' : 'BYE No login in time, logging out');
				connection.close();
			});
		});
		connection.onFailure((error) => {
			options.logger.warn('log.mailRead.sessionError', { protocol: 'IMAP', reason: errorMessage(error) });
			void this.#untagged('BYE Internal server error, please reconnect').then(() => connection.close());
		});
		connection.onClose(() => this.#unsubscribe?.());
	}

	async start(): Promise<void> {
		await this.#untagged(`OK [CAPABILITY ${this.#capabilities()}] Postlab IMAP sandbox ready${this.#o.readOnly ? ' (read-only)' : ''}`);
	}

	/**
	 * A command line past MAX_LINE was dropped. If it announced a literal the client sends without waiting (`{n+}`),
	 * those bytes are on their way and would be read as commands: the session ends, as for any literal too big.
	 */
	#onOverflow(head: string, tail: string): void {
		const tag = parseCommandTag(this.#partial ?? head);
		this.#partial = null;
		const literal = this.#authTag === null && this.#idleTag === null ? announcedLiteral(tail) : null;
		const reason = `Command line too long (limit ${MAX_LINE} octets)`;
		if (literal && !literal.synchronising) this.#refuseUnreadLiteral(tag ?? '*', reason);
		else this.#queue.push(() => this.#bad(tag, reason));
	}

	/**
	 * Refuses a command whose non-synchronising literal is on its way: the client sends the bytes anyway, perhaps
	 * gigabytes of them, and reading them only to skip them is not bounded, so the session ends.
	 */
	#refuseUnreadLiteral(tag: string, reason: string): void {
		this.#queue.push(async () => {
			await this.#tagged(tag, `BAD [TOOBIG] ${reason}`);
			await this.#untagged('BYE Closing: the literal that follows is not read');
			this.#o.connection.close();
		});
	}

	/** Assembles commands from lines and literals (RFC 3501 §4.3) before they are queued. */
	#onLine(line: string): void {
		const text = (this.#partial ?? '') + line;
		const literal = announcedLiteral(line);
		if (!literal || this.#authTag !== null || this.#idleTag !== null) {
			this.#partial = null;
			this.#queue.push(() => this.#handle(text));
			return;
		}
		const { size, synchronising } = literal;
		const tag = parseCommandTag(text) ?? '*';
		const isAppend = /^\S+\s+APPEND\s/i.test(text);
		const limit = synchronising ? MAX_LITERAL : MAX_NON_SYNC_LITERAL;
		const tooBig =
			size > limit
				? `Literal too large${synchronising ? '' : ' to send without a continuation'} (limit ${limit} octets)`
				: text.length + size > MAX_COMMAND
					? `Command too long with its literals (limit ${MAX_COMMAND} octets)`
					: null;
		if (tooBig || (isAppend && synchronising)) {
			this.#partial = null;
			if (!synchronising) return this.#refuseUnreadLiteral(tag, tooBig ?? 'Literal refused');
			this.#queue.push(() => (isAppend ? this.#tagged(tag, NO_MAILBOX_CHANGES) : this.#tagged(tag, `BAD [TOOBIG] ${tooBig}`)));
			return;
		}
		this.#partial = `${text}\r\n`;
		if (synchronising) this.#queue.push(() => this.#continuation('Ready for literal data'));
		this.#reader.expectBytes(size);
	}

	async #handle(text: string): Promise<void> {
		const connection = this.#o.connection;
		if (connection.closed || this.#state === 'logout') return;
		if (this.#authTag !== null) return this.#saslResponse(text);
		if (this.#idleTag !== null) return this.#idleInput(text);

		// Decided by the verb before any parsing: a malformed LOGIN (an unclosed quote) still hides its password.
		const credentials = redactCredentialLine(text, { tagged: true });
		let command: ImapCommand;
		try {
			command = parseCommand(text);
		} catch (error) {
			connection.recorder.client(credentials ?? displayCommand(text));
			const reason = error instanceof ImapSyntaxError ? error.message : 'Syntax error';
			// Some parser messages quote the text near the error, which in a login line is the password.
			const message = credentials !== null && reason.includes('"') ? 'Malformed login command' : reason;
			return this.#bad(parseCommandTag(text), message);
		}
		connection.recorder.client(redacted(command, text, credentials));
		this.#command = command.name;
		try {
			await this.#run(command);
		} finally {
			this.#command = null;
		}
	}

	async #run(c: ImapCommand): Promise<void> {
		const state = this.#state;
		const authed = state === 'authenticated' || state === 'selected';
		switch (c.name) {
			case 'CAPABILITY':
				await this.#untagged(`CAPABILITY ${this.#capabilities()}`);
				return this.#tagged(c.tag, 'OK CAPABILITY completed');
			case 'NOOP':
			case 'CHECK':
				if (c.name === 'CHECK' && state !== 'selected') return this.#wrongState(c);
				if (state === 'selected') await this.#sync(true);
				return this.#tagged(c.tag, `OK ${c.name} completed`);
			case 'LOGOUT':
				await this.#untagged('BYE Postlab IMAP sandbox logging out');
				await this.#tagged(c.tag, 'OK LOGOUT completed');
				this.#state = 'logout';
				this.#o.connection.close();
				return;
			case 'ID':
				await this.#untagged('ID ("name" "Postlab sandbox")');
				return this.#tagged(c.tag, 'OK ID completed');
			case 'STARTTLS':
				return state === 'not-authenticated' ? this.#startTls(c) : this.#wrongState(c);
			case 'LOGIN':
			case 'AUTHENTICATE':
				if (state !== 'not-authenticated') return this.#wrongState(c);
				if (!this.#o.loginAllowed()) return this.#tagged(c.tag, 'NO [PRIVACYREQUIRED] Use STARTTLS (or the TLS port) before logging in');
				return c.name === 'LOGIN' ? this.#login(c) : this.#authenticate(c);
		}
		if (!authed) return isKnownCommand(c.name) ? this.#wrongState(c) : this.#bad(c.tag, unknownCommand(c.name));
		switch (c.name) {
			case 'SELECT':
			case 'EXAMINE':
				return this.#select(c);
			case 'LIST':
			case 'LSUB':
				return this.#list(c);
			case 'STATUS':
				return this.#status(c);
			case 'NAMESPACE':
				await this.#untagged('NAMESPACE (("" "/")) NIL NIL');
				return this.#tagged(c.tag, 'OK NAMESPACE completed');
			case 'IDLE':
				this.#idleTag = c.tag;
				await this.#continuation('idling');
				if (state === 'selected') await this.#sync(true);
				return;
			case 'ENABLE':
				await this.#untagged('ENABLED');
				return this.#tagged(c.tag, 'OK Nothing to enable here');
			case 'CREATE':
			case 'DELETE':
			case 'RENAME':
			case 'SUBSCRIBE':
			case 'UNSUBSCRIBE':
			case 'APPEND':
				return this.#tagged(c.tag, NO_MAILBOX_CHANGES);
		}
		if (state !== 'selected') {
			if (isKnownCommand(c.name)) return this.#wrongState(c);
			return this.#bad(c.tag, unknownCommand(c.name));
		}
		switch (c.name) {
			case 'FETCH':
			case 'UID FETCH':
				return this.#fetch(c, c.name === 'UID FETCH');
			case 'SEARCH':
			case 'UID SEARCH':
				return this.#search(c, c.name === 'UID SEARCH');
			case 'CLOSE':
				// CLOSE expunges silently (§6.4.2); UNSELECT (and CLOSE after EXAMINE) just leaves.
				if (this.#writable) await this.#expungeMarked(null);
				this.#deselect();
				return this.#tagged(c.tag, `OK ${c.name} completed`);
			case 'UNSELECT':
				this.#deselect();
				return this.#tagged(c.tag, `OK ${c.name} completed`);
			case 'STORE':
			case 'UID STORE':
				return this.#examined ? this.#tagged(c.tag, READ_ONLY) : this.#store(c, c.name === 'UID STORE');
			case 'EXPUNGE':
			case 'UID EXPUNGE':
				if (this.#examined) return this.#tagged(c.tag, READ_ONLY);
				if (this.#o.readOnly) return this.#tagged(c.tag, NO_MESSAGE_CHANGES);
				return this.#expunge(c, c.name === 'UID EXPUNGE');
			case 'COPY':
			case 'UID COPY':
			case 'MOVE':
			case 'UID MOVE':
				return this.#tagged(c.tag, this.#examined ? READ_ONLY : NO_COPY);
			default:
				return this.#bad(c.tag, unknownCommand(c.name));
		}
	}

	#capabilities(): string {
		const caps = ['IMAP4rev1'];
		if (this.#state === 'not-authenticated' && this.#o.canStartTls()) caps.push('STARTTLS');
		if (this.#state === 'not-authenticated') caps.push(...(this.#o.loginAllowed() ? ['AUTH=PLAIN', 'SASL-IR'] : ['LOGINDISABLED']));
		caps.push('IDLE', 'ID', 'NAMESPACE', 'UNSELECT', 'ENABLE', 'UIDPLUS', 'LITERAL-');
		return caps.join(' ');
	}

	async #startTls(c: ImapCommand): Promise<void> {
		if (!this.#o.canStartTls()) return this.#tagged(c.tag, 'BAD TLS is already active');
		await this.#tagged(c.tag, 'OK Begin TLS negotiation now');
		// Bytes sent before the handshake travelled in clear and must not be obeyed (RFC 3501 §6.2.1).
		this.#queue.clear();
		this.#reader.discardBuffered();
		this.#partial = null;
		await this.#o.connection.startTls();
	}

	async #login(c: ImapCommand): Promise<void> {
		const user = tokenText(c.args[0]);
		const password = tokenText(c.args[1]);
		if (user === null || password === null || c.args.length !== 2) return this.#bad(c.tag, 'LOGIN needs a user name and a password');
		return this.#checkCredentials(c.tag, utf8(user), utf8(password));
	}

	async #authenticate(c: ImapCommand): Promise<void> {
		const mechanism = tokenText(c.args[0])?.toUpperCase();
		if (mechanism !== 'PLAIN') return this.#tagged(c.tag, 'NO [CANNOT] Only AUTHENTICATE PLAIN is supported');
		const initial = tokenText(c.args[1]);
		if (initial !== null) return this.#plainResponse(c.tag, initial === '=' ? '' : initial);
		this.#authTag = c.tag;
		await this.#continuation('');
	}

	async #saslResponse(line: string): Promise<void> {
		const tag = this.#authTag ?? '*';
		this.#authTag = null;
		this.#o.connection.recorder.client('[redacted]');
		if (line.trim() === '*') return this.#tagged(tag, 'BAD Authentication cancelled');
		return this.#plainResponse(tag, line.trim());
	}

	/** RFC 4616: base64 of authzid NUL authcid NUL password. */
	async #plainResponse(tag: string, base64: string): Promise<void> {
		if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return this.#bad(tag, 'AUTHENTICATE PLAIN response is not base64');
		const parts = Buffer.from(base64, 'base64').toString('utf8').split('\0');
		if (parts.length !== 3) return this.#bad(tag, 'AUTHENTICATE PLAIN response must be authzid NUL user NUL password');
		return this.#checkCredentials(tag, parts[1] ?? '', parts[2] ?? '');
	}

	async #checkCredentials(tag: string, user: string, password: string): Promise<void> {
		const mailbox = await this.#o.authenticator.authenticate(user, password);
		if (mailbox === null) {
			this.#authFailures += 1;
			await this.#tagged(tag, 'NO [AUTHENTICATIONFAILED] Wrong user name or password');
			if (this.#authFailures >= MAX_AUTH_FAILURES) {
				await this.#untagged('BYE Too many failed logins');
				this.#o.connection.close();
			}
			return;
		}
		this.#mailbox = mailbox;
		this.#state = 'authenticated';
		this.#o.connection.recorder.transcript.user = user;
		this.#o.connection.loggedIn();
		this.#unsubscribe = this.#o.source.onChange((box) => {
			if (box !== null && box !== this.#mailbox) return;
			this.#dirty = true;
			// In IDLE the client waits for exactly this: tell it now (RFC 2177). One queued look at the store
			// covers a burst of changes (a group commit of fifty messages, a class's inbox cleared).
			if (this.#idleTag !== null && this.#state === 'selected' && !this.#idleSyncQueued) {
				this.#idleSyncQueued = true;
				this.#queue.push(() => {
					this.#idleSyncQueued = false;
					return this.#idleTag === null ? Promise.resolve() : this.#sync(true);
				});
			}
		});
		await this.#tagged(tag, `OK [CAPABILITY ${this.#capabilities()}] Logged in`);
	}

	async #select(c: ImapCommand): Promise<void> {
		this.#deselect();
		const name = tokenText(c.args[0]);
		if (name === null) return this.#bad(c.tag, `${c.name} needs a mailbox name`);
		if (name.toUpperCase() !== 'INBOX') return this.#tagged(c.tag, 'NO [NONEXISTENT] This sandbox has only INBOX');
		const mailbox = this.#mailbox ?? 'default';
		const source = this.#o.source;
		this.#messages = (await source.list(mailbox)).map(sessionMessage);
		this.#dirty = false;
		this.#state = 'selected';
		this.#examined = c.name === 'EXAMINE';
		await this.#untagged(`FLAGS ${FLAGS}`);
		if (this.#writable) await this.#untagged(`OK [PERMANENTFLAGS ${FLAGS}] Flags are kept and shared with the web inbox`);
		else if (this.#examined) await this.#untagged('OK [PERMANENTFLAGS ()] Read-only (EXAMINE)');
		else await this.#untagged('OK [PERMANENTFLAGS ()] Flags last for this session only (SANDBOX_MAILBOX_READ_ONLY)');
		await this.#untagged(`${this.#messages.length} EXISTS`);
		await this.#untagged('0 RECENT');
		const unseen = this.#messages.findIndex((m) => !m.flags.has('\\Seen'));
		if (unseen !== -1) await this.#untagged(`OK [UNSEEN ${unseen + 1}] First unseen message`);
		await this.#untagged(`OK [UIDVALIDITY ${source.uidValidity}] UIDs valid`);
		await this.#untagged(`OK [UIDNEXT ${source.uidNext(mailbox)}] Predicted next UID`);
		if (this.#examined) await this.#tagged(c.tag, 'OK [READ-ONLY] EXAMINE completed');
		else if (this.#o.readOnly) await this.#tagged(c.tag, 'OK [READ-WRITE] SELECT completed (flags last for this session; this sandbox keeps its mail as it is)');
		else await this.#tagged(c.tag, 'OK [READ-WRITE] SELECT completed');
	}

	/** SELECTed with the store open to changes: flags and deletions reach the store. */
	get #writable(): boolean {
		return this.#state === 'selected' && !this.#examined && !this.#o.readOnly;
	}

	#deselect(): void {
		if (this.#state === 'selected') this.#state = 'authenticated';
		this.#messages = [];
		this.#examined = true;
	}

	/**
	 * Gives a message new flags: the durable ones go to the store (unless the server is read-only), keywords
	 * stay in the session. False when the message was deleted meanwhile.
	 */
	async #setFlags(message: SessionMessage, flags: Set<string>): Promise<boolean> {
		if (this.#writable) {
			const stored = await this.#o.source.setFlags(this.#mailbox ?? 'default', message.ref.id, durableFlags(flags));
			if (!stored) return false;
			message.ref = stored;
			message.known = stored.flags.join(' ');
		}
		message.flags = flags;
		return true;
	}

	/** STORE (RFC 3501 §6.4.6) on session flags: FLAGS, +FLAGS, -FLAGS, each optionally .SILENT. */
	async #store(c: ImapCommand, byUid: boolean): Promise<void> {
		const action = tokenText(c.args[1])?.toUpperCase() ?? '';
		const match = /^([+-]?)FLAGS(\.SILENT)?$/.exec(action);
		if (!match) return this.#bad(c.tag, 'STORE needs FLAGS, +FLAGS or -FLAGS');
		const given = c.args[2]?.type === 'list' ? c.args[2].items : c.args.slice(2);
		const flags: string[] = [];
		for (const token of given) {
			const text = tokenText(token);
			if (text === null || !/^\\?[\x21-\x7e]+$/.test(text) || /[(){%*"\]]/.test(text)) return this.#bad(c.tag, 'Invalid flag');
			if (text.startsWith('\\')) {
				const system = SYSTEM_FLAGS.get(text.toLowerCase());
				if (!system) return this.#bad(c.tag, `${printable(text)} cannot be stored`);
				flags.push(system);
			} else {
				flags.push(text);
			}
		}
		const targets = this.#resolve(tokenText(c.args[0]), byUid);
		if (typeof targets === 'string') return this.#bad(c.tag, targets);
		// All at once: the store's group commit makes `STORE 1:500 +FLAGS (\\Seen)` one sync, not 500.
		const stored = await Promise.all(
			targets.map(({ message }) => {
				const next = new Set(match[1] === '' ? [] : message.flags);
				for (const flag of flags) {
					if (match[1] === '-') next.delete(flag);
					else next.add(flag);
				}
				return this.#setFlags(message, orderFlags(next));
			}),
		);
		let gone = 0;
		for (const [index, { seq, message }] of targets.entries()) {
			if (!stored[index]) gone += 1;
			else if (!match[2]) await this.#untagged(`${seq} FETCH (${byUid ? `UID ${message.uid} ` : ''}FLAGS (${[...message.flags].join(' ')}))`);
		}
		if (gone > 0) return this.#tagged(c.tag, 'NO [EXPUNGEISSUED] Some of the messages were deleted meanwhile');
		return this.#tagged(c.tag, `OK ${c.name} completed${this.#o.readOnly ? ' (flags last for this session only)' : ''}`);
	}

	/** EXPUNGE and UID EXPUNGE (RFC 4315 §2.1): deletes what this mailbox marks \Deleted, then tells which went. */
	async #expunge(c: ImapCommand, byUid: boolean): Promise<void> {
		let only: Set<number> | null = null;
		if (byUid) {
			const targets = this.#resolve(tokenText(c.args[0]), true);
			if (typeof targets === 'string') return this.#bad(c.tag, targets);
			only = new Set(targets.map(({ message }) => message.uid));
		}
		await this.#expungeMarked(only);
		await this.#sync(true);
		return this.#tagged(c.tag, `OK ${c.name} completed`);
	}

	/** Deletes the messages marked \Deleted (those of `only`, when given) through the store. */
	async #expungeMarked(only: Set<number> | null): Promise<void> {
		// \Deleted set elsewhere counts too: the store's flags are the mailbox's.
		await this.#refreshFlags();
		const ids = this.#messages.filter((m) => m.flags.has('\\Deleted') && (only === null || only.has(m.uid))).map((m) => m.ref.id);
		if (ids.length > 0) await this.#o.source.remove(this.#mailbox ?? 'default', ids);
	}

	/** Takes the store's durable flags into the session's view without telling the client (the caller does). */
	async #refreshFlags(): Promise<void> {
		const fresh = new Map((await this.#o.source.list(this.#mailbox ?? 'default')).map((ref) => [ref.uid, ref]));
		for (const message of this.#messages) {
			const ref = fresh.get(message.uid);
			if (ref && ref.flags.join(' ') !== message.known) message.flags = mergeFlags(ref, message.flags);
		}
	}

	/**
	 * Brings the session's view up to date: EXPUNGE (when allowed) for deleted mail, FETCH FLAGS for flags changed
	 * elsewhere, EXISTS for new mail. A deletion that may not be told yet leaves the session dirty, so the next
	 * command that allows it tells it.
	 */
	async #sync(allowExpunge: boolean): Promise<void> {
		if (this.#state !== 'selected' || this.#mailbox === null) return;
		this.#dirty = false;
		const list = await this.#o.source.list(this.#mailbox);
		const fresh = new Map(list.map((ref) => [ref.uid, ref]));
		// From the highest number down, so each EXPUNGE leaves the lower numbers as they were.
		for (let index = this.#messages.length - 1; index >= 0; index -= 1) {
			const message = this.#messages[index]!;
			if (fresh.has(message.uid)) continue;
			if (!allowExpunge) {
				this.#dirty = true;
				continue;
			}
			this.#messages.splice(index, 1);
			await this.#untagged(`${index + 1} EXPUNGE`);
		}
		for (const [index, message] of this.#messages.entries()) {
			const ref = fresh.get(message.uid);
			if (!ref || ref.flags.join(' ') === message.known) continue;
			message.ref = ref;
			message.known = ref.flags.join(' ');
			message.flags = mergeFlags(ref, message.flags);
			await this.#untagged(`${index + 1} FETCH (UID ${message.uid} FLAGS (${[...message.flags].join(' ')}))`);
		}
		const lastUid = this.#messages.at(-1)?.uid ?? 0;
		const added = list.filter((ref) => ref.uid > lastUid);
		if (added.length > 0) {
			this.#messages.push(...added.map(sessionMessage));
			await this.#untagged(`${this.#messages.length} EXISTS`);
		}
	}

	async #idleInput(line: string): Promise<void> {
		const tag = this.#idleTag ?? '*';
		this.#idleTag = null;
		this.#o.connection.recorder.client(line);
		if (line.trim().toUpperCase() === 'DONE') return this.#tagged(tag, 'OK IDLE terminated');
		return this.#bad(tag, 'Expected DONE to end IDLE');
	}

	async #list(c: ImapCommand): Promise<void> {
		// LIST-EXTENDED (RFC 5258) selection options come first in parentheses; we have nothing to select by.
		const args = c.args[0]?.type === 'list' ? c.args.slice(1) : c.args;
		const reference = tokenText(args[0]);
		const pattern = tokenText(args[1]);
		if (reference === null || pattern === null) return this.#bad(c.tag, `${c.name} needs a reference and a mailbox pattern`);
		if (pattern === '') {
			if (c.name === 'LIST') await this.#untagged('LIST (\\Noselect) "/" ""');
		} else if (matchesInbox(reference + pattern)) {
			await this.#untagged(`${c.name} (\\HasNoChildren) "/" INBOX`);
		}
		return this.#tagged(c.tag, `OK ${c.name} completed`);
	}

	async #status(c: ImapCommand): Promise<void> {
		const name = tokenText(c.args[0]);
		const items = c.args[1];
		if (name === null || items?.type !== 'list') return this.#bad(c.tag, 'STATUS needs a mailbox and a list of items');
		if (name.toUpperCase() !== 'INBOX') return this.#tagged(c.tag, 'NO [NONEXISTENT] This sandbox has only INBOX');
		const mailbox = this.#mailbox ?? 'default';
		const messages = await this.#o.source.list(mailbox);
		const values: Record<string, number> = {
			MESSAGES: messages.length,
			RECENT: 0,
			UIDNEXT: this.#o.source.uidNext(mailbox),
			UIDVALIDITY: this.#o.source.uidValidity,
			UNSEEN: messages.filter((ref) => !ref.flags.includes('\\Seen')).length,
		};
		const out: string[] = [];
		for (const item of items.items) {
			const key = tokenText(item)?.toUpperCase() ?? '';
			const value = values[key];
			if (value === undefined) return this.#bad(c.tag, `Unknown STATUS item "${printable(key)}"`);
			out.push(`${key} ${value}`);
		}
		await this.#untagged(`STATUS INBOX (${out.join(' ')})`);
		return this.#tagged(c.tag, 'OK STATUS completed');
	}

	/** The messages a sequence set names; a string is the BAD text when the set is not valid. */
	#resolve(text: string | null, byUid: boolean): Array<{ seq: number; message: SessionMessage }> | string {
		const ranges = text === null ? null : parseSequenceSet(text);
		if (!ranges) return 'Invalid sequence set';
		const count = this.#messages.length;
		if (byUid) {
			const resolved = resolveRanges(ranges, this.#messages.at(-1)?.uid ?? 0);
			return this.#messages.flatMap((message, index) => (inRanges(message.uid, resolved) ? [{ seq: index + 1, message }] : []));
		}
		if (ranges.some(([a, b]) => (a !== Number.POSITIVE_INFINITY && a > count) || (b !== '*' && b > count))) {
			return `No such message (this mailbox has ${count})`;
		}
		const resolved = resolveRanges(ranges, count);
		return this.#messages.flatMap((message, index) => (inRanges(index + 1, resolved) ? [{ seq: index + 1, message }] : []));
	}

	async #fetch(c: ImapCommand, byUid: boolean): Promise<void> {
		let items: FetchItem[];
		try {
			items = parseFetchItems(c.args[1]);
		} catch (error) {
			return this.#bad(c.tag, error instanceof Error ? error.message : 'Bad FETCH items');
		}
		if (c.args.length > 2) return this.#bad(c.tag, 'FETCH modifiers are not supported');
		if (byUid && !items.some((i) => i.kind === 'UID')) items.unshift({ kind: 'UID' });
		// Reading a body without PEEK sets \Seen (§6.4.5), shared with the web inbox, and the FETCH shows it.
		const setsSeen = !this.#examined && items.some((i) => i.kind === 'RFC822' || i.kind === 'RFC822.TEXT' || (i.kind === 'section' && !i.peek));
		if (setsSeen && !items.some((i) => i.kind === 'FLAGS')) items.push({ kind: 'FLAGS' });
		const targets = this.#resolve(tokenText(c.args[0]), byUid);
		if (typeof targets === 'string') return this.#bad(c.tag, targets);
		// \\Seen for every message read, all at once (one sync for the batch), before the answers that show it.
		const gone = new Set<SessionMessage>();
		if (setsSeen) {
			const unseen = targets.filter(({ message }) => !message.flags.has('\\Seen'));
			const stored = await Promise.all(unseen.map(({ message }) => this.#setFlags(message, orderFlags(new Set([...message.flags, '\\Seen'])))));
			unseen.forEach(({ message }, index) => {
				if (!stored[index]) gone.add(message);
			});
		}
		let missing = 0;
		for (const { seq, message } of targets) {
			if (gone.has(message)) {
				missing += 1;
				continue;
			}
			const pieces = await this.#fetchOne(message, items);
			if (!pieces) {
				missing += 1;
				continue;
			}
			await this.#send([`* ${seq} FETCH (`, ...pieces, ')']);
		}
		if (missing > 0) return this.#tagged(c.tag, 'NO [EXPUNGEISSUED] Some of the requested messages no longer exist');
		return this.#tagged(c.tag, `OK ${c.name} completed`);
	}

	async #fetchOne(message: SessionMessage, items: FetchItem[]): Promise<ResponsePiece[] | null> {
		const needsBytes = items.some((i) => !['FLAGS', 'UID', 'INTERNALDATE'].includes(i.kind));
		let data: Buffer = Buffer.alloc(0);
		if (needsBytes) {
			try {
				data = await this.#o.served.bytes(message.ref.id);
			} catch (error) {
				// Expunged elsewhere meanwhile: no FETCH for it. Any other failure is the session's error.
				if (error instanceof MessageGoneError) return null;
				throw error;
			}
		}
		let tree: ReturnType<typeof parseMime> | null = null;
		const mime = (): ReturnType<typeof parseMime> => (tree ??= parseMime(data));
		const out: ResponsePiece[] = [];
		for (const item of items) {
			if (out.length > 0) out.push(' ');
			switch (item.kind) {
				case 'FLAGS':
					out.push(`FLAGS (${[...message.flags].join(' ')})`);
					break;
				case 'UID':
					out.push(`UID ${message.uid}`);
					break;
				case 'INTERNALDATE':
					out.push(`INTERNALDATE "${internalDate(message.ref.receivedAt)}"`);
					break;
				case 'RFC822.SIZE':
					out.push(`RFC822.SIZE ${data.length}`);
					break;
				case 'ENVELOPE':
					out.push('ENVELOPE ', ...envelope(mime()));
					break;
				case 'BODYSTRUCTURE':
				case 'BODY':
					out.push(`${item.kind} `, ...bodyStructure(mime(), data, item.kind === 'BODYSTRUCTURE'));
					break;
				case 'RFC822':
					out.push('RFC822 ', data);
					break;
				case 'RFC822.HEADER':
					out.push('RFC822.HEADER ', data.subarray(0, mime().bodyStart));
					break;
				case 'RFC822.TEXT':
					out.push('RFC822.TEXT ', data.subarray(mime().bodyStart));
					break;
				case 'section': {
					const bytes = sectionBytes(data, mime(), item.section);
					out.push(`${item.label} `);
					if (bytes === null) out.push('NIL');
					else out.push(item.partial ? bytes.subarray(item.partial.start, item.partial.start + item.partial.count) : bytes);
					break;
				}
			}
		}
		return out;
	}

	async #search(c: ImapCommand, byUid: boolean): Promise<void> {
		let predicate: ReturnType<typeof compileSearch>;
		try {
			predicate = compileSearch(c.args);
		} catch (error) {
			if (error instanceof BadCharsetError) return this.#tagged(c.tag, `NO ${error.response}`);
			return this.#bad(c.tag, error instanceof Error ? error.message : 'Bad search');
		}
		const context = { largestSeq: this.#messages.length, largestUid: this.#messages.at(-1)?.uid ?? 0 };
		const found: number[] = [];
		for (const [index, message] of this.#messages.entries()) {
			const served = this.#o.served;
			let size: number;
			try {
				size = await served.size(message.ref.id);
			} catch (error) {
				if (error instanceof MessageGoneError) continue;
				throw error;
			}
			const candidate = {
				seq: index + 1,
				uid: message.uid,
				size,
				receivedAt: message.ref.receivedAt,
				flags: message.flags,
				bytes: () => served.bytes(message.ref.id),
			};
			if (await predicate(candidate, context)) found.push(byUid ? message.uid : index + 1);
		}
		await this.#untagged(found.length > 0 ? `SEARCH ${found.join(' ')}` : 'SEARCH');
		return this.#tagged(c.tag, `OK ${c.name} completed`);
	}

	async #wrongState(c: ImapCommand): Promise<void> {
		const why: Record<State, string> = {
			'not-authenticated': 'log in first (LOGIN or AUTHENTICATE)',
			authenticated: 'SELECT or EXAMINE INBOX first',
			selected: 'not allowed after login',
			logout: 'logging out',
		};
		const reason = c.name === 'STARTTLS' || c.name === 'LOGIN' || c.name === 'AUTHENTICATE' ? 'already logged in' : why[this.#state];
		return this.#bad(c.tag, `${printable(c.name)} is not valid now: ${reason}`);
	}

	async #bad(tag: string | null, reason: string): Promise<void> {
		this.#badCommands += 1;
		// Reasons quote the client's input, and a literal may hold CR and LF: one reason, one response line.
		const text = reason.replace(/[\x00-\x1f\x7f]/g, '?');
		if (tag === null) await this.#untagged(`BAD ${text}`);
		else await this.#tagged(tag, `BAD ${text}`);
		if (this.#badCommands >= MAX_BAD_COMMANDS) {
			await this.#untagged('BYE Too many invalid commands');
			this.#o.connection.close();
		}
	}

	#untagged(text: string): Promise<void> {
		return this.#o.connection.sendLine(`* ${text}`);
	}

	async #tagged(tag: string, text: string): Promise<void> {
		// Changes are announced with any command's answers (EXISTS and FETCH may come at any time, §7.3.1, §7.4.2);
		// EXPUNGE waits for a command whose answers do not use sequence numbers (§7.4.1).
		if (this.#state === 'selected' && this.#dirty) await this.#sync(this.#command === null || !NO_EXPUNGE_DURING.has(this.#command));
		await this.#o.connection.sendLine(`${tag} ${text}`);
	}

	#continuation(text: string): Promise<void> {
		return this.#o.connection.sendLine(`+ ${text}`);
	}

	async #send(pieces: ResponsePiece[]): Promise<void> {
		const connection = this.#o.connection;
		connection.recorder.server(toTranscript(pieces));
		await connection.sendRaw(Buffer.concat([toWire(pieces), Buffer.from('\r\n')]));
	}
}

function sessionMessage(ref: StoredMessageRef): SessionMessage {
	return { uid: ref.uid, ref, flags: new Set(ref.flags), known: ref.flags.join(' ') };
}

/** The store's durable flags with the session's keywords (which the store does not keep). */
function mergeFlags(ref: StoredMessageRef, session: ReadonlySet<string>): Set<string> {
	return orderFlags(new Set([...ref.flags, ...[...session].filter((flag) => !DURABLE.has(flag))]));
}

/** System flags first in a fixed order, then keywords as set: FETCH answers read the same every time. */
function orderFlags(flags: ReadonlySet<string>): Set<string> {
	return new Set([...DURABLE_FLAGS.filter((flag) => flags.has(flag)), ...[...flags].filter((flag) => !DURABLE.has(flag))]);
}

/** Commands we know but that need another state; anything else is answered as unknown. */
function isKnownCommand(name: string): boolean {
	return /^(UID )?(FETCH|SEARCH|STORE|COPY|MOVE|EXPUNGE)$|^(CLOSE|UNSELECT|CHECK|SELECT|EXAMINE|LIST|LSUB|STATUS|NAMESPACE|IDLE|ENABLE|CREATE|DELETE|RENAME|SUBSCRIBE|UNSUBSCRIBE|APPEND)$/.test(name);
}

/** LIST patterns (RFC 3501 §6.3.8): `*` matches anything, `%` anything but the hierarchy delimiter. */
function matchesInbox(pattern: string): boolean {
	const regex = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/%/g, '[^/]*');
	return new RegExp(`^${regex}$`, 'i').test('INBOX');
}

/** INTERNALDATE: 01-Dec-2026 10:00:00 +0000 (RFC 3501 date-time), given in UTC. */
function internalDate(date: Date): string {
	const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
	const pad = (n: number): string => String(n).padStart(2, '0');
	return `${pad(date.getUTCDate())}-${months[date.getUTCMonth()]}-${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/**
 * The command as the transcript shows it: passwords and SASL data never, literal bodies by size. A
 * well-formed LOGIN keeps its user name (the lesson reads it); any other credential line is cut after its
 * verb (`credentials`, from credential-lines.ts).
 */
function redacted(command: ImapCommand, text: string, credentials: string | null): string {
	const user = command.name === 'LOGIN' && command.args.length === 2 ? tokenText(command.args[0]) : null;
	if (user !== null) return `${command.tag} LOGIN ${asQuoted(utf8(user))} [redacted]`;
	return credentials ?? displayCommand(text);
}

/** Literal data is shown as a size; a literal can be anything, including a password typed by mistake. */
function displayCommand(text: string): string {
	let out = '';
	let pos = 0;
	const literal = /\{(\d+)\+?\}\r\n/g;
	for (let match = literal.exec(text); match; match = literal.exec(text)) {
		const size = Number(match[1]);
		out += `${text.slice(pos, match.index)}{${size}} [${size} octets]`;
		pos = match.index + match[0].length + size;
		literal.lastIndex = pos;
	}
	return out + text.slice(pos);
}

function asQuoted(text: string): string {
	const piece = nstring(Buffer.from(text, 'utf8').toString('latin1'));
	return typeof piece === 'string' ? Buffer.from(piece, 'latin1').toString('utf8') : `"${text}"`;
}

/** A verb like LOGINsecret is a password glued to LOGIN: the reply (and its transcript line) must not echo it. */
function unknownCommand(name: string): string {
	return isCredentialVerb(name) ? 'Unknown command' : `Unknown command "${printable(name)}"`;
}

function printable(text: string): string {
	return text.replace(/[^\x21-\x7e ]/g, '?').slice(0, 30);
}

function utf8(latin1: string): string {
	return Buffer.from(latin1, 'latin1').toString('utf8');
}

export type { ImapToken };
