/**
 * The forum's SECRET_KEY. Like Django's, it signs the reset tokens, so it must be secret and must not
 * change between restarts (a new key voids every link already sent). Taken from SECRET_KEY in the
 * environment or `.env`; without one, a random key is made once per installation and kept in
 * `<dataDir>/forum/secret-key`, readable by its owner only. There is no built-in default: a key in
 * the source would be a key everyone knows.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { hasErrorCode } from '../error-code.ts';
import { OperatorError } from '../operator-error.ts';

/** Django's get_random_secret_key: 50 characters from this alphabet. */
const SECRET_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)';
const SECRET_KEY_LENGTH = 50;
/** Below this the key is too easy to guess; Django's deploy check warns under 50. */
export const MIN_SECRET_KEY_LENGTH = 32;

export interface SecretKey {
	value: string;
	/** `env` = SECRET_KEY was set, `file` = read from the data folder, `created` = made on this start. */
	source: 'env' | 'file' | 'created';
	/** The file holding it, when it is not from the environment. */
	path: string | null;
}

export function randomSecretKey(): string {
	let key = '';
	for (let i = 0; i < SECRET_KEY_LENGTH; i++) key += SECRET_KEY_CHARS[randomInt(SECRET_KEY_CHARS.length)];
	return key;
}

export async function loadOrCreateSecretKey(options: { env: Readonly<Record<string, string | undefined>>; dataDir: string }): Promise<SecretKey> {
	const fromEnv = options.env['SECRET_KEY']?.trim();
	if (fromEnv) {
		if (fromEnv.length < MIN_SECRET_KEY_LENGTH) {
			throw new OperatorError('forum.secretKeyTooShort', { length: fromEnv.length, least: MIN_SECRET_KEY_LENGTH });
		}
		return { value: fromEnv, source: 'env', path: null };
	}
	const dir = join(options.dataDir, 'forum');
	const path = join(dir, 'secret-key');
	const stored = await readKey(path);
	if (stored) return { value: stored, source: 'file', path };

	await mkdir(dir, { recursive: true, mode: 0o700 });
	const value = randomSecretKey();
	// The key is written whole under a name of its own, then linked into place: link() fails if another
	// start got there first, and whoever loses reads a complete key, never a file still being written.
	const draft = join(dir, `secret-key.${process.pid}.${randomUUID()}`);
	try {
		const handle = await open(draft, 'wx', 0o600);
		try {
			await handle.writeFile(`${value}\n`, 'utf8');
			await handle.sync();
		} finally {
			await handle.close();
		}
		await link(draft, path);
		return { value, source: 'created', path };
	} catch (error) {
		if (!hasErrorCode(error, 'EEXIST')) throw error;
		const winner = await readKey(path);
		if (!winner) throw new OperatorError('forum.secretKeyFileEmpty', { path });
		return { value: winner, source: 'file', path };
	} finally {
		await rm(draft, { force: true });
	}
}

async function readKey(path: string): Promise<string | null> {
	try {
		const text = (await readFile(path, 'utf8')).trim();
		return text.length >= MIN_SECRET_KEY_LENGTH ? text : null;
	} catch (error) {
		if (hasErrorCode(error, 'ENOENT')) return null;
		throw error;
	}
}
