/**
 * The classroom's server secret and what is derived from it. One random key per data folder (0600 file),
 * made on first start: learners' SMTP passwords are HMAC(secret, learner id), so they can be shown again on
 * the learner's own page without being stored; cookie tokens are random and stored only as SHA-256 hashes.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OperatorError } from '../operator-error.ts';

/** 256 bits: as strong as the HMAC it keys. */
const SECRET_BYTES = 32;
/** An app-password-shaped secret: 16 lowercase letters in four groups (like Gmail's), ~75 bits. */
const PASSWORD_LETTERS = 16;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
/** The largest multiple of 26 below 256: bytes at or above it are skipped so every letter is equally likely. */
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

export async function loadOrCreateSecret(path: string): Promise<Buffer> {
	try {
		const text = (await readFile(path, 'utf8')).trim();
		const secret = Buffer.from(text, 'base64url');
		if (secret.length >= SECRET_BYTES) return secret;
		throw new OperatorError('classroom.secretInvalid', { path });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
	}
	await mkdir(dirname(path), { recursive: true, mode: 0o700 });
	const secret = randomBytes(SECRET_BYTES);
	// 'wx': two processes starting at once cannot both write a secret; the loser reads the winner's.
	try {
		const handle = await open(path, 'wx', 0o600);
		try {
			await handle.writeFile(`${secret.toString('base64url')}\n`, 'utf8');
			await handle.sync();
		} finally {
			await handle.close();
		}
		return secret;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSecret(path);
		throw error;
	}
}

/** The learner's SMTP password, `abcd efgh ijkl mnop`: the same for the same secret and id, every time. */
export function deriveSmtpPassword(secret: Buffer, learnerId: string): string {
	const letters: string[] = [];
	for (let round = 0; letters.length < PASSWORD_LETTERS; round++) {
		const bytes = createHmac('sha256', secret).update(`postlab.classroom.smtp-password:${learnerId}:${round}`).digest();
		for (const byte of bytes) {
			if (byte >= UNBIASED_LIMIT) continue;
			letters.push(ALPHABET[byte % ALPHABET.length]!);
			if (letters.length === PASSWORD_LETTERS) break;
		}
	}
	return [0, 4, 8, 12].map((start) => letters.slice(start, start + 4).join('')).join(' ');
}

/** Spaces removed and lower-cased, as Gmail treats its app passwords; learners paste either form. */
export function normalizeSmtpPassword(password: string): string {
	return password.replace(/\s+/g, '').toLowerCase();
}

export function sha256(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Equal strings, compared in time that does not depend on where they differ. Both sides are hashed
 * first, so the lengths do not leak either.
 */
export function constantTimeEqual(a: string, b: string): boolean {
	return timingSafeEqual(sha256(a), sha256(b));
}

export function randomToken(): string {
	return randomBytes(32).toString('base64url');
}
