/**
 * The in-memory index: every live message's entry, in arrival order, and how many bytes of live message
 * records each journal segment holds (compaction's measure). Lists and searches are answered from here
 * without touching the disk.
 */
import type { RecordLocation } from './journal.ts';
import type { Entry } from './records.ts';
import { shareCommonParts } from './shared-parts.ts';
import { DEFAULT_MAILBOX, type MessageSummary } from './types.ts';

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

export class MessageIndex {
	/** Ids in arrival order (ids sort by time). */
	readonly #order: string[] = [];
	readonly #entries = new Map<string, Entry>();
	/** Bytes of live message records per journal segment, for compaction. */
	readonly #liveBytes = new Map<number, number>();

	get count(): number {
		return this.#order.length;
	}

	/** Ids oldest first. Callers that delete while walking copy it first. */
	get ids(): readonly string[] {
		return this.#order;
	}

	get newestId(): string | undefined {
		return this.#order.at(-1);
	}

	get(id: string): Entry | undefined {
		return this.#entries.get(id);
	}

	/** The entry of an id taken from `ids`: it is there by construction. */
	at(id: string): Entry {
		const entry = this.#entries.get(id);
		if (!entry) throw new Error(`the message index lists ${id} but holds no entry for it`);
		return entry;
	}

	entries(): IterableIterator<Entry> {
		return this.#entries.values();
	}

	/** Bytes of live message records in `segment` (never below zero). */
	liveBytes(segment: number): number {
		return Math.max(0, this.#liveBytes.get(segment) ?? 0);
	}

	/** Forgets a segment's count once compaction has emptied and dropped it. */
	forgetSegment(segment: number): void {
		this.#liveBytes.delete(segment);
	}

	/** Takes over what the journal replay found. */
	adopt(entries: ReadonlyMap<string, Entry>): void {
		for (const [id, entry] of entries) this.#entries.set(id, entry);
		this.#order.push(...[...entries.keys()].sort());
		for (const entry of this.#entries.values()) this.#addLive(entry.location, 1);
	}

	/** Adds a message, or replaces the entry of one already here (keeping its place). */
	insert(entry: Entry): void {
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

	/** A message's record was copied to `location` (compaction): the live-byte counts follow it. */
	move(entry: Entry, location: RecordLocation): void {
		this.#addLive(entry.location, -1);
		entry.location = location;
		this.#addLive(location, 1);
	}

	forget(id: string): void {
		const entry = this.#entries.get(id);
		if (!entry) return;
		this.#entries.delete(id);
		this.#addLive(entry.location, -1);
		const at = this.#order[0] === id ? 0 : this.#order.indexOf(id);
		if (at !== -1) this.#order.splice(at, 1);
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
			for (let i = total - 1 - start; i >= 0 && messages.length < limit; i -= 1) messages.push(this.at(this.#order[i]!).summary);
			return { total, start, messages };
		}
		const messages: MessageSummary[] = [];
		let total = 0;
		for (let i = this.#order.length - 1; i >= 0; i -= 1) {
			const summary = this.at(this.#order[i]!).summary;
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
			const summary = this.at(id).summary;
			if (summary.mailbox === mailbox) out.push(summary);
		}
		return out;
	}

	#addLive(location: RecordLocation, sign: 1 | -1): void {
		this.#liveBytes.set(location.segment, (this.#liveBytes.get(location.segment) ?? 0) + sign * location.length);
	}
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
