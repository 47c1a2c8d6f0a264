/**
 * Reads messages from the source in the form they are served (CRLF, see message-bytes.ts) and keeps
 * what sessions ask for again and again: every served size (LIST, STAT, RFC822.SIZE need them for all
 * messages) and the bytes of the last few messages (a mail client fetches headers, then structure, then
 * the body of the same message, each as its own command).
 */
import type { MailboxSource } from './mailbox-source.ts';
import { withCrlf } from './message-bytes.ts';

/** Enough for a client to work through one big message without keeping a mailbox in memory. */
const MAX_CACHED_BYTES = 48 * 1024 * 1024;
/** Sizes are a number per id; past this many the map is simply dropped and rebuilt on demand. */
const MAX_CACHED_SIZES = 100_000;

export class ServedMessages {
	#source: MailboxSource;
	#sizes = new Map<string, number>();
	#bytes = new Map<string, Buffer>();
	#cachedBytes = 0;

	constructor(source: MailboxSource) {
		this.#source = source;
	}

	async bytes(id: string): Promise<Buffer> {
		const cached = this.#bytes.get(id);
		if (cached) {
			// Re-insert so the map's order is least recently used first.
			this.#bytes.delete(id);
			this.#bytes.set(id, cached);
			return cached;
		}
		const served = withCrlf(await this.#source.readRaw(id));
		this.#rememberSize(id, served.length);
		this.#bytes.set(id, served);
		this.#cachedBytes += served.length;
		for (const [oldId, old] of this.#bytes) {
			if (this.#cachedBytes <= MAX_CACHED_BYTES || oldId === id) break;
			this.#bytes.delete(oldId);
			this.#cachedBytes -= old.length;
		}
		return served;
	}

	async size(id: string): Promise<number> {
		return this.#sizes.get(id) ?? (await this.bytes(id)).length;
	}

	#rememberSize(id: string, size: number): void {
		if (this.#sizes.size >= MAX_CACHED_SIZES) this.#sizes.clear();
		this.#sizes.set(id, size);
	}
}
