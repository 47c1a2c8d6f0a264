/**
 * Double-submit protection. Every form carries a random submission key; the first request with a key
 * does the work, and any repeat with the same key (a double click, a resent POST) waits for and gets
 * the same outcome instead of doing the work again. So a double-clicked "send reset link" sends one
 * email. Keys are remembered for a while, in memory.
 */
import { randomBytes } from 'node:crypto';

export const SUBMISSION_FIELD = 'submission';
/** How long a finished submission's outcome is replayed for a repeat. */
const REMEMBER_MS = 10 * 60 * 1000;
const MAX_REMEMBERED = 10_000;

export function newSubmissionKey(): string {
	return randomBytes(16).toString('base64url');
}

/** A submission key is 22 base64url characters; anything else is treated as missing. */
export function isSubmissionKey(value: unknown): value is string {
	return typeof value === 'string' && /^[A-Za-z0-9_-]{22}$/.test(value);
}

export class SubmissionGuard<T> {
	readonly #now: () => number;
	readonly #seen = new Map<string, { at: number; outcome: Promise<T> }>();

	constructor(now: () => number = Date.now) {
		this.#now = now;
	}

	/** Runs `work` for the first request with `key`; later ones share its outcome. */
	once(key: string, work: () => Promise<T>): { outcome: Promise<T>; repeated: boolean } {
		const now = this.#now();
		this.#forgetOld(now);
		const known = this.#seen.get(key);
		if (known) return { outcome: known.outcome, repeated: true };
		const outcome = work();
		this.#seen.set(key, { at: now, outcome });
		// A failure is not replayed: the learner must be able to fix the cause and send again with the same form.
		outcome.catch(() => this.#seen.delete(key));
		return { outcome, repeated: false };
	}

	/** Forgets a key, so the same form may be submitted again (used when the work failed and can be retried). */
	forget(key: string): void {
		this.#seen.delete(key);
	}

	#forgetOld(now: number): void {
		for (const [key, entry] of this.#seen) {
			if (now - entry.at < REMEMBER_MS && this.#seen.size <= MAX_REMEMBERED) break;
			this.#seen.delete(key);
		}
	}
}
