/**
 * A prototype, for measurement only (issue 18, "weigh the database the platform now ships"): the ingest side of
 * MailStore on `node:sqlite` instead of the journal. One database file in WAL mode; a message's summary, flags,
 * UID, delivery facts and raw bytes (a blob) are rows; decoded bodies are searched with FTS5's trigram tokenizer
 * (substrings, Korean included). Writes are queued and committed together: everything queued while the event
 * loop was busy (including the previous commit, which blocks it: `DatabaseSync` is synchronous) goes in one
 * transaction, so `add` resolves, and the 250 may be sent, once its transaction has committed.
 *
 * Durability (https://www.sqlite.org/pragma.html#pragma_synchronous, https://www.sqlite.org/wal.html):
 * `synchronous=FULL` syncs the WAL at every commit (what the journal's fdatasync gives: a power cut loses
 * nothing acknowledged); `NORMAL` syncs only at checkpoints, so a commit survives a process crash (the kernel
 * has the bytes) but a power cut may roll back the last transactions.
 *
 * Left out, because the ingest comparison does not need them: rawRange (node:sqlite reads a blob whole; it has
 * no incremental blob I/O), the preview queue (previews are made inline), markUnparsed, events beyond `message`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { EventBus } from '../../sandbox/events/event-bus.ts';
import { summarizeBody } from '../../sandbox/store/body-index.ts';
import { summarizeHeaders } from '../../sandbox/store/header-index.ts';
import { MessageIds } from '../../sandbox/store/ids.ts';
import type { FlagChange, IncomingMail, ListOptions, ListPage } from '../../sandbox/store/mail-store.ts';
import { normaliseFlags } from '../../sandbox/store/records.ts';
import { DEFAULT_MAILBOX, type MailFlag, type MessageSummary, type SessionFacts } from '../../sandbox/store/types.ts';
import { searchText } from './search-text.ts';

export interface SqliteMailStoreOptions {
	dataDir: string;
	maxMessages: number;
	events?: EventBus;
	synchronous?: 'FULL' | 'NORMAL';
	/** Index the decoded body in FTS5 in the same transaction as the message (false: subject and addresses only). */
	searchBodies?: boolean;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS setting (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
-- uid_next only ever rises, and in the transaction that uses it: a deleted message's UID is never handed out again.
CREATE TABLE IF NOT EXISTS mailbox (name TEXT PRIMARY KEY, uid_next INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS message (
	seq INTEGER PRIMARY KEY, -- arrival order; also the rowid of the message's raw bytes and search row
	id TEXT NOT NULL UNIQUE,
	mailbox TEXT NOT NULL,
	uid INTEGER NOT NULL,
	summary TEXT NOT NULL, -- the list's fields as JSON; read and flags are columns of their own
	read INTEGER NOT NULL DEFAULT 0,
	flags TEXT NOT NULL DEFAULT '',
	session TEXT NOT NULL,
	UNIQUE (mailbox, uid)
) STRICT;
CREATE INDEX IF NOT EXISTS message_by_mailbox ON message (mailbox, seq);
-- Raw bytes apart, so walking the message rows never reads their overflow pages.
CREATE TABLE IF NOT EXISTS raw (seq INTEGER PRIMARY KEY, bytes BLOB NOT NULL) STRICT;
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(text, tokenize = 'trigram');
`;

interface Write {
	run: () => unknown;
	resolve: (value: unknown) => void;
	reject: (error: unknown) => void;
}

export class SqliteMailStore {
	readonly #db: DatabaseSync;
	readonly #options: SqliteMailStoreOptions;
	readonly #statements = new Map<string, StatementSync>();
	readonly #ids = new MessageIds();
	readonly #uidNext = new Map<string, number>();
	readonly #uidValidity: number;
	#count: number;
	#queue: Write[] = [];
	#closed = false;

	private constructor(db: DatabaseSync, options: SqliteMailStoreOptions) {
		this.#db = db;
		this.#options = options;
		const validity = this.#get('SELECT value FROM setting WHERE key = ?', 'uidvalidity')?.['value'];
		this.#uidValidity = typeof validity === 'number' ? validity : Math.floor(Date.now() / 1000);
		if (validity === undefined) this.#run('INSERT INTO setting (key, value) VALUES (?, ?)', 'uidvalidity', this.#uidValidity);
		for (const row of this.#all('SELECT name, uid_next FROM mailbox')) this.#uidNext.set(String(row['name']), Number(row['uid_next']));
		this.#count = Number(this.#get('SELECT count(*) AS n FROM message')?.['n'] ?? 0);
		const newest = this.#get('SELECT id FROM message ORDER BY seq DESC LIMIT 1')?.['id'];
		if (typeof newest === 'string') this.#ids.follow(newest);
	}

	static open(options: SqliteMailStoreOptions): SqliteMailStore {
		mkdirSync(options.dataDir, { recursive: true });
		const db = new DatabaseSync(join(options.dataDir, 'mail.sqlite'));
		db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.synchronous ?? 'FULL'}; PRAGMA foreign_keys = OFF;`);
		db.exec(SCHEMA);
		return new SqliteMailStore(db, options);
	}

	get count(): number {
		return this.#count;
	}

	get uidValidity(): number {
		return this.#uidValidity;
	}

	uidNext(mailbox: string = DEFAULT_MAILBOX): number {
		return this.#uidNext.get(mailbox) ?? 1;
	}

	/** Resolves with the summary once the transaction holding the message has committed. */
	async add(mail: IncomingMail): Promise<MessageSummary> {
		if (this.#closed) throw new Error('The mail store is closed.');
		const receivedAt = mail.receivedAt ?? new Date();
		const id = this.#ids.next(receivedAt.getTime());
		const mailbox = mail.mailbox ?? DEFAULT_MAILBOX;
		const uid = this.uidNext(mailbox);
		this.#uidNext.set(mailbox, uid + 1);
		const headers = summarizeHeaders(mail.raw);
		const body = summarizeBody(mail.raw);
		const summary: MessageSummary = {
			id,
			mailbox,
			subject: headers.subject,
			from: headers.from ?? (mail.session.envelope.mailFrom ? { name: '', address: mail.session.envelope.mailFrom } : null),
			to: headers.to.length > 0 ? headers.to : mail.session.envelope.rcptTo.map((address) => ({ name: '', address })),
			date: headers.date ?? receivedAt.toISOString(),
			receivedAt: receivedAt.toISOString(),
			size: mail.raw.length,
			snippet: body.snippet,
			attachmentCount: body.attachmentCount,
			read: false,
			uid,
			flags: [],
			parsed: body.parsed,
		};
		const people = [summary.from, ...summary.to].flatMap((address) => (address ? [address.name, address.address] : [])).join(' ');
		const text = `${summary.subject}\n${people}\n${this.#options.searchBodies === false ? '' : searchText(mail.raw)}`;
		await this.#write(() => {
			const { read: _read, flags: _flags, ...listed } = summary;
			const { lastInsertRowid: seq } = this.#run(
				'INSERT INTO message (id, mailbox, uid, summary, session) VALUES (?, ?, ?, ?, ?)',
				id,
				mailbox,
				uid,
				JSON.stringify(listed),
				JSON.stringify(mail.session),
			);
			this.#run('INSERT INTO raw (seq, bytes) VALUES (?, ?)', seq, mail.raw);
			this.#run('INSERT INTO search (rowid, text) VALUES (?, ?)', seq, text);
			this.#run('INSERT INTO mailbox (name, uid_next) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET uid_next = max(uid_next, excluded.uid_next)', mailbox, uid + 1);
			this.#count += 1;
			const excess = this.#count - this.#options.maxMessages;
			if (excess > 0) this.#deleteRows(this.#all('SELECT seq FROM message ORDER BY seq LIMIT ?', excess).map((row) => Number(row['seq'])));
		});
		this.#options.events?.emit({ type: 'message', message: summary });
		return summary;
	}

	/** Newest first, optionally searched (substrings of subject, addresses and decoded body) and filtered by mailbox. */
	list(options: ListOptions = {}): ListPage {
		const start = Math.max(0, Math.floor(options.start ?? 0));
		const limit = Math.min(500, Math.max(0, Math.floor(options.limit ?? 50)));
		const where: string[] = [];
		const params: SQLInputValue[] = [];
		if (options.mailbox !== undefined) {
			where.push('mailbox = ?');
			params.push(options.mailbox);
		}
		for (const word of (options.query ?? '').toLowerCase().split(/\s+/).filter(Boolean)) {
			// A trigram index answers substrings of three characters or more; shorter ones (many Korean words are two
			// syllables) are a scan of the indexed text.
			if ([...word].length >= 3) where.push('seq IN (SELECT rowid FROM search WHERE search MATCH ?)');
			else where.push('seq IN (SELECT rowid FROM search WHERE instr(lower(text), ?) > 0)');
			params.push([...word].length >= 3 ? `"${word.replaceAll('"', '""')}"` : word);
		}
		const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
		const total = where.length > 0 ? Number(this.#get(`SELECT count(*) AS n FROM message ${filter}`, ...params)?.['n'] ?? 0) : this.#count;
		const rows = this.#all(`SELECT summary, read, flags FROM message ${filter} ORDER BY seq DESC LIMIT ? OFFSET ?`, ...params, limit, start);
		return { total, start, messages: rows.map(toSummary) };
	}

	/** One mailbox oldest first, as POP3 and IMAP number it. */
	listMailbox(mailbox: string = DEFAULT_MAILBOX): MessageSummary[] {
		return this.#all('SELECT summary, read, flags FROM message WHERE mailbox = ? ORDER BY seq', mailbox).map(toSummary);
	}

	getSummary(id: string): MessageSummary | null {
		const row = this.#get('SELECT summary, read, flags FROM message WHERE id = ?', id);
		return row ? toSummary(row) : null;
	}

	/** The raw message exactly as received (read whole: node:sqlite has no incremental blob reads), or null. */
	async readRaw(id: string): Promise<Buffer | null> {
		const bytes = this.#get('SELECT bytes FROM raw WHERE seq = (SELECT seq FROM message WHERE id = ?)', id)?.['bytes'];
		return bytes instanceof Uint8Array ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
	}

	async getSession(id: string): Promise<SessionFacts | null> {
		const session = this.#get('SELECT session FROM message WHERE id = ?', id)?.['session'];
		return typeof session === 'string' ? (JSON.parse(session) as SessionFacts) : null;
	}

	/** Sets `\Seen` and the other flags; resolves once committed, null for an unknown id or one outside `mailbox`. */
	async setFlags(id: string, change: FlagChange, mailbox?: string): Promise<MessageSummary | null> {
		const old = this.getSummary(id);
		if (!old || (mailbox !== undefined && old.mailbox !== mailbox)) return null;
		const read = change.read ?? old.read;
		const flags = change.flags === undefined ? old.flags : normaliseFlags(change.flags);
		if (read === old.read && flags.join(' ') === old.flags.join(' ')) return old;
		await this.#write(() => this.#run('UPDATE message SET read = ?, flags = ? WHERE id = ?', read ? 1 : 0, flags.join(' '), id));
		return this.getSummary(id);
	}

	/** Deletes messages (ids outside `mailbox`, when given, are left alone); resolves with the ids deleted. */
	async deleteMany(ids: readonly string[], mailbox?: string): Promise<string[]> {
		return this.#write(() => {
			const deleted: string[] = [];
			const seqs: number[] = [];
			for (const id of new Set(ids)) {
				const row = this.#get('SELECT seq, mailbox FROM message WHERE id = ?', id);
				if (!row || (mailbox !== undefined && row['mailbox'] !== mailbox)) continue;
				deleted.push(id);
				seqs.push(Number(row['seq']));
			}
			this.#deleteRows(seqs);
			return deleted;
		});
	}

	/** Commits what is queued, then lets the database go; later calls to `add` are refused. */
	close(): void {
		this.#closed = true;
		if (this.#queue.length > 0) this.#commit();
		this.#db.close();
	}

	#deleteRows(seqs: readonly number[]): void {
		for (const seq of seqs) {
			this.#run('DELETE FROM message WHERE seq = ?', seq);
			this.#run('DELETE FROM raw WHERE seq = ?', seq);
			this.#run('DELETE FROM search WHERE rowid = ?', seq);
		}
		this.#count -= seqs.length;
	}

	/** Queues a change for the next transaction; the first change queued schedules the commit. */
	#write<T>(run: () => T): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			if (this.#queue.length === 0) setImmediate(() => this.#commit());
			this.#queue.push({ run, resolve: (value) => resolve(value as T), reject });
		});
	}

	/** One transaction for everything queued; each change in a savepoint, so one that fails fails alone. */
	#commit(): void {
		const batch = this.#queue;
		this.#queue = [];
		if (batch.length === 0) return;
		if (!this.#db.isOpen) {
			for (const write of batch) write.reject(new Error('The mail store is closed.'));
			return;
		}
		const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
		try {
			this.#db.exec('BEGIN IMMEDIATE');
			for (const write of batch) {
				this.#db.exec('SAVEPOINT change');
				try {
					results.push({ ok: true, value: write.run() });
					this.#db.exec('RELEASE change');
				} catch (error) {
					this.#db.exec('ROLLBACK TO change; RELEASE change');
					results.push({ ok: false, error });
				}
			}
			this.#db.exec('COMMIT');
		} catch (error) {
			// BEGIN or COMMIT failed (disk full, I/O error): nothing of the batch is durable.
			if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
			for (const write of batch) write.reject(error);
			return;
		}
		batch.forEach((write, i) => {
			const result = results[i]!;
			if (result.ok) write.resolve(result.value);
			else write.reject(result.error);
		});
	}

	#statement(sql: string): StatementSync {
		let statement = this.#statements.get(sql);
		if (!statement) {
			statement = this.#db.prepare(sql);
			this.#statements.set(sql, statement);
		}
		return statement;
	}

	#run(sql: string, ...params: SQLInputValue[]): { lastInsertRowid: number | bigint } {
		return this.#statement(sql).run(...params);
	}

	#get(sql: string, ...params: SQLInputValue[]): Record<string, unknown> | undefined {
		return this.#statement(sql).get(...params) as Record<string, unknown> | undefined;
	}

	#all(sql: string, ...params: SQLInputValue[]): Array<Record<string, unknown>> {
		return this.#statement(sql).all(...params) as Array<Record<string, unknown>>;
	}
}

function toSummary(row: Record<string, unknown>): MessageSummary {
	const listed = JSON.parse(String(row['summary'])) as Omit<MessageSummary, 'read' | 'flags'>;
	const flags = String(row['flags']);
	return { ...listed, read: row['read'] === 1, flags: flags === '' ? [] : (flags.split(' ') as MailFlag[]) };
}
