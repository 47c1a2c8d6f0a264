/**
 * A prototype, for measurement only (issue 18, "weigh the database the platform now ships"): the ingest side of
 * MailStore on `node:sqlite` instead of the journal. One database file in WAL mode; a message's summary, flags,
 * UID, delivery facts and raw bytes (a blob) are rows; decoded bodies are searched with FTS5's trigram tokenizer
 * (substrings, Korean included). Changes are queued and committed together (sqlite-writer.ts): what arrives while
 * a commit runs goes in the next transaction, and `add` resolves, so the 250 may be sent, once its transaction
 * has committed. The writer runs on the event loop's thread (`writer: 'main'`: each commit blocks it) or in a
 * worker (`'worker'`); reads are this thread's own connection, which WAL lets read while the writer writes.
 *
 * Durability (https://www.sqlite.org/pragma.html#pragma_synchronous, https://www.sqlite.org/wal.html):
 * `synchronous=FULL` syncs the WAL at every commit (what the journal's fdatasync gives: a power cut loses
 * nothing acknowledged); `NORMAL` syncs only at checkpoints, so a commit survives a process crash (the kernel
 * has the bytes) but a power cut may roll back the last transactions.
 *
 * Left out, because the ingest comparison does not need them: rawRange (node:sqlite reads a blob whole; it has
 * no incremental blob I/O), the preview queue (previews are made inline), transcripts, markUnparsed, clear, and
 * events other than `message`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SQLInputValue } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import type { EventBus } from '../../sandbox/events/event-bus.ts';
import { summarizeBody } from '../../sandbox/store/body-index.ts';
import { MessageIds } from '../../sandbox/store/ids.ts';
import { summarizeNewMessage } from '../../sandbox/store/new-summary.ts';
import type { FlagChange, IncomingMail, ListOptions, ListPage } from '../../sandbox/store/mail-store.ts';
import { normaliseFlags } from '../../sandbox/store/records.ts';
import { DEFAULT_MAILBOX, type MailFlag, type MessageSummary, type SessionFacts } from '../../sandbox/store/types.ts';
import { searchText } from './search-text.ts';
import type { WriterData } from './sqlite-writer-worker.ts';
import { openDatabase, SqliteWriter, Statements, type Change, type Outcome, type Synchronous } from './sqlite-writer.ts';

export interface SqliteMailStoreOptions {
	dataDir: string;
	maxMessages: number;
	events?: EventBus;
	synchronous?: Synchronous;
	writer?: 'main' | 'worker';
	/** Index the decoded body in FTS5 in the same transaction as the message (false: subject and addresses only). */
	searchBodies?: boolean;
}

/** Commits a batch, on this thread or in the worker. */
type Commit = (batch: Change[]) => Promise<Outcome[]>;
/** What a commit waits for before it takes the queue as its batch. */
type Gather = () => Promise<void>;

interface Queued {
	change: Change;
	resolve: (outcome: Outcome) => void;
	reject: (error: unknown) => void;
}

export class SqliteMailStore {
	readonly #options: SqliteMailStoreOptions;
	readonly #read: Statements;
	readonly #closeDatabases: () => Promise<void>;
	readonly #commit: Commit;
	readonly #gather: Gather;
	readonly #ids = new MessageIds();
	readonly #uidNext = new Map<string, number>();
	readonly #uidValidity: number;
	#count: number;
	#queue: Queued[] = [];
	#inFlight: Promise<void> | null = null;
	#closed = false;

	private constructor(options: SqliteMailStoreOptions, read: Statements, commit: Commit, gather: Gather, closeDatabases: () => Promise<void>) {
		this.#options = options;
		this.#read = read;
		this.#commit = commit;
		this.#gather = gather;
		this.#closeDatabases = closeDatabases;
		const validity = read.get('SELECT value FROM setting WHERE key = ?', 'uidvalidity')?.['value'];
		this.#uidValidity = typeof validity === 'number' ? validity : Math.floor(Date.now() / 1000);
		// Set once, before any writer runs; a crash before it is written just makes a new folder's value again.
		if (validity === undefined) read.run('INSERT INTO setting (key, value) VALUES (?, ?)', 'uidvalidity', this.#uidValidity);
		for (const row of read.all('SELECT name, uid_next FROM mailbox')) this.#uidNext.set(String(row['name']), Number(row['uid_next']));
		this.#count = Number(read.get('SELECT count(*) AS n FROM message')?.['n'] ?? 0);
		const newest = read.get('SELECT id FROM message ORDER BY seq DESC LIMIT 1')?.['id'];
		if (typeof newest === 'string') this.#ids.follow(newest);
	}

	static open(options: SqliteMailStoreOptions): SqliteMailStore {
		mkdirSync(options.dataDir, { recursive: true });
		const path = join(options.dataDir, 'mail.sqlite');
		const synchronous = options.synchronous ?? 'FULL';
		const db = openDatabase(path, synchronous);
		const read = new Statements(db);
		if (options.writer !== 'worker') {
			const writer = new SqliteWriter(path, synchronous, options.maxMessages);
			// A commit here blocks the thread, so nothing can arrive while it runs: a batch is what arrived in the
			// turn before it (sockets read meanwhile), gathered by waiting for the next check phase.
			const gather: Gather = () => new Promise((resolve) => setImmediate(resolve));
			return new SqliteMailStore(options, read, async (batch) => writer.commit(batch), gather, async () => {
				writer.close();
				db.close();
			});
		}
		const data: WriterData = { path, synchronous, maxMessages: options.maxMessages };
		const worker = new Worker(new URL('./sqlite-writer-worker.ts', import.meta.url), { workerData: data });
		let waiting: { resolve: (outcomes: Outcome[]) => void; reject: (error: unknown) => void } | null = null;
		worker.on('message', (reply: { outcomes: Outcome[] } | { error: string }) => {
			const settle = waiting;
			waiting = null;
			if ('outcomes' in reply) settle?.resolve(reply.outcomes);
			else settle?.reject(new Error(reply.error));
		});
		worker.on('error', (error) => waiting?.reject(error));
		const commit: Commit = (batch) =>
			new Promise((resolve, reject) => {
				waiting = { resolve, reject };
				worker.postMessage(batch);
			});
		return new SqliteMailStore(options, read, commit, async () => undefined, async () => {
			const exited = new Promise((resolve) => worker.once('exit', resolve));
			worker.postMessage(null);
			await exited;
			db.close();
		});
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
		// Taken now, in the same turn as the id: UIDs rise in arrival order. A failed add leaves a gap, never a reuse.
		const uid = this.uidNext(mailbox);
		this.#uidNext.set(mailbox, uid + 1);
		const summary = summarizeNewMessage({ id, mailbox, uid, receivedAt, raw: mail.raw, session: mail.session }, summarizeBody(mail.raw));
		const { read: _read, flags: _flags, ...listed } = summary;
		const people = [summary.from, ...summary.to].flatMap((address) => (address ? [address.name, address.address] : [])).join(' ');
		const text = `${summary.subject}\n${people}\n${this.#options.searchBodies === false ? '' : searchText(mail.raw)}`;
		const change: Change = { type: 'add', id, mailbox, uid, summary: JSON.stringify(listed), session: JSON.stringify(mail.session), raw: mail.raw, text };
		this.#count += 1;
		let outcome: Outcome;
		try {
			outcome = await this.#write(change);
		} catch (error) {
			this.#count -= 1;
			throw error;
		}
		if (!outcome.ok) {
			this.#count -= 1;
			throw new Error(`the message could not be stored: ${outcome.error}`);
		}
		this.#count -= outcome.deleted.length;
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
			const indexed = [...word].length >= 3;
			where.push(indexed ? 'seq IN (SELECT rowid FROM search WHERE search MATCH ?)' : 'seq IN (SELECT rowid FROM search WHERE instr(lower(text), ?) > 0)');
			params.push(indexed ? `"${word.replaceAll('"', '""')}"` : word);
		}
		const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
		const total = where.length > 0 ? Number(this.#read.get(`SELECT count(*) AS n FROM message ${filter}`, ...params)?.['n'] ?? 0) : this.#count;
		const rows = this.#read.all(`SELECT summary, read, flags FROM message ${filter} ORDER BY seq DESC LIMIT ? OFFSET ?`, ...params, limit, start);
		return { total, start, messages: rows.map(toSummary) };
	}

	/** One mailbox oldest first, as POP3 and IMAP number it. */
	listMailbox(mailbox: string = DEFAULT_MAILBOX): MessageSummary[] {
		return this.#read.all('SELECT summary, read, flags FROM message WHERE mailbox = ? ORDER BY seq', mailbox).map(toSummary);
	}

	getSummary(id: string): MessageSummary | null {
		const row = this.#read.get('SELECT summary, read, flags FROM message WHERE id = ?', id);
		return row ? toSummary(row) : null;
	}

	/** The raw message exactly as received (read whole: node:sqlite has no incremental blob reads), or null. */
	async readRaw(id: string): Promise<Buffer | null> {
		const bytes = this.#read.get('SELECT bytes FROM raw WHERE seq = (SELECT seq FROM message WHERE id = ?)', id)?.['bytes'];
		return bytes instanceof Uint8Array ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
	}

	async getSession(id: string): Promise<SessionFacts | null> {
		const session = this.#read.get('SELECT session FROM message WHERE id = ?', id)?.['session'];
		return typeof session === 'string' ? (JSON.parse(session) as SessionFacts) : null;
	}

	/** Sets `\Seen` and the other flags; resolves once committed, null for an unknown id or one outside `mailbox`. */
	async setFlags(id: string, change: FlagChange, mailbox?: string): Promise<MessageSummary | null> {
		const old = this.getSummary(id);
		if (!old || (mailbox !== undefined && old.mailbox !== mailbox)) return null;
		const read = change.read ?? old.read;
		const flags = change.flags === undefined ? old.flags : normaliseFlags(change.flags);
		if (read === old.read && flags.join(' ') === old.flags.join(' ')) return old;
		const outcome = await this.#write({ type: 'flags', id, read, flags: flags.join(' ') });
		if (!outcome.ok) throw new Error(`the flags could not be stored: ${outcome.error}`);
		return this.getSummary(id);
	}

	/** Deletes messages (ids outside `mailbox`, when given, are left alone); resolves with the ids deleted. */
	async deleteMany(ids: readonly string[], mailbox?: string): Promise<string[]> {
		const outcome = await this.#write({ type: 'delete', ids: [...new Set(ids)], mailbox: mailbox ?? null });
		if (!outcome.ok) throw new Error(`the messages could not be deleted: ${outcome.error}`);
		this.#count -= outcome.deleted.length;
		return outcome.deleted;
	}

	/** Waits for the writes queued, then lets the databases go; later calls to `add` are refused. */
	async close(): Promise<void> {
		this.#closed = true;
		while (this.#inFlight) await this.#inFlight;
		await this.#closeDatabases();
	}

	/** Queues a change; a commit starts when none is running, and takes everything queued until it starts. */
	#write(change: Change): Promise<Outcome> {
		return new Promise((resolve, reject) => {
			this.#queue.push({ change, resolve, reject });
			this.#inFlight ??= this.#drain();
		});
	}

	async #drain(): Promise<void> {
		while (this.#queue.length > 0) {
			await this.#gather();
			const batch = this.#queue;
			this.#queue = [];
			try {
				const outcomes = await this.#commit(batch.map((queued) => queued.change));
				batch.forEach((queued, i) => queued.resolve(outcomes[i] ?? { ok: false, error: 'no outcome' }));
			} catch (error) {
				for (const queued of batch) queued.reject(error);
			}
		}
		this.#inFlight = null;
	}
}

function toSummary(row: Record<string, unknown>): MessageSummary {
	const listed = JSON.parse(String(row['summary'])) as Omit<MessageSummary, 'read' | 'flags'>;
	const flags = String(row['flags']);
	return { ...listed, read: row['read'] === 1, flags: flags === '' ? [] : (flags.split(' ') as MailFlag[]) };
}
