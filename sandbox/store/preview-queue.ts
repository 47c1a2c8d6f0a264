/**
 * The body index after the 250: messages too big to index before it (mail-store.ts) get their preview text
 * and attachment count here, a few milliseconds of work at a time so SMTP replies are never held up long.
 * Raw bytes are kept for the queue up to a budget; beyond it they are read back from the journal.
 */
import { summarizeBody, type BodySummary } from './body-index.ts';
import type { Journal } from './journal.ts';
import type { MessageIndex } from './message-index.ts';
import type { Entry } from './records.ts';
import type { StoreWarn } from './store-warning.ts';
import { errorMessage } from '../error-text.ts';

/** Raw bytes held for the queue; beyond that the queue reads them back from disk. */
const QUEUE_BYTES = 8 * 1024 * 1024;
/** The queue yields to the event loop after this long, so it never delays SMTP replies much. */
const SLICE_MS = 4;

export interface PreviewQueueHost {
	index: MessageIndex;
	journal: Journal;
	/** Records and announces what the walk found. */
	apply(entry: Entry, body: BodySummary): void;
	closed(): boolean;
	warn: StoreWarn;
}

export class PreviewQueue {
	readonly #host: PreviewQueueHost;
	readonly #queue: Array<{ id: string; raw: Buffer | null }> = [];
	#head = 0;
	#queuedBytes = 0;
	#scheduled = false;

	constructor(host: PreviewQueueHost) {
		this.#host = host;
	}

	push(id: string, raw: Buffer | null): void {
		const keep = raw !== null && this.#queuedBytes + raw.length <= QUEUE_BYTES;
		if (keep) this.#queuedBytes += raw.length;
		this.#queue.push({ id, raw: keep ? raw : null });
		if (!this.#scheduled) {
			this.#scheduled = true;
			setImmediate(() => void this.#run());
		}
	}

	clear(): void {
		this.#queue.length = 0;
		this.#head = 0;
	}

	async #run(): Promise<void> {
		const { index, journal } = this.#host;
		const until = performance.now() + SLICE_MS;
		while (this.#head < this.#queue.length && performance.now() < until && !this.#host.closed()) {
			const item = this.#queue[this.#head]!;
			this.#queue[this.#head] = undefined as never;
			this.#head += 1;
			if (item.raw) this.#queuedBytes -= item.raw.length;
			const entry = index.get(item.id);
			if (!entry || entry.indexed) continue;
			let raw = item.raw;
			if (raw === null) {
				try {
					raw = await journal.readBody(entry.location);
				} catch (error) {
					// An I/O error or a damaged record (JournalCorruptError): the message keeps an empty preview, is
					// tried again on the next start, and opening it answers with the same error.
					this.#host.warn('log.store.previewUnreadable', { id: item.id, reason: errorMessage(error) });
					continue;
				}
			}
			if (index.get(item.id) !== entry) continue;
			// Stored mail is anyone's bytes: the walk's only input is them, so whatever it throws means "these
			// bytes are not MIME it can read". That leaves the preview empty, and must not escape this loop
			// (nothing awaits it, so it would be an unhandled rejection).
			let body: BodySummary;
			try {
				body = summarizeBody(raw);
			} catch {
				body = { snippet: '', attachmentCount: entry.summary.attachmentCount, parsed: false };
			}
			this.#host.apply(entry, body);
		}
		if (this.#head >= this.#queue.length) this.clear();
		if (this.#queue.length > 0 && !this.#host.closed()) setImmediate(() => void this.#run());
		else this.#scheduled = false;
	}
}
