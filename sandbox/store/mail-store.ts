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
 * Readers: the JSON API and inbox (newest first, paged, searched; `readRaw` and `getSession` when a message
 * is opened), POP3/IMAP (`listMailbox`, oldest first, and `readRaw`), the forum (events).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { EventBus } from '../events/event-bus.ts';
import { summarizeBody, type BodySummary } from './body-index.ts';
import { summarizeHeaders } from './header-index.ts';
import { Journal, type RecordLocation } from './journal.ts';
import { loadMailboxState, newUidValidity, saveMailboxState } from './mailbox-state.ts';
import {
	DEFAULT_MAILBOX,
	MAIL_FLAGS,
	type MailFlag,
	type MessageSummary,
	type SessionFacts,
	type TranscriptEntry,
} from './types.ts';

export interface MailStoreOptions {
	dataDir: string;
	/** Retention: at most this many messages are kept; the oldest go first. */
	maxMessages: number;
	events: EventBus;
	/** Size at which the journal starts a new segment file; tests make it small. */
	segmentBytes?: number;
	/** Where start-up problems (unreadable files) are reported. */
	warn?: (message: string) => void;
}

/** A message handed over by the SMTP server. */
export interface IncomingMail {
	raw: Buffer;
	session: SessionFacts;
	mailbox?: string;
	receivedAt?: Date;
}

export interface ListOptions {
	mailbox?: string;
	/** Offset into the newest-first list. */
	start?: number;
	limit?: number;
	/** Case-insensitive words matched against subject, sender, recipients and the preview text. */
	query?: string;
}

export interface ListPage {
	/** Matching messages in all, before paging. */
	total: number;
	start: number;
	messages: MessageSummary[];
}

/** The list API's cap on one page. */
export const MAX_PAGE = 500;

/** A byte range of a file holding a message's raw bytes: `createReadStream(path, { start, end })`. */
export interface RawRange {
	path: string;
	start: number;
	/** Inclusive, as createReadStream wants it. */
	end: number;
	size: number;
}

/** What a journal message record holds as its metadata. */
export interface StoredMeta {
	version: 1;
	summary: MessageSummary;
	session: SessionFacts;
	parseError: string | null;
}

/** Ids are made by the store; anything else in a URL is refused before it reaches the store. */
const MESSAGE_ID_PATTERN = /^[0-9a-z]{12,40}$/;

/** Journal record types. */
const RECORD = { message: 1, read: 2, index: 3, transcript: 4, delete: 5, state: 6 } as const;

/** A change of a message's flags, or the UID given to a message stored before UIDs were kept. */
interface StateRecord {
	id: string;
	read?: boolean;
	flags?: MailFlag[];
	uid?: number;
}

/** What `setFlags` may change; what is left out stays as it is. */
export interface FlagChange {
	read?: boolean;
	flags?: readonly string[];
}

interface ReadRecord {
	id: string;
	read: boolean;
}
type IndexRecord = { id: string } & BodySummary;
interface TranscriptRecord {
	id: string;
	transcript: TranscriptEntry[];
	storeMs?: number;
}
interface DeleteRecord {
	ids: string[];
}

interface FinalTranscript {
	transcript: TranscriptEntry[];
	storeMs?: number;
}

/** What the store keeps in memory per message: its summary and where its records are. */
interface Entry {
	summary: MessageSummary;
	location: RecordLocation;
	/** The completed transcript: still being written (the value itself), or where it was written. */
	transcript: FinalTranscript | RecordLocation | null;
	indexed: boolean;
}

/**
 * Messages at most this big get their preview before the 250 (the light body walk costs microseconds),
 * so the first event is complete and no extra `message-updated` is sent; bigger ones are indexed after.
 */
const INLINE_INDEX_BYTES = 64 * 1024;
/** Raw bytes held for the after-250 index queue; beyond that the queue reads them back from disk. */
const INDEX_QUEUE_BYTES = 8 * 1024 * 1024;
/** The index queue yields to the event loop after this long, so it never delays SMTP replies much. */
const INDEX_SLICE_MS = 4;
/** Compaction starts once dead records outweigh live ones by this many bytes. */
const COMPACT_SLACK_BYTES = 8 * 1024 * 1024;
/** Compaction copies at most this many bytes before waiting for them to be written. */
const COMPACT_CHUNK_BYTES = 4 * 1024 * 1024;

export class MailStore {
	readonly #options: MailStoreOptions;
	readonly #events: EventBus;
	readonly #journal: Journal;
	/** Ids in arrival order (ids sort by time). */
	readonly #order: string[] = [];
	readonly #entries = new Map<string, Entry>();
	/** Bytes of live message records per journal segment, for compaction. */
	readonly #liveBytes = new Map<number, number>();
	readonly #pending = new Set<Promise<unknown>>();
	readonly #indexQueue: Array<{ id: string; raw: Buffer | null }> = [];
	#indexHead = 0;
	#indexQueuedBytes = 0;
	#indexScheduled = false;
	#compacting: Promise<void> | null = null;
	#lastMs = 0;
	#sequence = 0;
	#closed = false;
	#uidValidity = 0;
	/** Per mailbox, the UID the next message gets. */
	readonly #uidNext = new Map<string, number>();
	/** Per mailbox, the floor last saved in mailbox-state.json. */
	readonly #savedUidNext = new Map<string, number>();
	/** State-file writes, one after another. */
	#stateWrite: Promise<void> = Promise.resolve();

	private constructor(options: MailStoreOptions, journal: Journal) {
		this.#options = options;
		this.#events = options.events;
		this.#journal = journal;
	}

	/** Opens (or creates) the store in `dataDir`, replays the journal. */
	static async open(options: MailStoreOptions): Promise<MailStore> {
		const warn = options.warn ?? ((message: string) => console.warn(`[sandbox] ${message}`));
		const replay = new Replay();
		const journal = await Journal.open<unknown>({
			dir: join(options.dataDir, 'journal'),
			onRecord: (record) => replay.apply(record.type, record.meta, record.location),
			warn,
			...(options.segmentBytes === undefined ? {} : { segmentBytes: options.segmentBytes }),
		});
		const store = new MailStore({ ...options, warn }, journal);
		store.#adopt(replay);
		await store.#openUids();
		store.#enforceRetention();
		for (const id of store.#order) if (!store.#entries.get(id)!.indexed) store.#queueIndex(id, null);
		store.#startCompaction();
		return store;
	}

	get count(): number {
		return this.#order.length;
	}

	get maxMessages(): number {
		return this.#options.maxMessages;
	}

	/** RFC 3501 UIDVALIDITY of every mailbox in this data folder; fixed when the folder was created. */
	get uidValidity(): number {
		return this.#uidValidity;
	}

	/** The UID the next message of `mailbox` will get (IMAP's UIDNEXT). */
	uidNext(mailbox: string = DEFAULT_MAILBOX): number {
		return this.#uidNext.get(mailbox) ?? 1;
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
		const start = Math.max(0, Math.floor(options.start ?? 0));
		const limit = Math.min(MAX_PAGE, Math.max(0, Math.floor(options.limit ?? 50)));
		const words = (options.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
		if (options.mailbox === undefined && words.length === 0) {
			// The common case (the inbox's first page, the benchmark's count) needs no walk over everything.
			const total = this.#order.length;
			const messages: MessageSummary[] = [];
			for (let i = total - 1 - start; i >= 0 && messages.length < limit; i -= 1) messages.push(this.#entries.get(this.#order[i]!)!.summary);
			return { total, start, messages };
		}
		const messages: MessageSummary[] = [];
		let total = 0;
		for (let i = this.#order.length - 1; i >= 0; i -= 1) {
			const summary = this.#entries.get(this.#order[i]!)!.summary;
			if (options.mailbox !== undefined && summary.mailbox !== options.mailbox) continue;
			if (words.length > 0 && !matches(summary, words)) continue;
			if (total >= start && messages.length < limit) messages.push(summary);
			total += 1;
		}
		return { total, start, messages };
	}

	/** One mailbox oldest first: the order POP3 numbers messages and IMAP assigns UIDs. */
	listMailbox(mailbox: string = DEFAULT_MAILBOX): MessageSummary[] {
		const out: MessageSummary[] = [];
		for (const id of this.#order) {
			const summary = this.#entries.get(id)!.summary;
			if (summary.mailbox === mailbox) out.push(summary);
		}
		return out;
	}

	getSummary(id: string): MessageSummary | null {
		return this.#entries.get(id)?.summary ?? null;
	}

	/** The raw message exactly as received, or null when there is no such message. */
	async readRaw(id: string): Promise<Buffer | null> {
		const entry = this.#entries.get(id);
		if (!entry) return null;
		try {
			return await this.#journal.readBody(entry.location);
		} catch {
			return null;
		}
	}

	/** Where the raw bytes are, for streaming large messages without reading them into memory; or null. */
	rawRange(id: string): RawRange | null {
		const entry = this.#entries.get(id);
		if (!entry) return null;
		return { ...this.#journal.bodyRange(entry.location), size: entry.location.bodyLength };
	}

	/** How the message arrived: delivery facts and the SMTP transcript (the completed one once it is written). */
	async getSession(id: string): Promise<SessionFacts | null> {
		const entry = this.#entries.get(id);
		if (!entry) return null;
		try {
			return await this.#session(entry);
		} catch {
			return null;
		}
	}

	/**
	 * mailparser, stricter than the light walk made at ingest, could not read the message when it was
	 * opened: the list says so from now on.
	 */
	markUnparsed(id: string): void {
		const entry = this.#entries.get(id);
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
	 * Records the final transcript: the server learns the rest of the conversation (the 250 to DATA,
	 * QUIT) only after the message was stored. Written lazily with the next batch (see the top comment).
	 */
	completeTranscript(id: string, transcript: TranscriptEntry[], storeMs?: number): Promise<MessageSummary | null> {
		const entry = this.#entries.get(id);
		if (!entry || this.#closed) return Promise.resolve(null);
		const final: FinalTranscript = storeMs === undefined ? { transcript } : { transcript, storeMs };
		entry.transcript = final;
		const record: TranscriptRecord = { id, ...final };
		const written = this.#journal.append(RECORD.transcript, record, null, 'lazy').then((location) => {
			if (this.#entries.get(id) !== entry) return null;
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

	/** Deletes every message of `mailbox`, or every message when it is omitted; resolves with how many. */
	clear(mailbox?: string): Promise<number> {
		return this.#track(this.#clear(mailbox));
	}

	/** Waits for writes in flight; later calls to `add` are refused. */
	async close(): Promise<void> {
		this.#closed = true;
		await Promise.allSettled([...this.#pending]);
		if (this.#compacting) await this.#compacting.catch(() => undefined);
		await this.#journal.barrier().catch(() => undefined);
		await this.#journal.close();
		this.#indexQueue.length = 0;
		this.#indexHead = 0;
	}

	async #add(mail: IncomingMail): Promise<MessageSummary> {
		if (this.#closed) throw new Error('The mail store is closed.');
		const receivedAt = mail.receivedAt ?? new Date();
		const id = this.#nextId(receivedAt.getTime());
		const mailbox = mail.mailbox ?? DEFAULT_MAILBOX;
		// Given now, in the same turn as the id: UIDs rise in the order ids sort, whatever order writes finish in.
		const uid = this.uidNext(mailbox);
		this.#uidNext.set(mailbox, uid + 1);
		const headers = summarizeHeaders(mail.raw);
		const inline = mail.raw.length <= INLINE_INDEX_BYTES ? summarizeBody(mail.raw) : null;
		const summary: MessageSummary = {
			id,
			mailbox,
			subject: headers.subject,
			// Mail without From/To headers (a bare smtplib.sendmail) is listed by its envelope instead.
			from: headers.from ?? (mail.session.envelope.mailFrom ? { name: '', address: mail.session.envelope.mailFrom } : null),
			to: headers.to.length > 0 ? headers.to : mail.session.envelope.rcptTo.map((address) => ({ name: '', address })),
			date: headers.date ?? receivedAt.toISOString(),
			receivedAt: receivedAt.toISOString(),
			size: mail.raw.length,
			snippet: inline?.snippet ?? '',
			attachmentCount: inline?.attachmentCount ?? headers.attachmentHint,
			read: false,
			uid,
			flags: [],
			parsed: inline?.parsed ?? true,
		};
		const meta: StoredMeta = { version: 1, summary, session: mail.session, parseError: null };
		const location = await this.#journal.append(RECORD.message, meta, mail.raw, 'sync');
		this.#insert({ summary, location, transcript: null, indexed: inline !== null });
		this.#events.emit({ type: 'message', message: summary });
		if (!inline) this.#queueIndex(id, mail.raw);
		this.#enforceRetention();
		return summary;
	}

	async #setFlags(id: string, change: FlagChange, mailbox: string | undefined): Promise<MessageSummary | null> {
		const entry = this.#entries.get(id);
		if (!entry || (mailbox !== undefined && entry.summary.mailbox !== mailbox)) return null;
		const old = entry.summary;
		const read = change.read ?? old.read;
		const flags = change.flags === undefined ? old.flags : normaliseFlags(change.flags);
		if (read === old.read && flags.join(' ') === old.flags.join(' ')) return old;
		entry.summary = { ...old, read, flags };
		const record: StateRecord = { id, read, flags };
		await this.#journal.append(RECORD.state, record, null, 'sync');
		if (this.#entries.get(id) !== entry) return null;
		this.#events.emit({ type: 'message-updated', message: entry.summary });
		return entry.summary;
	}

	/**
	 * Deletes messages: the API's DELETE, IMAP's EXPUNGE and POP3's QUIT all come here. With `mailbox`, ids
	 * outside it are left alone (a learner deletes only their own mail). Resolves with the ids deleted, once
	 * their tombstone is durable.
	 */
	deleteMany(ids: readonly string[], mailbox?: string): Promise<string[]> {
		return this.#track(this.#deleteMany(ids, mailbox));
	}

	async #delete(id: string): Promise<boolean> {
		return (await this.#deleteMany([id], undefined)).length === 1;
	}

	async #deleteMany(ids: readonly string[], mailbox: string | undefined): Promise<string[]> {
		const summaries: MessageSummary[] = [];
		for (const id of new Set(ids)) {
			const summary = this.#entries.get(id)?.summary;
			if (!summary || (mailbox !== undefined && summary.mailbox !== mailbox)) continue;
			summaries.push(summary);
		}
		if (summaries.length === 0) return [];
		for (const summary of summaries) this.#forget(summary.id);
		await this.#keepUidFloor(summaries);
		const record: DeleteRecord = { ids: summaries.map((summary) => summary.id) };
		await this.#journal.append(RECORD.delete, record, null, 'sync');
		for (const summary of summaries) this.#events.emit({ type: 'message-deleted', id: summary.id, mailbox: summary.mailbox, reason: 'deleted' });
		this.#startCompaction();
		return record.ids;
	}

	async #clear(mailbox?: string): Promise<number> {
		const ids = mailbox === undefined ? [...this.#order] : this.listMailbox(mailbox).map((summary) => summary.id);
		const summaries = ids.map((id) => this.#entries.get(id)!.summary);
		for (const id of ids) this.#forget(id);
		await this.#keepUidFloor(summaries);
		if (ids.length > 0) {
			const record: DeleteRecord = { ids };
			await this.#journal.append(RECORD.delete, record, null, 'sync');
		}
		this.#events.emit({ type: 'mailbox-cleared', mailbox: mailbox ?? null });
		// Everything may be dead now: start a fresh segment so compaction can drop all the old ones.
		if (this.#order.length === 0) await this.#journal.rotate().catch(() => undefined);
		this.#startCompaction();
		// With nothing (or little) live, compaction is mostly deleting files: let the caller see the disk freed.
		if (this.#compacting) await this.#compacting;
		return ids.length;
	}

	/** Drops the oldest messages beyond the limit; the tombstone rides along lazily (see the top comment). */
	#enforceRetention(): void {
		const excess = this.#order.length - this.#options.maxMessages;
		if (excess <= 0) return;
		const dropped = this.#order.slice(0, excess);
		const summaries = dropped.map((id) => this.#entries.get(id)!.summary);
		for (const id of dropped) this.#forget(id);
		// Not awaited: retention drops the oldest, so this rarely writes (only when a mailbox's newest goes).
		if (!this.#closed) this.#track(this.#keepUidFloor(summaries)).catch(() => undefined);
		if (!this.#closed) {
			const record: DeleteRecord = { ids: dropped };
			this.#track(this.#journal.append(RECORD.delete, record, null, 'lazy')).catch(() => undefined);
		}
		for (const summary of summaries) {
			this.#events.emit({ type: 'message-deleted', id: summary.id, mailbox: summary.mailbox, reason: 'retention' });
		}
		this.#startCompaction();
	}

	// ── body index: the preview text and attachment count, after the 250 ──────────────────────────

	#queueIndex(id: string, raw: Buffer | null): void {
		const keep = raw !== null && this.#indexQueuedBytes + raw.length <= INDEX_QUEUE_BYTES;
		if (keep) this.#indexQueuedBytes += raw.length;
		this.#indexQueue.push({ id, raw: keep ? raw : null });
		if (!this.#indexScheduled) {
			this.#indexScheduled = true;
			setImmediate(() => void this.#runIndex());
		}
	}

	async #runIndex(): Promise<void> {
		const until = performance.now() + INDEX_SLICE_MS;
		while (this.#indexHead < this.#indexQueue.length && performance.now() < until && !this.#closed) {
			const item = this.#indexQueue[this.#indexHead]!;
			this.#indexQueue[this.#indexHead] = undefined as never;
			this.#indexHead += 1;
			if (item.raw) this.#indexQueuedBytes -= item.raw.length;
			const entry = this.#entries.get(item.id);
			if (!entry || entry.indexed) continue;
			const raw = item.raw ?? (await this.#journal.readBody(entry.location).catch(() => null));
			if (!raw || this.#entries.get(item.id) !== entry) continue;
			// Stored mail is anyone's bytes: a light walk that fails on them leaves the preview empty, and
			// must not escape this loop (nothing awaits it, so it would be an unhandled rejection).
			let body: BodySummary;
			try {
				body = summarizeBody(raw);
			} catch {
				body = { snippet: '', attachmentCount: entry.summary.attachmentCount, parsed: false };
			}
			this.#applyIndex(entry, body);
		}
		if (this.#indexHead >= this.#indexQueue.length) {
			this.#indexQueue.length = 0;
			this.#indexHead = 0;
		}
		if (this.#indexQueue.length > 0 && !this.#closed) setImmediate(() => void this.#runIndex());
		else this.#indexScheduled = false;
	}

	#applyIndex(entry: Entry, body: BodySummary): void {
		entry.indexed = true;
		const old = entry.summary;
		entry.summary = { ...old, snippet: body.snippet, attachmentCount: body.attachmentCount, parsed: old.parsed && body.parsed };
		if (!this.#closed) {
			const record: IndexRecord = { id: old.id, ...body, parsed: entry.summary.parsed };
			this.#track(this.#journal.append(RECORD.index, record, null, 'lazy')).catch(() => undefined);
		}
		if (old.snippet !== entry.summary.snippet || old.attachmentCount !== entry.summary.attachmentCount || old.parsed !== entry.summary.parsed) {
			this.#events.emit({ type: 'message-updated', message: entry.summary });
		}
	}

	// ── reading ──────────────────────────────────────────────────────────────────────────────────

	/** Delivery facts from the message record, with the completed transcript when there is one. */
	async #session(entry: Entry): Promise<SessionFacts> {
		const meta = await this.#journal.readMeta<StoredMeta>(entry.location);
		const final = entry.transcript === null ? null : 'segment' in entry.transcript ? await this.#journal.readMeta<TranscriptRecord>(entry.transcript) : entry.transcript;
		const session = meta.session;
		if (final) {
			session.transcript = final.transcript;
			if (final.storeMs !== undefined) session.timings.storeMs = final.storeMs;
		}
		return session;
	}

	// ── the in-memory index ──────────────────────────────────────────────────────────────────────

	#insert(entry: Entry): void {
		entry.summary = shareCommonParts(entry.summary);
		const id = entry.summary.id;
		const previous = this.#entries.get(id);
		if (previous) this.#addLive(previous.location, -1);
		this.#entries.set(id, entry);
		this.#addLive(entry.location, 1);
		if (previous) return;
		// Writes finish out of order under concurrency; keep #order sorted by id (= arrival time).
		let low = 0;
		let high = this.#order.length;
		if (high === 0 || this.#order[high - 1]! < id) low = high;
		while (low < high) {
			const mid = (low + high) >>> 1;
			if (this.#order[mid]! < id) low = mid + 1;
			else high = mid;
		}
		this.#order.splice(low, 0, id);
	}

	#forget(id: string): void {
		const entry = this.#entries.get(id);
		if (!entry) return;
		this.#entries.delete(id);
		this.#addLive(entry.location, -1);
		const at = this.#order[0] === id ? 0 : this.#order.indexOf(id);
		if (at !== -1) this.#order.splice(at, 1);
	}

	#addLive(location: RecordLocation, sign: 1 | -1): void {
		this.#liveBytes.set(location.segment, (this.#liveBytes.get(location.segment) ?? 0) + sign * location.length);
	}

	/** Takes over what the journal replay found. */
	#adopt(replay: Replay): void {
		for (const [id, entry] of replay.entries) this.#entries.set(id, entry);
		this.#order.push(...[...replay.entries.keys()].sort());
		for (const entry of this.#entries.values()) this.#addLive(entry.location, 1);
		const newest = this.#order.at(-1);
		if (newest) this.#lastMs = Math.max(this.#lastMs, Number.parseInt(newest.slice(0, 9), 36) || 0);
	}

	// ── UIDs ─────────────────────────────────────────────────────────────────────────────────────

	/**
	 * Loads UIDVALIDITY (or creates it for a new folder) and each mailbox's next UID: the saved floor or one
	 * past the highest UID stored, whichever is higher. Messages stored before UIDs were kept get theirs now,
	 * in arrival order, recorded in the journal so they never change again.
	 */
	async #openUids(): Promise<void> {
		const saved = await loadMailboxState(this.#options.dataDir);
		this.#uidValidity = saved?.uidValidity ?? newUidValidity();
		for (const [mailbox, next] of Object.entries(saved?.uidNext ?? {})) {
			this.#uidNext.set(mailbox, next);
			this.#savedUidNext.set(mailbox, next);
		}
		for (const id of this.#order) {
			const summary = this.#entries.get(id)!.summary;
			if (summary.uid > 0) this.#uidNext.set(summary.mailbox, Math.max(this.uidNext(summary.mailbox), summary.uid + 1));
		}
		const numbering: Array<Promise<unknown>> = [];
		for (const id of this.#order) {
			const entry = this.#entries.get(id)!;
			if (entry.summary.uid > 0) continue;
			const uid = this.uidNext(entry.summary.mailbox);
			this.#uidNext.set(entry.summary.mailbox, uid + 1);
			entry.summary = { ...entry.summary, uid };
			const record: StateRecord = { id, uid };
			numbering.push(this.#journal.append(RECORD.state, record, null, 'lazy'));
		}
		if (numbering.length > 0) {
			await Promise.all(numbering);
			await this.#journal.barrier();
		}
		if (!saved || numbering.length > 0) await this.#saveUidState();
	}

	/**
	 * Before messages are deleted for good: when one of them holds a UID at or above its mailbox's saved floor,
	 * the floor is raised to the mailbox's next UID first, so a restart never hands that UID out again.
	 */
	async #keepUidFloor(deleted: readonly MessageSummary[]): Promise<void> {
		if (!deleted.some((summary) => summary.uid >= (this.#savedUidNext.get(summary.mailbox) ?? 1))) return;
		await this.#saveUidState();
	}

	#saveUidState(): Promise<void> {
		const write = this.#stateWrite.then(async () => {
			const uidNext = Object.fromEntries(this.#uidNext);
			await saveMailboxState(this.#options.dataDir, { uidValidity: this.#uidValidity, uidNext });
			for (const [mailbox, next] of Object.entries(uidNext)) this.#savedUidNext.set(mailbox, next);
		});
		this.#stateWrite = write.catch((error: unknown) => this.#options.warn?.(`mailbox-state.json could not be written: ${String(error)}`));
		return write;
	}

	// ── compaction: copy what is live out of the oldest segment, then delete it ──────────────────

	#startCompaction(): void {
		if (this.#compacting || this.#closed || !this.#needsCompaction()) return;
		this.#compacting = this.#compact()
			.catch((error: unknown) => this.#options.warn?.(`journal compaction stopped: ${error instanceof Error ? error.message : String(error)}`))
			.finally(() => {
				this.#compacting = null;
			});
	}

	#needsCompaction(): boolean {
		const ids = this.#journal.segmentIds;
		const oldest = ids[0];
		if (oldest === undefined || oldest === this.#journal.activeSegment) return false;
		const live = (id: number) => Math.max(0, this.#liveBytes.get(id) ?? 0);
		const size = this.#journal.segmentSize(oldest);
		if (live(oldest) * 2 < size) return true;
		let totalSize = 0;
		let totalLive = 0;
		for (const id of ids) {
			totalSize += this.#journal.segmentSize(id);
			totalLive += live(id);
		}
		return totalSize - totalLive > totalLive + COMPACT_SLACK_BYTES;
	}

	/**
	 * Always the oldest segment: a tombstone in it can only name messages in it (or already gone), so
	 * dropping it never brings a deleted message back. Each live message is rewritten with its current
	 * state folded in (read flag, preview, final transcript), so the segment's small records are not needed.
	 */
	async #compact(): Promise<void> {
		while (!this.#closed && this.#needsCompaction()) {
			const segment = this.#journal.segmentIds[0]!;
			let copied: Array<Promise<unknown>> = [];
			let copiedBytes = 0;
			for (const id of [...this.#order]) {
				if (this.#closed) return;
				const entry = this.#entries.get(id);
				if (!entry || entry.location.segment !== segment) continue;
				let transcript = entry.transcript;
				let [raw, session] = await Promise.all([this.#journal.readBody(entry.location), this.#session(entry)]);
				// The transcript completed while we read: read the session again, so the copy holds the newest.
				while (this.#entries.get(id) === entry && entry.transcript !== transcript) {
					transcript = entry.transcript;
					session = await this.#session(entry);
				}
				// Deleted or moved while we read: a tombstone may already be queued, so no copy may follow it.
				if (this.#entries.get(id) !== entry || entry.location.segment !== segment) continue;
				const meta: StoredMeta = { version: 1, summary: entry.summary, session, parseError: null };
				copied.push(
					this.#journal.append(RECORD.message, meta, raw, 'lazy').then((location) => {
						if (this.#entries.get(id) !== entry) return;
						this.#addLive(entry.location, -1);
						entry.location = location;
						this.#addLive(location, 1);
						// The copy holds the final transcript; a later completion (rare) stays where it is.
						if (entry.transcript === transcript) entry.transcript = null;
					}),
				);
				copiedBytes += raw.length;
				if (copiedBytes >= COMPACT_CHUNK_BYTES) {
					await Promise.all(copied);
					copied = [];
					copiedBytes = 0;
				}
			}
			await Promise.all(copied);
			await this.#journal.barrier();
			for (const entry of this.#entries.values()) {
				if (entry.location.segment === segment) throw new Error(`a message in journal segment ${segment} was not copied`);
			}
			this.#liveBytes.delete(segment);
			await this.#journal.dropSegment(segment);
		}
	}


	/**
	 * Ids sort in arrival order: 9 base-36 digits of milliseconds, a 3-digit sequence within the
	 * millisecond, and 6 random hex digits so ids from two data folders never collide.
	 */
	#nextId(now: number): string {
		if (now > this.#lastMs) {
			this.#lastMs = now;
			this.#sequence = 0;
		} else {
			this.#sequence += 1;
			if (this.#sequence >= 36 ** 3) {
				this.#lastMs += 1;
				this.#sequence = 0;
			}
		}
		return (
			this.#lastMs.toString(36).padStart(9, '0') +
			this.#sequence.toString(36).padStart(3, '0') +
			randomHex6()
		);
	}

	#track<T>(promise: Promise<T>): Promise<T> {
		this.#pending.add(promise);
		const done = () => this.#pending.delete(promise);
		promise.then(done, done);
		return promise;
	}
}

/**
 * Six random hex digits for an id, cut from one buffer of random bytes filled now and then: a
 * `randomBytes(3)` per message was ~5% of the CPU an ingested message costs (bench/profiles/).
 */
const RANDOM_POOL_BYTES = 3 * 4096;
let randomPool = Buffer.alloc(0);
let randomPoolAt = 0;
function randomHex6(): string {
	if (randomPoolAt + 3 > randomPool.length) {
		randomPool = randomBytes(RANDOM_POOL_BYTES);
		randomPoolAt = 0;
	}
	randomPoolAt += 3;
	return randomPool.toString('hex', randomPoolAt - 3, randomPoolAt);
}

/** Folds journal records, in order, into the entries they leave behind. */
class Replay {
	readonly entries = new Map<string, Entry>();

	apply(type: number, meta: unknown, location: RecordLocation): void {
		switch (type) {
			case RECORD.message: {
				const stored = meta as StoredMeta;
				const summary = stored.summary;
				if (typeof summary?.id !== 'string' || !MESSAGE_ID_PATTERN.test(summary.id)) return;
				// A second copy of a message (compaction) replaces the first.
				this.entries.set(summary.id, { summary: shareCommonParts(withMailboxState(summary)), location, transcript: null, indexed: summary.snippet !== '' || summary.size === 0 });
				return;
			}
			case RECORD.state: {
				const record = meta as StateRecord;
				const entry = this.entries.get(record.id);
				if (!entry) return;
				const summary = { ...entry.summary };
				if (typeof record.read === 'boolean') summary.read = record.read;
				if (Array.isArray(record.flags)) summary.flags = normaliseFlags(record.flags);
				if (typeof record.uid === 'number' && Number.isInteger(record.uid) && record.uid > 0 && summary.uid === 0) summary.uid = record.uid;
				entry.summary = summary;
				return;
			}
			case RECORD.read: {
				const record = meta as ReadRecord;
				const entry = this.entries.get(record.id);
				if (entry) entry.summary = { ...entry.summary, read: record.read === true };
				return;
			}
			case RECORD.index: {
				const record = meta as IndexRecord;
				const entry = this.entries.get(record.id);
				if (!entry) return;
				entry.summary = { ...entry.summary, snippet: String(record.snippet ?? ''), attachmentCount: Number(record.attachmentCount) || 0, parsed: record.parsed !== false };
				entry.indexed = true;
				return;
			}
			case RECORD.transcript: {
				const record = meta as TranscriptRecord;
				const entry = this.entries.get(record.id);
				if (entry) entry.transcript = location;
				return;
			}
			case RECORD.delete: {
				const record = meta as DeleteRecord;
				for (const id of Array.isArray(record.ids) ? record.ids : []) this.entries.delete(id);
				return;
			}
			default:
				// A record type from a newer Postlab: skipped, not fatal.
				return;
		}
	}
}

/** The flags the store keeps, each once, in MAIL_FLAGS order; anything else (keywords, \Seen, \Recent) is dropped. */
function normaliseFlags(flags: readonly unknown[]): MailFlag[] {
	const wanted = new Set(flags.map((flag) => String(flag).toLowerCase()));
	return MAIL_FLAGS.filter((flag) => wanted.has(flag.toLowerCase()));
}

/** A summary as read from disk: records written before UIDs and flags were kept have neither (uid 0 = none yet). */
function withMailboxState(summary: MessageSummary): MessageSummary {
	const uid = typeof summary.uid === 'number' && Number.isInteger(summary.uid) && summary.uid > 0 ? summary.uid : 0;
	const flags = Array.isArray(summary.flags) ? normaliseFlags(summary.flags) : [];
	return { ...summary, uid, flags };
}

/**
 * Summaries stay in memory for every message, and most mail in a sandbox comes from one application to a
 * few addresses: the sender, recipients, mailbox and Date header are shared between summaries instead of
 * kept once per message (~300 bytes a message). Summaries are never mutated, so sharing is safe. The table
 * is emptied when it grows past its cap, so varied mail costs no more than unshared.
 */
const shared = new Map<string, unknown>();
const SHARED_CAP = 4096;

function share<T>(key: string, value: T): T {
	const known = shared.get(key);
	if (known !== undefined) return known as T;
	if (shared.size >= SHARED_CAP) shared.clear();
	shared.set(key, value);
	return value;
}

function shareCommonParts(summary: MessageSummary): MessageSummary {
	const addressKey = (address: { name: string; address: string }) => `${address.name}\u0000${address.address}`;
	return {
		...summary,
		mailbox: share(`m:${summary.mailbox}`, summary.mailbox),
		from: summary.from === null ? null : share(`f:${addressKey(summary.from)}`, summary.from),
		to: share(`t:${summary.to.map(addressKey).join('\u0001')}`, summary.to),
		date: share(`d:${summary.date}`, summary.date),
	};
}

export function isMessageId(value: string): boolean {
	return MESSAGE_ID_PATTERN.test(value);
}

function matches(summary: MessageSummary, words: string[]): boolean {
	const haystack = [
		summary.subject,
		summary.from?.name,
		summary.from?.address,
		...summary.to.flatMap((to) => [to.name, to.address]),
		summary.snippet,
	]
		.join('\n')
		.toLowerCase();
	return words.every((word) => haystack.includes(word));
}
