/**
 * A seeded pseudo-random source (mulberry32): the fuzz corpus is the same bytes on every run for one
 * seed, so a failure names a case that can be replayed.
 */
export class Random {
	#state: number;

	constructor(seed: number) {
		this.#state = seed >>> 0;
	}

	/** A float in [0, 1). */
	next(): number {
		this.#state = (this.#state + 0x6d2b79f5) >>> 0;
		let t = this.#state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** An integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(items: readonly T[]): T {
		return items[this.int(0, items.length - 1)]!;
	}

	bytes(length: number): Buffer {
		const out = Buffer.alloc(length);
		for (let i = 0; i < length; i += 1) out[i] = this.int(0, 255);
		return out;
	}

	/** Printable ASCII without spaces, for names and tokens. */
	word(length: number): string {
		let out = '';
		for (let i = 0; i < length; i += 1) out += String.fromCharCode(this.int(0x21, 0x7e));
		return out;
	}

	/** Offsets to cut `length` bytes into separate TCP writes. */
	cuts(length: number, count: number): number[] {
		const out: number[] = [];
		for (let i = 0; i < count && length > 1; i += 1) out.push(this.int(1, length - 1));
		return out;
	}
}
