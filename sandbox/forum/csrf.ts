/**
 * CSRF tokens for the forum's forms (synchronizer tokens). A token is an HMAC of the session id
 * under a key derived from SECRET_KEY: another site can make the browser post a form, but it cannot
 * read our page to learn the token, and the token is worthless with any other session. The form
 * carries it in a hidden field named like Django's, `csrfmiddlewaretoken`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const CSRF_FIELD = 'csrfmiddlewaretoken';
/** Separates these HMACs from every other use of SECRET_KEY (the role of salted_hmac's key_salt). */
const KEY_SALT = 'postlab.forum.csrf';

export class CsrfTokens {
	readonly #key: Buffer;

	constructor(secretKey: string) {
		this.#key = createHash('sha256').update(KEY_SALT + secretKey).digest();
	}

	tokenFor(sessionId: string): string {
		return createHmac('sha256', this.#key).update(sessionId).digest('base64url');
	}

	/** True only for the token of this very session, compared in constant time. */
	check(sessionId: string | undefined, token: unknown): boolean {
		if (!sessionId || typeof token !== 'string') return false;
		const expected = Buffer.from(this.tokenFor(sessionId));
		const given = Buffer.from(token);
		return expected.length === given.length && timingSafeEqual(expected, given);
	}
}
