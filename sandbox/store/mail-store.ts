/**
 * The sandbox's mailbox: every captured message, durable on disk in an append-only journal (journal.ts),
 * with only a small summary per message in memory. `add` resolves once the message's record is written
 * and fdatasynced (group commit: concurrent adds share one sync), so the SMTP server can answer 250
 * after it. The ingest path reads headers only (header-index.ts); the preview text and attachment count
 * follow off that path (body-index.ts, announced with `message-updated`). Opening a message (parsing it
 * with mailparser, making its HTML safe to show) is the inbox's business, not the store's: see
 * sandbox/mail/message-renderer.ts.
 *
 * Journal records and what a crash can cost:
 * - message (metadata JSON + raw bytes): synced before the 250. Never lost once acknowledged.
 * - delete (tombstone of ids): synced before `delete`/`clear` resolve. Retention's tombstones are lazy: a
 *   crash may bring back a message retention dropped; retention drops it again on open.
 * - flags (read = \Seen, \Answered, \Flagged, \Draft, \Deleted): synced before `setFlags`/`markRead` resolve.
 * - UIDs: each message record holds its UID; `<data>/mailbox-state.json` holds UIDVALIDITY and a floor under
 *   each mailbox's next UID, saved before a deletion could let it go back (mailbox-state.ts).
 * - transcript completion and body index: lazy (written in the next batch, synced with the next synced
 *   record). A process crash loses nothing (the kernel has the bytes); a power cut may lose a transcript's
 *   tail (the message keeps the transcript up to DATA) or a preview, which is recomputed on open.
 *
 * The store's parts, one job each: records.ts (what the records mean), replay.ts (records → entries on
 * start), message-index.ts (entries in memory, lists and search), ids.ts, uids.ts, preview-queue.ts (the
 * body index after the 250), compaction.ts, shared-parts.ts (summaries share their common strings). This
 * class ties them together and is the only door in: callers see MailStore alone.
 *
 * Readers: the JSON API and inbox (newest first, paged, searched; `readRaw` and `getSession` when a message
 * is opened), POP3/IMAP (`listMailbox`, oldest first, and `readRaw`), the forum (events).
 */
import { join } from 'node:path';
import { errorMessage } from '../error-text.ts';
import type { EventBus } from '../events/event-bus.ts';
import { summarizeBody, type BodySummary } from './body-index.ts';
import { Compaction } from './compaction.ts';
import { MessageIds } from './ids.ts';
import { Journal } from './journal.ts';
import { summarizeNewMessage } from './new-summary.ts';
import { MessageIndex, type ListOptions, type ListPage } from './message-index.ts';
import { PreviewQueue } from './preview-queue.ts';
import {
	completedTranscript,
	normaliseFlags,
	RECORD,
	type DeleteRecord,
	type Entry,
	type FinalTranscript,
	type IndexRecord,
	type StateRecord,
	type StoredMeta,
} from './records.ts';
import { Replay } from './replay.ts';
import type { StoreWarn } from './store-warning.ts';
import { DEFAULT_MAILBOX, type MessageSummary, type SessionFacts, type TranscriptEntry } from './types.ts';
import { Uids } from './uids.ts';

export { isMessageId } from './ids.ts';
export { MAX_PAGE, type ListOptions, type ListPage } from './message-index.ts';
export type { StoredMeta } from './records.ts';

export interface MailStoreOptions {
	dataDir: string;
	/** Retention: at most this many messages are kept; the oldest go first. */
	maxMessages: number;
	events: EventBus;
	/** Size at which the journal starts a new segment file; tests make it small. */
	segmentBytes?: number;
	/**
	 * Where problems are reported (an unreadable record at start-up, a file that could not be written), as
	 * catalogue keys the sandbox puts in the terminal's language (store-warning.ts).
	 */
	warn: StoreWarn;
}

/** A message handed over by the SMTP server. */
export interface IncomingMail {
	raw: Buffer;
	session: SessionFacts;
	mailbox?: string;
	receivedAt?: Date;
}

/** A message's raw bytes, whole when small, in chunks otherwise. */
export type RawContent = { size: number; bytes: Buffer } | { size: number; chunks: AsyncIterable<Buffer> };

/** What `setFlags` may change; what is left out stays as it is. */
export interface FlagChange {
	read?: boolean;
	flags?: readonly string[];
}

/**
 * Messages at most this big get their preview before the 250 (the light body walk costs microseconds),
 * so the first event is complete and no extra `message-updated` is sent; bigger ones are indexed after.
 */
const INLINE_INDEX_BYTES = 64 * 1024;
/** `openRaw` reads a message up to this size whole (and checked) before answering; bigger ones stream. */
const RAW_WHOLE_BYTES = 1024 * 1024;

export class MailStore {
	readonly #options: MailStoreOptions;
	readonly #warn: StoreWarn;
	readonly #events: EventBus;
	readonly #journal: Journal;
	readonly #index = new MessageIndex();
	readonly #ids = new MessageIds();
	readonly #uids: Uids;
	readonly #previews: PreviewQueue;
	readonly #compaction: Compaction;
	readonly #pending = new Set<Promise<unknown>>();
	#closed = false;

	private constructor(options: MailStoreOptions, warn: StoreWarn, journal: Journal) {
		this.#options = options;
		this.#warn = warn;
		this.#events = options.events;
		this.#journal = journal;
		this.#uids = new Uids(options.dataDir, warn);
		const closed = () => this.#closed;
		this.#previews = new PreviewQueue({ index: this.#index, journal, apply: (entry, body) => this.#applyIndex(entry, body), closed, warn });
		this.#compaction = new Compaction({ index: this.#index, journal, session: (entry) => this.#session(entry), closed, warn });
	}

	/** Opens (or creates) the store in `dataDir` and replays the journal. */
	static async open(options: MailStoreOptions): Promise<MailStore> {
		const { warn } = options;
		const replay = new Replay();
		const journal = await Journal.open<unknown>({
			dir: join(options.dataDir, 'journal'),
			onRecord: (record) => replay.apply(record.type, record.meta, record.location),
			warn,
			...(options.segmentBytes === undefined ? {} : { segmentBytes: options.segmentBytes }),
		});
		const store = new MailStore(options, warn, journal);
		store.#index.adopt(replay.entries);
		store.#ids.follow(store.#index.newestId);
		try {
			await store.#uids.open(store.#index, journal);
		} catch (error) {
			// The store does not open: its journal's files are let go before the cause travels on.
			await journal.close();
			throw error;
		}
		store.#enforceRetention();
		for (const id of store.#index.ids) if (!store.#index.at(id).indexed) store.#previews.push(id, null);
		store.#compaction.start();
		return store;
	}

	get count(): number {
		return this.#index.count;
	}

	get maxMessages(): number {
		return this.#options.maxMessages;
	}

	/** RFC 3501 UIDVALIDITY of every mailbox in this data folder; fixed when the folder was created. */
	get uidValidity(): number {
		return this.#uids.validity;
	}

	/** The UID the next message of `mailbox` will get (IMAP's UIDNEXT). */
	uidNext(mailbox: string = DEFAULT_MAILBOX): number {
		return this.#uids.next(mailbox);
	}

	/** The store's journal folder (for diagnostics and tests). */
	get journalDir(): string {
		return this.#journal.dir;
	}

	/**
	 * Stores a message durably and announces it. Resolves with its summary once its journal record is
	 * fdatasynced; only then may the SMTP server reply 250.
	 */
	add(mail: IncomingMail): Promise<MessageSummary> {
		return this.#track(this.#add(mail));
	}

	/** Newest first, optionally searched and filtered by mailbox. */
	list(options: ListOptions = {}): ListPage {
		return this.#index.list(options);
	}

	/** One mailbox oldest first: the order POP3 numbers messages and IMAP assigns UIDs. */
	listMailbox(mailbox: string = DEFAULT_MAILBOX): MessageSummary[] {
		return this.#index.listMailbox(mailbox);
	}

	getSummary(id: string): MessageSummary | null {
		return this.#index.get(id)?.summary ?? null;
	}

	/**
	 * The raw message exactly as received, or null when there is no such message. A message that is known but
	 * cannot be read (an I/O error, a record that fails its checksum: JournalCorruptError) rejects: that is
	 * Postlab's failure, not a missing message, and the caller's error path says so.
	 */
	async readRaw(id: string): Promise<Buffer | null> {
		const entry = this.#index.get(id);
		if (!entry) return null;
		return this.#journal.readBody(entry.location);
	}

	/**
	 * The raw bytes for sending on (the API's `.eml`); null for an unknown id. Up to RAW_WHOLE_BYTES they are
	 * read and checked before this resolves, so damage is an error before the first byte goes out; a bigger
	 * message comes in chunks whose checksum fails at the end (see Journal.bodyChunks).
	 */
	async openRaw(id: string): Promise<RawContent | null> {
		const entry = this.#index.get(id);
		if (!entry) return null;
		const size = entry.location.bodyLength;
		if (size <= RAW_WHOLE_BYTES) return { size, bytes: await this.#journal.readBody(entry.location) };
		return { size, chunks: this.#journal.bodyChunks(entry.location) };
	}

	/**
	 * How the message arrived: delivery facts and the SMTP transcript (the completed one once it is written).
	 * Null for an unknown id; a known message whose records cannot be read rejects, as `readRaw` does.
	 */
	async getSession(id: string): Promise<SessionFacts | null> {
		const entry = this.#index.get(id);
		if (!entry) return null;
		return this.#session(entry);
	}

	/**
	 * mailparser, stricter than the light walk made at ingest, could not read the message when it was
	 * opened: the list says so from now on.
	 */
	markUnparsed(id: string): void {
		const entry = this.#index.get(id);
		if (!entry || !entry.summary.parsed) return;
		this.#applyIndex(entry, { snippet: entry.summary.snippet, attachmentCount: entry.summary.attachmentCount, parsed: false });
	}

	/** Sets the read flag; resolves with the new summary once it is durable, or null for an unknown id. */
	markRead(id: string, read: boolean): Promise<MessageSummary | null> {
		return this.setFlags(id, { read });
	}

	/**
	 * Sets a message's durable flags (the web inbox's read state is IMAP's \Seen): resolves with the new summary
	 * once it is durable, or null for an unknown id or one outside `mailbox` when that is given (a learner
	 * changes only their own mail). Flags other than MAIL_FLAGS are not the store's and are ignored. A change
	 * that changes nothing writes nothing and announces nothing.
	 */
	setFlags(id: string, change: FlagChange, mailbox?: string): Promise<MessageSummary | null> {
		return this.#track(this.#setFlags(id, change, mailbox));
	}

	/**
	 * Records the final transcript, whole: the server learns the rest of the conversation (the 250 to DATA,
	 * QUIT) only after the message was stored. Written lazily with the next batch (see the top comment).
	 */
	completeTranscript(id: string, transcript: TranscriptEntry[], storeMs?: number): Promise<MessageSummary | null> {
		return this.#finishTranscript(id, RECORD.transcript, storeMs === undefined ? { transcript } : { transcript, storeMs });
	}

	/**
	 * Records the final transcript as the lines after those already stored with the message (the 250 to DATA,
	 * QUIT, the close): the same as `completeTranscript` with the stored lines followed by `tail`, for a
	 * fraction of the bytes. Only for a caller that knows which lines the message record holds.
	 */
	appendTranscript(id: string, tail: TranscriptEntry[], storeMs?: number): Promise<MessageSummary | null> {
		return this.#finishTranscript(id, RECORD.transcriptTail, storeMs === undefined ? { tail } : { tail, storeMs });
	}

	#finishTranscript(id: string, type: number, final: FinalTranscript): Promise<MessageSummary | null> {
		const entry = this.#index.get(id);
		if (!entry || this.#closed) return Promise.resolve(null);
		entry.transcript = final;
		const written = this.#journal.append(type, { id, ...final }, null, 'lazy').then((location) => {
			if (this.#index.get(id) !== entry) return null;
			if (entry.transcript === final) entry.transcript = location;
			// Written (not necessarily synced): listeners such as the SMTP player re-read the detail now.
			this.#events.emit({ type: 'message-transcript', id, mailbox: entry.summary.mailbox });
			return entry.summary;
		});
		return this.#track(written);
	}

	/** Deletes one message; false when there was none. */
	delete(id: string): Promise<boolean> {
		return this.#track(this.#delete(id));
	}

	/**
	 * Deletes messages: the API's DELETE, IMAP's EXPUNGE and POP3's QUIT all come here. With `mailbox`, ids
	 * outside it are left alone (a learner deletes only their own mail). Resolves with the ids deleted, once
	 * their tombstone is durable.
	 */
	deleteMany(ids: readonly string[], mailbox?: string): Promise<string[]> {
		return this.#track(this.#deleteMany(ids, mailbox));
	}

	/** Deletes every message of `mailbox`, or every message when it is omitted; resolves with how many. */
	clear(mailbox?: string): Promise<number> {
		return this.#track(this.#clear(mailbox));
	}

	/** Waits for writes in flight; later calls to `add` are refused. */
	async close(): Promise<void> {
		this.#closed = true;
		await Promise.allSettled([...this.#pending]);
		if (this.#compaction.running) await this.#compaction.running;
		try {
			await this.#journal.barrier();
		} catch (error) {
			// The journal could not be written: unsynced records (transcripts, previews) may be lost; messages
			// were synced before their 250. Closing goes on, so the files are let go all the same.
			this.#warn('log.store.notSynced', { reason: errorMessage(error) });
		}
		await this.#journal.close();
		this.#previews.clear();
	}

	async #add(mail: IncomingMail): Promise<MessageSummary> {
		if (this.#closed) throw new Error('The mail store is closed.');
		const receivedAt = mail.receivedAt ?? new Date();
		const id = this.#ids.next(receivedAt.getTime());
		const mailbox = mail.mailbox ?? DEFAULT_MAILBOX;
		// Given now, in the same turn as the id: UIDs rise in the order ids sort, whatever order writes finish in.
		const uid = this.#uids.take(mailbox);
		const inline = mail.raw.length <= INLINE_INDEX_BYTES ? summarizeBody(mail.raw) : null;
		const summary = summarizeNewMessage({ id, mailbox, uid, receivedAt, raw: mail.raw, session: mail.session }, inline);
		const meta: StoredMeta = { version: 1, summary, session: mail.session, parseError: null };
		const location = await this.#journal.append(RECORD.message, meta, mail.raw, 'sync');
		this.#index.insert({ summary, location, transcript: null, indexed: inline !== null });
		this.#events.emit({ type: 'message', message: summary });
		if (!inline) this.#previews.push(id, mail.raw);
		this.#enforceRetention();
		return summary;
	}

	async #setFlags(id: string, change: FlagChange, mailbox: string | undefined): Promise<MessageSummary | null> {
		const entry = this.#index.get(id);
		if (!entry || (mailbox !== undefined && entry.summary.mailbox !== mailbox)) return null;
		const old = entry.summary;
		const read = change.read ?? old.read;
		const flags = change.flags === undefined ? old.flags : normaliseFlags(change.flags);
		if (read === old.read && flags.join(' ') === old.flags.join(' ')) return old;
		entry.summary = { ...old, read, flags };
		const record: StateRecord = { id, read, flags };
		await this.#journal.append(RECORD.state, record, null, 'sync');
		if (this.#index.get(id) !== entry) return null;
		this.#events.emit({ type: 'message-updated', message: entry.summary });
		return entry.summary;
	}

	async #delete(id: string): Promise<boolean> {
		return (await this.#deleteMany([id], undefined)).length === 1;
	}

	async #deleteMany(ids: readonly string[], mailbox: string | undefined): Promise<string[]> {
		const summaries: MessageSummary[] = [];
		for (const id of new Set(ids)) {
			const summary = this.#index.get(id)?.summary;
			if (!summary || (mailbox !== undefined && summary.mailbox !== mailbox)) continue;
			summaries.push(summary);
		}
		if (summaries.length === 0) return [];
		for (const summary of summaries) this.#index.forget(summary.id);
		await this.#uids.keepFloor(summaries);
		const record: DeleteRecord = { ids: summaries.map((summary) => summary.id) };
		await this.#journal.append(RECORD.delete, record, null, 'sync');
		for (const summary of summaries) this.#events.emit({ type: 'message-deleted', id: summary.id, mailbox: summary.mailbox, reason: 'deleted' });
		this.#compaction.start();
		return record.ids;
	}

	async #clear(mailbox?: string): Promise<number> {
		const ids = mailbox === undefined ? [...this.#index.ids] : this.listMailbox(mailbox).map((summary) => summary.id);
		const summaries = ids.map((id) => this.#index.at(id).summary);
		for (const id of ids) this.#index.forget(id);
		await this.#uids.keepFloor(summaries);
		if (ids.length > 0) {
			const record: DeleteRecord = { ids };
			await this.#journal.append(RECORD.delete, record, null, 'sync');
		}
		this.#events.emit({ type: 'mailbox-cleared', mailbox: mailbox ?? null });
		// Everything may be dead now: start a fresh segment so compaction can drop all the old ones.
		if (this.#index.count === 0) {
			try {
				await this.#journal.rotate();
			} catch (error) {
				// The deletion is durable already; without a fresh segment only the disk space waits for the next one.
				this.#warn('log.store.noSegmentAfterClear', { reason: errorMessage(error) });
			}
		}
		this.#compaction.start();
		// With nothing (or little) live, compaction is mostly deleting files: let the caller see the disk freed.
		if (this.#compaction.running) await this.#compaction.running;
		return ids.length;
	}

	/** Drops the oldest messages beyond the limit; the tombstone rides along lazily (see the top comment). */
	#enforceRetention(): void {
		const excess = this.#index.count - this.#options.maxMessages;
		if (excess <= 0) return;
		const dropped = this.#index.ids.slice(0, excess);
		const summaries = dropped.map((id) => this.#index.at(id).summary);
		for (const id of dropped) this.#index.forget(id);
		// Not awaited: retention drops the oldest, so this rarely writes (only when a mailbox's newest goes).
		// A failed state-file write is reported by Uids itself (its write chain warns); here it must only not
		// become an unhandled rejection.
		if (!this.#closed) this.#track(this.#uids.keepFloor(summaries)).catch(() => undefined);
		if (!this.#closed) {
			const record: DeleteRecord = { ids: dropped };
			// A lost retention tombstone brings the message back only until retention drops it again on open.
			this.#track(this.#journal.append(RECORD.delete, record, null, 'lazy')).catch((error: unknown) =>
				this.#warn('log.store.tombstoneNotWritten', { reason: errorMessage(error) }),
			);
		}
		for (const summary of summaries) {
			this.#events.emit({ type: 'message-deleted', id: summary.id, mailbox: summary.mailbox, reason: 'retention' });
		}
		this.#compaction.start();
	}

	#applyIndex(entry: Entry, body: BodySummary): void {
		entry.indexed = true;
		const old = entry.summary;
		entry.summary = { ...old, snippet: body.snippet, attachmentCount: body.attachmentCount, parsed: old.parsed && body.parsed };
		if (!this.#closed) {
			const record: IndexRecord = { id: old.id, ...body, parsed: entry.summary.parsed };
			// Without the record the preview is computed again on the next start; nothing else is lost.
			this.#track(this.#journal.append(RECORD.index, record, null, 'lazy')).catch((error: unknown) =>
				this.#warn('log.store.previewNotWritten', { reason: errorMessage(error) }),
			);
		}
		if (old.snippet !== entry.summary.snippet || old.attachmentCount !== entry.summary.attachmentCount || old.parsed !== entry.summary.parsed) {
			this.#events.emit({ type: 'message-updated', message: entry.summary });
		}
	}

	/** Delivery facts from the message record, with the completed transcript when there is one. */
	async #session(entry: Entry): Promise<SessionFacts> {
		const meta = await this.#journal.readMeta<StoredMeta>(entry.location);
		const final = entry.transcript === null ? null : 'segment' in entry.transcript ? await this.#journal.readMeta<FinalTranscript>(entry.transcript) : entry.transcript;
		const session = meta.session;
		if (final) {
			session.transcript = completedTranscript(session.transcript, final);
			if (final.storeMs !== undefined) session.timings.storeMs = final.storeMs;
		}
		return session;
	}

	#track<T>(promise: Promise<T>): Promise<T> {
		this.#pending.add(promise);
		const done = () => this.#pending.delete(promise);
		promise.then(done, done);
		return promise;
	}
}
