/**
 * Password hashing with scrypt from node:crypto, stored in the layout of Django's
 * ScryptPasswordHasher: `scrypt$<N>$<salt>$<r>$<p>$<base64 hash>`. Every user gets a fresh random
 * salt, so equal passwords hash differently (and a reset token dies even if the same password is
 * chosen again). The parameters travel with the hash, so they can be raised later.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const ALGORITHM = 'scrypt';
/** Django's ScryptPasswordHasher defaults: N = 2^14, r = 8, p = 1 (about 16 MiB and tens of ms per hash). */
export const DJANGO_SCRYPT_PARAMS: ScryptParams = { cost: 2 ** 14, blockSize: 8, parallelism: 1 };
/** 64-byte key, as Django asks of hashlib.scrypt. */
const KEY_LENGTH = 64;
/** 16 random bytes: 22 base64url characters, about Django's 22-character salt (128 bits). */
const SALT_BYTES = 16;

export interface ScryptParams {
	/** N, a power of two. */
	cost: number;
	/** r. */
	blockSize: number;
	/** p. */
	parallelism: number;
}

function derive(password: string, salt: string, params: ScryptParams, keyLength: number): Promise<Buffer> {
	const options: ScryptOptions = {
		N: params.cost,
		r: params.blockSize,
		p: params.parallelism,
		// scrypt needs about 128 * N * r bytes; Node refuses above maxmem (32 MiB by default).
		maxmem: 256 * params.cost * params.blockSize,
	};
	return new Promise((resolve, reject) => {
		scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
	});
}

interface ParsedHash {
	params: ScryptParams;
	salt: string;
	hash: Buffer;
}

function parse(encoded: string): ParsedHash | null {
	const parts = encoded.split('$');
	if (parts.length !== 6 || parts[0] !== ALGORITHM) return null;
	const [, n, salt, r, p, hash] = parts as [string, string, string, string, string, string];
	const params = { cost: Number(n), blockSize: Number(r), parallelism: Number(p) };
	const sane =
		Number.isInteger(params.cost) && params.cost > 1 && params.cost <= 2 ** 20 && (params.cost & (params.cost - 1)) === 0 &&
		Number.isInteger(params.blockSize) && params.blockSize >= 1 && params.blockSize <= 32 &&
		Number.isInteger(params.parallelism) && params.parallelism >= 1 && params.parallelism <= 16;
	if (!sane || salt.length === 0 || hash.length === 0) return null;
	return { params, salt, hash: Buffer.from(hash, 'base64') };
}

export class PasswordHasher {
	readonly #params: ScryptParams;
	/** A hash of a random password, verified against when there is no user, so "no such user" costs the same time. */
	#dummy: Promise<string> | null = null;

	constructor(params: ScryptParams = DJANGO_SCRYPT_PARAMS) {
		this.#params = params;
	}

	async hash(password: string): Promise<string> {
		const salt = randomBytes(SALT_BYTES).toString('base64url');
		const key = await derive(password, salt, this.#params, KEY_LENGTH);
		const { cost, blockSize, parallelism } = this.#params;
		return `${ALGORITHM}$${cost}$${salt}$${blockSize}$${parallelism}$${key.toString('base64')}`;
	}

	/** True when `password` is the one `encoded` was made from. Malformed hashes verify as false. */
	async verify(password: string, encoded: string): Promise<boolean> {
		const parsed = parse(encoded);
		if (!parsed) return false;
		const key = await derive(password, parsed.salt, parsed.params, parsed.hash.length);
		return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
	}

	/**
	 * Spends one verification's worth of work and returns false, for a login or reset with no matching
	 * user (Django's ModelBackend runs the hasher for the same reason): timing does not tell whether
	 * an account exists.
	 */
	async verifyNothing(password: string): Promise<false> {
		this.#dummy ??= this.hash(randomBytes(16).toString('hex'));
		await this.verify(password, await this.#dummy);
		return false;
	}
}

/** Django marks accounts without a usable password with a leading "!"; they cannot log in or reset. */
export function isUsablePasswordHash(encoded: string): boolean {
	return !encoded.startsWith('!') && parse(encoded) !== null;
}
