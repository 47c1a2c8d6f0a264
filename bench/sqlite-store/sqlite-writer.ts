/**
 * The SQLite prototype's write side: the schema, and one transaction per batch of changes (group commit). Runs
 * on the event loop's thread or in a worker of its own (sqlite-writer-worker.ts): `DatabaseSync` is synchronous,
 * so on the main thread every commit, its sync and the WAL checkpoints stop everything else while they run.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { errorMessage } from '../../sandbox/error-text.ts';

export type Synchronous = 'FULL' | 'NORMAL';

/** A change as plain data, so it can cross to a worker. */
export type Change =
	| { type: 'add'; id: string; mailbox: string; uid: number; summary: string; session: string; raw: Uint8Array; text: string }
	| { type: 'flags'; id: string; read: boolean; flags: string }
	| { type: 'delete'; ids: string[]; mailbox: string | null };

/** Per change: the ids it deleted (a deletion's, or the ones retention dropped to make room), or why it failed. */
export type Outcome = { ok: true; deleted: string[] } | { ok: false; error: string };

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

/** Opens the database in WAL mode with the schema in place. */
export function openDatabase(path: string, synchronous: Synchronous): DatabaseSync {
	const db = new DatabaseSync(path);
	// busy_timeout: the reading connection and the writer's are two; the rare write from the first (UIDVALIDITY
	// on a new folder) waits for the writer instead of failing.
	db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous}; PRAGMA busy_timeout = 5000;`);
	db.exec(SCHEMA);
	return db;
}

/** Prepared statements by their SQL, made on first use. */
export class Statements {
	readonly #db: DatabaseSync;
	readonly #cache = new Map<string, StatementSync>();

	constructor(db: DatabaseSync) {
		this.#db = db;
	}

	run(sql: string, ...params: SQLInputValue[]): { lastInsertRowid: number | bigint } {
		return this.#prepare(sql).run(...params);
	}

	get(sql: string, ...params: SQLInputValue[]): Record<string, unknown> | undefined {
		return this.#prepare(sql).get(...params) as Record<string, unknown> | undefined;
	}

	all(sql: string, ...params: SQLInputValue[]): Array<Record<string, unknown>> {
		return this.#prepare(sql).all(...params) as Array<Record<string, unknown>>;
	}

	#prepare(sql: string): StatementSync {
		let statement = this.#cache.get(sql);
		if (!statement) {
			statement = this.#db.prepare(sql);
			this.#cache.set(sql, statement);
		}
		return statement;
	}
}

export class SqliteWriter {
	readonly #db: DatabaseSync;
	readonly #sql: Statements;
	readonly #maxMessages: number;
	#count: number;

	constructor(path: string, synchronous: Synchronous, maxMessages: number) {
		this.#db = openDatabase(path, synchronous);
		this.#sql = new Statements(this.#db);
		this.#maxMessages = maxMessages;
		this.#count = Number(this.#sql.get('SELECT count(*) AS n FROM message')?.['n'] ?? 0);
	}

	/** One transaction for the batch; each change in a savepoint, so one that fails fails alone. Throws if the commit fails. */
	commit(batch: readonly Change[]): Outcome[] {
		const outcomes: Outcome[] = [];
		try {
			this.#db.exec('BEGIN IMMEDIATE');
			for (const change of batch) {
				this.#db.exec('SAVEPOINT change');
				const count = this.#count;
				try {
					outcomes.push({ ok: true, deleted: this.#apply(change) });
					this.#db.exec('RELEASE change');
				} catch (error) {
					this.#db.exec('ROLLBACK TO change; RELEASE change');
					this.#count = count;
					outcomes.push({ ok: false, error: errorMessage(error) });
				}
			}
			this.#db.exec('COMMIT');
		} catch (error) {
			// BEGIN or COMMIT failed (disk full, I/O error): nothing of the batch is durable.
			if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
			this.#count = Number(this.#sql.get('SELECT count(*) AS n FROM message')?.['n'] ?? 0);
			throw error;
		}
		return outcomes;
	}

	close(): void {
		this.#db.close();
	}

	#apply(change: Change): string[] {
		if (change.type === 'flags') {
			this.#sql.run('UPDATE message SET read = ?, flags = ? WHERE id = ?', change.read ? 1 : 0, change.flags, change.id);
			return [];
		}
		if (change.type === 'delete') {
			const found = change.ids.map((id) => this.#sql.get('SELECT seq, id, mailbox FROM message WHERE id = ?', id));
			return this.#delete(found.filter((row) => row !== undefined && (change.mailbox === null || row['mailbox'] === change.mailbox)) as Array<Record<string, unknown>>);
		}
		const { lastInsertRowid: seq } = this.#sql.run(
			'INSERT INTO message (id, mailbox, uid, summary, session) VALUES (?, ?, ?, ?, ?)',
			change.id,
			change.mailbox,
			change.uid,
			change.summary,
			change.session,
		);
		this.#sql.run('INSERT INTO raw (seq, bytes) VALUES (?, ?)', seq, change.raw);
		this.#sql.run('INSERT INTO search (rowid, text) VALUES (?, ?)', seq, change.text);
		this.#sql.run('INSERT INTO mailbox (name, uid_next) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET uid_next = max(uid_next, excluded.uid_next)', change.mailbox, change.uid + 1);
		this.#count += 1;
		const excess = this.#count - this.#maxMessages;
		return excess > 0 ? this.#delete(this.#sql.all('SELECT seq, id FROM message ORDER BY seq LIMIT ?', excess)) : [];
	}

	#delete(rows: ReadonlyArray<Record<string, unknown>>): string[] {
		for (const row of rows) {
			this.#sql.run('DELETE FROM message WHERE seq = ?', Number(row['seq']));
			this.#sql.run('DELETE FROM raw WHERE seq = ?', Number(row['seq']));
			this.#sql.run('DELETE FROM search WHERE rowid = ?', Number(row['seq']));
		}
		this.#count -= rows.length;
		return rows.map((row) => String(row['id']));
	}
}
