/**
 * Wrong instructor tokens, counted per client address. INSTRUCTOR_TOKEN must be 16+ characters, yet a
 * teacher may pick a guessable one; on a classroom network anyone can reach the form, so after a few
 * wrong tries from one address the form waits. Only wrong tokens count: the instructor who types it
 * right is never slowed. In memory (a restart forgives), one per server process. Server-only.
 */
import { RateLimiter, type RateLimitRule } from '../../sandbox/rate-limit.ts';

/** Ten typos in ten minutes is generous for a person and hopeless for guessing a 16-character token. */
export const WRONG_TOKEN_RULE: RateLimitRule = { limit: 10, windowMs: 10 * 60_000 };

export class TokenAttempts {
	readonly #limiter: RateLimiter;

	constructor(rule: RateLimitRule = WRONG_TOKEN_RULE, now?: () => number) {
		this.#limiter = new RateLimiter(rule, now);
	}

	/** Seconds to wait before this address may try again, or 0 when it may try now. */
	waitSeconds(address: string): number {
		const verdict = this.#limiter.peek(address);
		return verdict.allowed ? 0 : Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
	}

	wrong(address: string): void {
		this.#limiter.hit(address);
	}
}

/** The page's counter (the SSR bundle is one module graph, so one instance per server). */
export const instructorTokenAttempts = new TokenAttempts();
