/**
 * Compaction: once retention and deletions leave the oldest journal segment mostly dead, its live messages
 * are copied forward (with their current state folded in) and the file is deleted.
 */
import type { Journal } from './journal.ts';
import type { MessageIndex } from './message-index.ts';
import { RECORD, type Entry, type StoredMeta } from './records.ts';
import type { SessionFacts } from './types.ts';
import type { StoreWarn } from './store-warning.ts';
import { errorMessage } from '../error-text.ts';

/** Compaction starts once dead records outweigh live ones by this many bytes. */
const SLACK_BYTES = 8 * 1024 * 1024;
/** Compaction copies at most this many bytes before waiting for them to be written. */
const CHUNK_BYTES = 4 * 1024 * 1024;

export interface CompactionHost {
	index: MessageIndex;
	journal: Journal;
	/** Delivery facts with the completed transcript folded in. */
	session(entry: Entry): Promise<SessionFacts>;
	closed(): boolean;
	warn: StoreWarn;
}

export class Compaction {
	readonly #host: CompactionHost;
	#running: Promise<void> | null = null;

	constructor(host: CompactionHost) {
		this.#host = host;
	}

	/** The compaction under way, if any; it never rejects (a failure is reported and compaction stops). */
	get running(): Promise<void> | null {
		return this.#running;
	}

	/** Starts compacting when it is worth it and not already under way. */
	start(): void {
		if (this.#running || this.#host.closed() || !this.#needed()) return;
		this.#running = this.#compact()
			.catch((error: unknown) => this.#host.warn('log.store.compactionStopped', { reason: errorMessage(error) }))
			.finally(() => {
				this.#running = null;
			});
	}

	#needed(): boolean {
		const { journal, index } = this.#host;
		const ids = journal.segmentIds;
		const oldest = ids[0];
		if (oldest === undefined || oldest === journal.activeSegment) return false;
		const size = journal.segmentSize(oldest);
		if (index.liveBytes(oldest) * 2 < size) return true;
		let totalSize = 0;
		let totalLive = 0;
		for (const id of ids) {
			totalSize += journal.segmentSize(id);
			totalLive += index.liveBytes(id);
		}
		return totalSize - totalLive > totalLive + SLACK_BYTES;
	}

	/**
	 * Always the oldest segment: a tombstone in it can only name messages in it (or already gone), so
	 * dropping it never brings a deleted message back. Each live message is rewritten with its current
	 * state folded in (read flag, preview, final transcript), so the segment's small records are not needed.
	 */
	async #compact(): Promise<void> {
		const { journal, index } = this.#host;
		while (!this.#host.closed() && this.#needed()) {
			const segment = journal.segmentIds[0]!;
			let copied: Array<Promise<unknown>> = [];
			let copiedBytes = 0;
			for (const id of [...index.ids]) {
				if (this.#host.closed()) return;
				const entry = index.get(id);
				if (!entry || entry.location.segment !== segment) continue;
				let transcript = entry.transcript;
				let [raw, session] = await Promise.all([journal.readBody(entry.location), this.#host.session(entry)]);
				// The transcript completed while we read: read the session again, so the copy holds the newest.
				while (index.get(id) === entry && entry.transcript !== transcript) {
					transcript = entry.transcript;
					session = await this.#host.session(entry);
				}
				// Deleted or moved while we read: a tombstone may already be queued, so no copy may follow it.
				if (index.get(id) !== entry || entry.location.segment !== segment) continue;
				const meta: StoredMeta = { version: 1, summary: entry.summary, session, parseError: null };
				copied.push(
					journal.append(RECORD.message, meta, raw, 'lazy').then((location) => {
						if (index.get(id) !== entry) return;
						index.move(entry, location);
						// The copy holds the final transcript; a later completion (rare) stays where it is.
						if (entry.transcript === transcript) entry.transcript = null;
					}),
				);
				copiedBytes += raw.length;
				if (copiedBytes >= CHUNK_BYTES) {
					await Promise.all(copied);
					copied = [];
					copiedBytes = 0;
				}
			}
			await Promise.all(copied);
			await journal.barrier();
			for (const entry of index.entries()) {
				if (entry.location.segment === segment) throw new Error(`a message in journal segment ${segment} was not copied`);
			}
			index.forgetSegment(segment);
			await journal.dropSegment(segment);
		}
	}
}
