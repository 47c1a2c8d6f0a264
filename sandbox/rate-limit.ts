/**
 * A sliding-window rate limiter: at most `limit` hits per key within `windowMs`. The forum limits
 * reset requests per email address (so nobody floods one inbox) and per client address (so nobody
 * sprays many inboxes). Kept in memory: a restart forgives, which is fine for a sandbox.
 */
export interface RateLimitRule {
	limit: number;
	windowMs: number;
}

export interface RateLimitVerdict {
	allowed: boolean;
	/** When refused: milliseconds until the oldest hit leaves the window. */
	retryAfterMs: number;
}

/** Above this many tracked keys, keys with no hit inside the window are swept out. */
const SWEEP_THRESHOLD = 10_000;

export class RateLimiter {
	readonly #rule: RateLimitRule;
	readonly #now: () => number;
	readonly #hits = new Map<string, number[]>();

	constructor(rule: RateLimitRule, now: () => number = Date.now) {
		this.#rule = rule;
		this.#now = now;
	}

	/** Whether another hit is allowed now, without counting one. */
	peek(key: string): RateLimitVerdict {
		const now = this.#now();
		const recent = this.#recent(key, now);
		if (recent.length < this.#rule.limit) return { allowed: true, retryAfterMs: 0 };
		return { allowed: false, retryAfterMs: (recent[0] ?? now) + this.#rule.windowMs - now };
	}

	/** Counts a hit when it is allowed; a refused hit does not count, so waiting always helps. */
	hit(key: string): RateLimitVerdict {
		const verdict = this.peek(key);
		if (verdict.allowed) {
			const now = this.#now();
			this.#hits.set(key, [...this.#recent(key, now), now]);
			if (this.#hits.size > SWEEP_THRESHOLD) this.#sweep(now);
		}
		return verdict;
	}

	#recent(key: string, now: number): number[] {
		return (this.#hits.get(key) ?? []).filter((t) => now - t < this.#rule.windowMs);
	}

	#sweep(now: number): void {
		for (const key of this.#hits.keys()) {
			if (this.#recent(key, now).length === 0) this.#hits.delete(key);
		}
	}
}
