/**
 * Message ids. They sort in arrival order: 9 base-36 digits of milliseconds, a 3-digit sequence within the
 * millisecond, and 6 random hex digits so ids from two data folders never collide.
 */
import { randomBytes } from 'node:crypto';

/** Ids are made by the store; anything else in a URL is refused before it reaches the store. */
export const MESSAGE_ID_PATTERN = /^[0-9a-z]{12,40}$/;

export function isMessageId(value: string): boolean {
	return MESSAGE_ID_PATTERN.test(value);
}

export class MessageIds {
	#lastMs = 0;
	#sequence = 0;

	/** After replay: new ids must sort after `newest`, whatever the clock says. */
	follow(newest: string | undefined): void {
		if (newest) this.#lastMs = Math.max(this.#lastMs, Number.parseInt(newest.slice(0, 9), 36) || 0);
	}

	next(now: number): string {
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
		return this.#lastMs.toString(36).padStart(9, '0') + this.#sequence.toString(36).padStart(3, '0') + randomHex6();
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
