/**
 * Django's password-reset token, byte for byte (django/contrib/auth/tokens.py,
 * PasswordResetTokenGenerator; django/utils/crypto.py salted_hmac; django/utils/http.py).
 *
 * A token is `<timestamp in base 36>-<hash>`: the timestamp counts seconds since 2001-01-01, the hash
 * is an HMAC-SHA256 of the user's state, keeping every other hex digit to shorten the URL. Nothing
 * is stored: the hash covers the password hash and the last login, so the token dies as soon as the
 * password changes (single use) or the user logs in, and the timestamp makes it expire.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Django's `PasswordResetTokenGenerator.key_salt`; it separates these HMACs from every other use of SECRET_KEY. */
export const RESET_TOKEN_KEY_SALT = 'django.contrib.auth.tokens.PasswordResetTokenGenerator';

/** Django's default `PASSWORD_RESET_TIMEOUT`: three days, in seconds. */
export const DEFAULT_PASSWORD_RESET_TIMEOUT = 259_200;

/** Unix time of 2001-01-01T00:00:00 UTC, the epoch Django's token timestamps count from. */
const TOKEN_EPOCH_MS = Date.UTC(2001, 0, 1);

/** django.utils.http.base36_to_int refuses longer input so a huge number cannot be fed to int(). */
const MAX_BASE36_LENGTH = 13;

/** The user state a token covers (Django: pk, password, last_login, email). */
export interface TokenUser {
	id: number;
	passwordHash: string;
	/** When the user last logged in, or null if never. */
	lastLogin: Date | null;
	email: string;
}

/** django.utils.crypto.salted_hmac with algorithm="sha256": key = SHA-256(key_salt + secret). */
export function saltedHmacSha256(keySalt: string, value: string, secret: string): string {
	const key = createHash('sha256').update(Buffer.from(keySalt + secret, 'utf8')).digest();
	return createHmac('sha256', key).update(Buffer.from(value, 'utf8')).digest('hex');
}

/** django.utils.http.int_to_base36. */
export function intToBase36(value: number): string {
	if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('Negative base36 conversion input.');
	return value.toString(36);
}

/** django.utils.http.base36_to_int, strict: lowercase digits only, at most 13 of them; null when invalid. */
export function base36ToInt(text: string): number | null {
	if (text.length === 0 || text.length > MAX_BASE36_LENGTH || !/^[0-9a-z]+$/.test(text)) return null;
	const value = parseInt(text, 36);
	return Number.isSafeInteger(value) ? value : null;
}

/** django.utils.http.urlsafe_base64_encode of the decimal primary key: base64url without padding. */
export function encodeUid(id: number): string {
	return Buffer.from(String(id), 'utf8').toString('base64url');
}

/** The primary key from a uidb64, or null if it does not decode to a positive integer. */
export function decodeUid(uidb64: string): number | null {
	if (!/^[A-Za-z0-9_-]{1,24}$/.test(uidb64)) return null;
	const text = Buffer.from(uidb64, 'base64url').toString('utf8');
	if (!/^[1-9][0-9]{0,14}$/.test(text)) return null;
	// Reject non-canonical encodings so one account has exactly one uidb64.
	return encodeUid(Number(text)) === uidb64 ? Number(text) : null;
}

/** Seconds since 2001-01-01, as Django's `_num_seconds(datetime.now())` (truncated, not rounded). */
export function tokenTimestamp(now: Date): number {
	return Math.trunc((now.getTime() - TOKEN_EPOCH_MS) / 1000);
}

/**
 * Python's `str(last_login.replace(microsecond=0, tzinfo=None))`: `YYYY-MM-DD HH:MM:SS`. Django keeps
 * last_login in UTC (USE_TZ=True), so dropping the zone leaves UTC wall-clock time.
 */
export function djangoDatetimeString(date: Date): string {
	return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** `_make_hash_value`: pk, password hash, last login, timestamp and email, concatenated. */
export function makeHashValue(user: TokenUser, timestamp: number): string {
	const loginTimestamp = user.lastLogin === null ? '' : djangoDatetimeString(user.lastLogin);
	return `${user.id}${user.passwordHash}${loginTimestamp}${timestamp}${user.email}`;
}

/** `_make_token_with_timestamp`. */
export function makeTokenWithTimestamp(user: TokenUser, timestamp: number, secret: string): string {
	const hex = saltedHmacSha256(RESET_TOKEN_KEY_SALT, makeHashValue(user, timestamp), secret);
	let everyOther = '';
	for (let i = 0; i < hex.length; i += 2) everyOther += hex[i];
	return `${intToBase36(timestamp)}-${everyOther}`;
}

export interface ResetTokenGeneratorOptions {
	/** SECRET_KEY. */
	secret: string;
	/** PASSWORD_RESET_TIMEOUT in seconds. */
	timeoutSeconds?: number;
	/** The clock, replaceable in tests (Django's `_now`). */
	now?: () => Date;
}

/** PasswordResetTokenGenerator: make_token and check_token. */
export class ResetTokenGenerator {
	readonly #secret: string;
	readonly #timeoutSeconds: number;
	readonly #now: () => Date;

	constructor(options: ResetTokenGeneratorOptions) {
		if (options.secret.length === 0) throw new Error('The reset token generator needs a non-empty SECRET_KEY.');
		this.#secret = options.secret;
		this.#timeoutSeconds = options.timeoutSeconds ?? DEFAULT_PASSWORD_RESET_TIMEOUT;
		this.#now = options.now ?? (() => new Date());
	}

	makeToken(user: TokenUser): string {
		return makeTokenWithTimestamp(user, tokenTimestamp(this.#now()), this.#secret);
	}

	/** True when the token was made for this user in this state and is not older than the timeout. */
	checkToken(user: TokenUser | null, token: string | null | undefined): boolean {
		if (!user || !token) return false;
		const parts = token.split('-');
		if (parts.length !== 2) return false;
		const timestamp = base36ToInt(parts[0] ?? '');
		if (timestamp === null) return false;
		// Compare in constant time so the hash cannot be guessed digit by digit.
		const expected = Buffer.from(makeTokenWithTimestamp(user, timestamp, this.#secret), 'utf8');
		const given = Buffer.from(token, 'utf8');
		if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
		return tokenTimestamp(this.#now()) - timestamp <= this.#timeoutSeconds;
	}
}
