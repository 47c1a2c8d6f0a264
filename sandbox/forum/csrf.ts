/**
 * CSRF protection for every form of the site (forum, settings check, classroom), as a signed double-submit
 * cookie in the way Django's CSRF cookie works: the browser holds a random value signed with a key derived
 * from SECRET_KEY (`<nonce>.<mac>`), and each form carries a token derived from that value in a hidden field
 * named like Django's, `csrfmiddlewaretoken`. Another site can make the browser post a form, with our cookie
 * attached, but it cannot read our page to learn the token; the signature keeps a cookie planted by another
 * program on localhost (cookies do not tell ports apart) from being one we accept. Nothing is stored on the
 * server, so an anonymous visitor who only reads pages leaves no trace in the session store.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CSRF_FIELD = 'csrfmiddlewaretoken';
/** Django's CSRF_COOKIE_NAME is `csrftoken`; ours is prefixed like the other Postlab cookies. */
export const CSRF_COOKIE = 'postlab_csrftoken';
/** Django's CSRF_COOKIE_AGE: a year, so a form left open in a tab still posts. */
export const CSRF_COOKIE_MAX_AGE_S = 365 * 24 * 3600;
/** Separates these HMACs from every other use of SECRET_KEY (the role of salted_hmac's key_salt). */
const KEY_SALT = 'postlab.forum.csrf';
const NONCE_BYTES = 32;
const COOKIE_PATTERN = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/;

export class CsrfTokens {
	readonly #key: Buffer;

	constructor(secretKey: string) {
		this.#key = createHash('sha256').update(KEY_SALT + secretKey).digest();
	}

	/** A fresh cookie value: 256 random bits and their signature. */
	newCookie(): string {
		const nonce = randomBytes(NONCE_BYTES).toString('base64url');
		return `${nonce}.${this.#mac(`cookie:${nonce}`)}`;
	}

	/** True when the cookie value is one this server made (its signature checks, in constant time). */
	isValidCookie(cookie: string | undefined): cookie is string {
		const match = cookie === undefined ? null : COOKIE_PATTERN.exec(cookie);
		if (!match) return false;
		return equal(this.#mac(`cookie:${match[1]}`), match[2]!);
	}

	/** The form token that goes with this cookie value. */
	tokenFor(cookie: string): string {
		return this.#mac(`form:${cookie}`);
	}

	/** True only for a cookie we made and the token of that very cookie, compared in constant time. */
	check(cookie: string | undefined, token: unknown): boolean {
		if (!this.isValidCookie(cookie) || typeof token !== 'string') return false;
		return equal(this.tokenFor(cookie), token);
	}

	#mac(value: string): string {
		return createHmac('sha256', this.#key).update(value).digest('base64url');
	}
}

function equal(expected: string, given: string): boolean {
	const a = Buffer.from(expected);
	const b = Buffer.from(given);
	return a.length === b.length && timingSafeEqual(a, b);
}
