/**
 * One POP3 session (RFC 1939) with CAPA (RFC 2449) and STLS (RFC 2595): AUTHORIZATION → TRANSACTION →
 * UPDATE. The maildrop is fixed at login, as RFC 1939 §8 asks (message numbers never shift during a
 * session). DELE marks, RSET unmarks, and QUIT in the UPDATE state deletes the marked messages through
 * the store call the web inbox's delete uses (§6), so a client set to "delete after download" empties the
 * inbox, as the lesson shows. A connection that ends any other way (dropped, timed out) deletes nothing.
 * RETR does not mark a message read: POP3 has no read state, and the web inbox's stays as it was.
 * With the server's `readOnly` (SANDBOX_MAILBOX_READ_ONLY) QUIT keeps the marked messages and says so.
 * Logins: USER/PASS (RFC 1939) and AUTH PLAIN (RFC 5034 with RFC 4616's PLAIN).
 */
import { createHash } from 'node:crypto';
import { MessageGoneError, type StoredMessageRef } from '../line-protocol/mailbox-source.ts';
import { LineReader } from '../line-protocol/line-reader.ts';
import { SerialQueue } from '../line-protocol/serial-queue.ts';
import { dotStuffed, headerAndFirstLines } from '../line-protocol/message-bytes.ts';
import type { MailReadSessionOptions } from '../line-protocol/mail-read-server.ts';
import { isCredentialVerb, REDACTED, redactCredentialLine } from '../smtp/credential-lines.ts';
import { errorDetail, errorMessage } from '../error-text.ts';

/** RFC 2449 §4: a command line is at most 255 octets; we allow some slack for sloppy clients. */
const MAX_COMMAND_LINE = 512;
/** After this many wrong passwords the connection is closed, which slows down guessing. */
const MAX_AUTH_FAILURES = 3;
/** Garbage (a web browser or an HTTP client pointed at the port) is cut off after this many errors. */
const MAX_UNKNOWN_COMMANDS = 10;
/** Every command this server knows (RFC 1939, 2449, 2595, 5034); right after AUTH, anything else may be a SASL response. */
const POP3_COMMANDS = new Set(['CAPA', 'NOOP', 'QUIT', 'STLS', 'USER', 'PASS', 'STAT', 'LIST', 'UIDL', 'RETR', 'TOP', 'DELE', 'RSET', 'APOP', 'AUTH']);
/** RFC 5034 §4: a SASL response line may be long (base64 of a long password); still bounded. */
const MAX_SASL_LINE = 2048;

export type Pop3SessionOptions = MailReadSessionOptions;

interface MaildropEntry {
	ref: StoredMessageRef;
	/** Octets as served (CRLF), fixed at login like the rest of the maildrop. */
	size: number;
	deleted: boolean;
}

type State = 'authorization' | 'transaction' | 'update';

export class Pop3Session {
	#o: Pop3SessionOptions;
	#state: State = 'authorization';
	#user: string | null = null;
	#mailbox: string | null = null;
	#maildrop: MaildropEntry[] = [];
	/** Set after `AUTH PLAIN` without an initial response: the next line is the client's base64 answer. */
	#saslPending = false;
	/** The previous line was AUTH: a client may follow it with its SASL response even when we did not ask. */
	#afterAuth = false;
	#authFailures = 0;
	#unknownCommands = 0;
	#queue: SerialQueue;
	#reader: LineReader;

	constructor(options: Pop3SessionOptions) {
		this.#o = options;
		const connection = options.connection;
		this.#queue = new SerialQueue((error) => {
			options.logger.warn('log.mailRead.sessionError', { protocol: 'POP3', reason: errorDetail(error) });
			void connection.sendLine('-ERR [SYS/TEMP] Internal error, try again').then(() => connection.close());
		}, connection);
		this.#reader = new LineReader(MAX_SASL_LINE, (item) => {
			if (item.kind === 'line') this.#queue.push(() => this.#handle(item.line));
			else if (item.kind === 'overflow') this.#queue.push(() => this.#reply(`-ERR Line too long (limit ${MAX_COMMAND_LINE} octets)`));
		});
		connection.onData((chunk) => this.#reader.push(chunk));
		connection.onTimeout((reason) => {
			// RFC 1939 §3: an autologout timer ends the session without entering UPDATE.
			if (reason === 'idle') {
				connection.recorder.event('close', 'idle timeout');
				connection.close();
				return;
			}
			connection.recorder.event('close', 'no login in time');
			void connection.sendLine('-ERR [AUTH] No login in time, closing').then(() => connection.close());
		});
		connection.onFailure((error) => {
			options.logger.warn('log.mailRead.sessionError', { protocol: 'POP3', reason: errorMessage(error) });
			void connection.sendLine('-ERR [SYS/TEMP] Internal error, try again').then(() => connection.close());
		});
	}

	async start(): Promise<void> {
		await this.#reply('+OK Postlab POP3 sandbox ready');
	}

	async #handle(line: string): Promise<void> {
		const connection = this.#o.connection;
		if (connection.closed) return;
		// RFC 1939 separates by one space; a tab or a run of spaces is read the same way, so `PASS<TAB>secret` is PASS.
		const match = /^(\S*)[ \t]*(.*)$/s.exec(line);
		const command = (match?.[1] ?? '').toUpperCase();
		const argument = match?.[2] ?? '';
		if (this.#saslPending) {
			// The client's SASL response (RFC 5034 §4): a password in base64, never recorded or echoed.
			this.#saslPending = false;
			connection.recorder.client(REDACTED);
			if (line.trim() === '*') return this.#reply('-ERR Authentication cancelled');
			return this.#plainResponse(line.trim());
		}
		if (line.length > MAX_COMMAND_LINE) {
			connection.recorder.client(REDACTED);
			return this.#reply(`-ERR Line too long (limit ${MAX_COMMAND_LINE} octets)`);
		}
		const saslResponse = this.#afterAuth && !POP3_COMMANDS.has(command);
		this.#afterAuth = command === 'AUTH';
		if (saslResponse) {
			connection.recorder.client(REDACTED);
			return this.#reply('-ERR Unknown command');
		}
		// `AUTH PLAIN <initial response>` carries the password: the transcript keeps the mechanism only.
		const shown = command === 'AUTH' ? `AUTH ${argument.split(/\s+/)[0]?.slice(0, 20) ?? ''}${/\s\S/.test(argument) ? ` ${REDACTED}` : ''}`.trim() : (redactCredentialLine(line) ?? line);
		connection.recorder.client(shown);

		switch (command) {
			case 'CAPA':
				return this.#capa();
			case 'NOOP':
				return this.#inState('transaction', () => this.#reply('+OK'));
			case 'QUIT':
				return this.#quit();
			case 'STLS':
				return this.#stls();
			case 'USER':
				return this.#inState('authorization', () => this.#userCommand(argument));
			case 'PASS':
				return this.#inState('authorization', () => this.#pass(argument));
			case 'STAT':
				return this.#inState('transaction', () => this.#stat());
			case 'LIST':
				return this.#inState('transaction', () => this.#list(argument));
			case 'UIDL':
				return this.#inState('transaction', () => this.#uidl(argument));
			case 'RETR':
				return this.#inState('transaction', () => this.#retr(argument));
			case 'TOP':
				return this.#inState('transaction', () => this.#top(argument));
			case 'DELE':
				return this.#inState('transaction', () => this.#dele(argument));
			case 'RSET':
				return this.#inState('transaction', () => this.#rset());
			case 'AUTH':
				return this.#inState('authorization', () => this.#auth(argument));
			case 'APOP':
				return this.#reply('-ERR Not supported here; use USER and PASS, or AUTH PLAIN');
			default: {
				this.#unknownCommands += 1;
				// A verb like PASSsecret is a password glued to PASS: the reply (and its transcript line) must not echo it.
				const shown = isCredentialVerb(command) ? '' : ` "${command.replace(/[^\x21-\x7e]/g, '?').slice(0, 20)}"`;
				await this.#reply(`-ERR Unknown command${shown}`);
				if (this.#unknownCommands >= MAX_UNKNOWN_COMMANDS) {
					await this.#reply('-ERR Too many unknown commands, closing');
					connection.close();
				}
			}
		}
	}

	async #inState(state: State, run: () => Promise<void>): Promise<void> {
		if (this.#state === state) return run();
		const hint = this.#state === 'authorization' ? 'log in with USER and PASS first' : 'already logged in';
		return this.#reply(`-ERR Command not valid in this state (${hint})`);
	}

	async #capa(): Promise<void> {
		const lines = ['+OK Capability list follows', 'TOP', 'UIDL', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING'];
		if (this.#state === 'authorization') {
			if (this.#o.canStartTls()) lines.push('STLS');
			if (this.#o.loginAllowed()) lines.push('USER', 'SASL PLAIN');
		}
		lines.push('IMPLEMENTATION Postlab-sandbox', '.');
		for (const line of lines) await this.#reply(line);
	}

	async #stls(): Promise<void> {
		if (this.#state !== 'authorization') return this.#reply('-ERR STLS is only allowed before login');
		if (!this.#o.canStartTls()) return this.#reply('-ERR Command not permitted when TLS active');
		await this.#reply('+OK Begin TLS negotiation');
		// Anything the client sent after STLS arrived in plain text and must not be obeyed (RFC 2595 §3.1).
		this.#queue.clear();
		this.#reader.discardBuffered();
		const upgraded = await this.#o.connection.startTls();
		if (upgraded) this.#user = null;
	}

	async #userCommand(argument: string): Promise<void> {
		if (!this.#o.loginAllowed()) return this.#reply('-ERR [SYS/PERM] Use STLS (or the TLS port) before logging in');
		if (argument.length === 0) return this.#reply('-ERR USER needs a user name');
		this.#user = argument;
		await this.#reply('+OK Send your password with PASS');
	}

	async #pass(password: string): Promise<void> {
		const user = this.#user;
		if (user === null || !this.#o.loginAllowed()) return this.#reply('-ERR Send USER first');
		return this.#logIn(decodeUtf8(user), decodeUtf8(password));
	}

	/** AUTH (RFC 5034): only PLAIN; with no initial response the client is asked for it with `+ `. */
	async #auth(argument: string): Promise<void> {
		const [mechanism = '', initial] = argument.trim().split(/\s+/);
		if (mechanism === '') return this.#multiline(['+OK Supported mechanisms follow', 'PLAIN']);
		if (!this.#o.loginAllowed()) return this.#reply('-ERR [SYS/PERM] Use STLS (or the TLS port) before logging in');
		if (mechanism.toUpperCase() !== 'PLAIN') return this.#reply('-ERR Unsupported mechanism; use AUTH PLAIN (or USER and PASS)');
		if (initial !== undefined) return this.#plainResponse(initial === '=' ? '' : initial);
		this.#saslPending = true;
		await this.#reply('+ ');
	}

	/** RFC 4616: base64 of authzid NUL authcid NUL password. */
	async #plainResponse(base64: string): Promise<void> {
		if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return this.#reply('-ERR AUTH PLAIN response is not base64');
		const parts = Buffer.from(base64, 'base64').toString('utf8').split('\0');
		if (parts.length !== 3) return this.#reply('-ERR AUTH PLAIN response must be authzid NUL user NUL password');
		return this.#logIn(parts[1] ?? '', parts[2] ?? '');
	}

	async #logIn(user: string, password: string): Promise<void> {
		const connection = this.#o.connection;
		const mailbox = await this.#o.authenticator.authenticate(user, password);
		if (mailbox === null) {
			this.#user = null;
			this.#authFailures += 1;
			await this.#reply('-ERR [AUTH] Wrong user name or password');
			if (this.#authFailures >= MAX_AUTH_FAILURES) {
				await this.#reply('-ERR Too many failed logins, closing');
				connection.close();
			}
			return;
		}
		connection.recorder.transcript.user = user;
		connection.loggedIn();
		this.#mailbox = mailbox;
		this.#maildrop = [];
		for (const ref of await this.#o.source.list(mailbox)) {
			try {
				this.#maildrop.push({ ref, size: await this.#o.served.size(ref.id), deleted: false });
			} catch (error) {
				// Removed between listing and reading (the web inbox deleted it): not part of this maildrop.
				if (!(error instanceof MessageGoneError)) throw error;
			}
		}
		this.#state = 'transaction';
		await this.#reply(`+OK ${this.#maildrop.length} messages (${this.#totalSize()} octets)`);
	}

	#totalSize(): number {
		return this.#maildrop.reduce((total, entry) => total + (entry.deleted ? 0 : entry.size), 0);
	}

	async #stat(): Promise<void> {
		const count = this.#maildrop.filter((e) => !e.deleted).length;
		await this.#reply(`+OK ${count} ${this.#totalSize()}`);
	}

	async #list(argument: string): Promise<void> {
		if (argument.trim() !== '') {
			const found = this.#message(argument);
			if (typeof found === 'string') return this.#reply(found);
			return this.#reply(`+OK ${found.number} ${found.entry.size}`);
		}
		const lines = [`+OK ${this.#maildrop.filter((e) => !e.deleted).length} messages`];
		for (const [index, entry] of this.#maildrop.entries()) {
			if (!entry.deleted) lines.push(`${index + 1} ${entry.size}`);
		}
		await this.#multiline(lines);
	}

	async #uidl(argument: string): Promise<void> {
		if (argument.trim() !== '') {
			const found = this.#message(argument);
			if (typeof found === 'string') return this.#reply(found);
			return this.#reply(`+OK ${found.number} ${uniqueId(found.entry.ref.id)}`);
		}
		const lines = ['+OK Unique ids follow'];
		for (const [index, entry] of this.#maildrop.entries()) {
			if (!entry.deleted) lines.push(`${index + 1} ${uniqueId(entry.ref.id)}`);
		}
		await this.#multiline(lines);
	}

	async #retr(argument: string): Promise<void> {
		const found = this.#message(argument);
		if (typeof found === 'string') return this.#reply(found);
		const bytes = await this.#bytes(found.entry);
		if (!bytes) return this.#reply(`-ERR Message ${found.number} is no longer in the sandbox inbox`);
		await this.#reply(`+OK ${bytes.length} octets`);
		await this.#sendBody(bytes);
	}

	async #top(argument: string): Promise<void> {
		const [number = '', lines = ''] = argument.trim().split(/\s+/);
		const found = this.#message(number);
		if (typeof found === 'string') return this.#reply(found);
		if (!/^\d{1,9}$/.test(lines)) return this.#reply('-ERR TOP needs a message number and a number of lines');
		const bytes = await this.#bytes(found.entry);
		if (!bytes) return this.#reply(`-ERR Message ${found.number} is no longer in the sandbox inbox`);
		await this.#reply('+OK Top of message follows');
		await this.#sendBody(headerAndFirstLines(bytes, Number(lines)));
	}

	async #dele(argument: string): Promise<void> {
		const found = this.#message(argument);
		if (typeof found === 'string') return this.#reply(found);
		found.entry.deleted = true;
		const note = this.#o.readOnly ? 'kept even after QUIT: this sandbox is read-only' : 'deleted at QUIT';
		await this.#reply(`+OK Message ${found.number} marked for deletion (${note})`);
	}

	async #rset(): Promise<void> {
		for (const entry of this.#maildrop) entry.deleted = false;
		await this.#reply(`+OK ${this.#maildrop.length} messages`);
	}

	async #quit(): Promise<void> {
		const connection = this.#o.connection;
		if (this.#state !== 'transaction') {
			await this.#reply('+OK Postlab POP3 sandbox signing off');
			connection.close();
			return;
		}
		this.#state = 'update';
		const marked = this.#maildrop.filter((e) => e.deleted);
		if (this.#o.readOnly) {
			await this.#reply(`+OK Signing off (${marked.length} marked messages kept: this sandbox is read-only)`);
		} else if (marked.length === 0) {
			await this.#reply('+OK Signing off');
		} else {
			let failed = 0;
			try {
				// One store call, one durable tombstone; a message deleted elsewhere meanwhile is simply gone already.
				await this.#o.source.remove(this.#mailbox ?? 'default', marked.map((entry) => entry.ref.id));
			} catch (error) {
				// The client hears -ERR (below); why it failed is the operator's to read.
				this.#o.logger.warn('log.pop3.deleteAtQuitFailed', { count: marked.length, reason: errorMessage(error) });
				failed = marked.length;
			}
			// RFC 1939 §6: when some could not be removed, say so with -ERR.
			if (failed > 0) await this.#reply(`-ERR ${failed} of ${marked.length} marked messages could not be deleted`);
			else await this.#reply(`+OK Signing off (${marked.length} messages deleted)`);
		}
		connection.close();
	}

	/** Finds a message by number; returns the -ERR line to send when the number is not usable. */
	#message(argument: string): { number: number; entry: MaildropEntry } | string {
		const text = argument.trim();
		if (!/^\d{1,9}$/.test(text)) return '-ERR Give a message number';
		const number = Number(text);
		const entry = this.#maildrop[number - 1];
		if (number < 1 || !entry) return `-ERR No message ${number} (there are ${this.#maildrop.length})`;
		if (entry.deleted) return `-ERR Message ${number} is marked as deleted`;
		return { number, entry };
	}

	async #bytes(entry: MaildropEntry): Promise<Buffer | null> {
		try {
			return await this.#o.served.bytes(entry.ref.id);
		} catch (error) {
			// Deleted elsewhere since the maildrop was made; a damaged message is an error the session reports.
			if (error instanceof MessageGoneError) return null;
			throw error;
		}
	}

	async #sendBody(bytes: Buffer): Promise<void> {
		const connection = this.#o.connection;
		connection.recorder.elided(bytes.length);
		await connection.sendRaw(dotStuffed(bytes));
		connection.recorder.server('.');
	}

	async #multiline(lines: string[]): Promise<void> {
		for (const line of lines) await this.#reply(line);
		await this.#reply('.');
	}

	#reply(line: string): Promise<void> {
		return this.#o.connection.sendLine(line);
	}
}

/** RFC 1939 §7: a unique-id is 1 to 70 characters from 0x21 to 0x7E; other store ids are hashed to fit. */
function uniqueId(id: string): string {
	if (/^[\x21-\x7e]{1,70}$/.test(id)) return id;
	return createHash('sha256').update(id).digest('hex').slice(0, 64);
}

function decodeUtf8(latin1: string): string {
	return Buffer.from(latin1, 'latin1').toString('utf8');
}
