/**
 * A small least-recently-used cache of rendered messages, bounded by count and by size, so opening a
 * message and then its HTML frame renders it once (and a class opening the same message, once), while
 * memory stays flat however many messages are stored.
 */
export class RenderCache<T> {
	readonly #entries = new Map<string, { value: Promise<T>; bytes: number }>();
	readonly #maxEntries: number;
	readonly #maxBytes: number;
	#bytes = 0;

	constructor(maxEntries: number, maxBytes: number) {
		this.#maxEntries = maxEntries;
		this.#maxBytes = maxBytes;
	}

	/** Returns the cached value for `key`, or makes it with `load` (concurrent callers share one load). */
	get(key: string, bytes: number, load: () => Promise<T>): Promise<T> {
		const hit = this.#entries.get(key);
		if (hit) {
			this.#entries.delete(key);
			this.#entries.set(key, hit);
			return hit.value;
		}
		const value = load();
		// A result bigger than the whole budget is made for this caller and not kept.
		if (bytes > this.#maxBytes) return value;
		this.#entries.set(key, { value, bytes });
		this.#bytes += bytes;
		// A failed load is not kept, so the next caller tries again; this caller hears of the failure through `value`.
		value.catch(() => this.delete(key));
		this.#evict();
		return value;
	}

	delete(key: string): void {
		const entry = this.#entries.get(key);
		if (!entry) return;
		this.#entries.delete(key);
		this.#bytes -= entry.bytes;
	}

	clear(): void {
		this.#entries.clear();
		this.#bytes = 0;
	}

	get size(): number {
		return this.#entries.size;
	}

	#evict(): void {
		for (const key of this.#entries.keys()) {
			if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
			this.delete(key);
		}
	}
}
