/**
 * Crash-safe JSON files: a write goes to a temporary file in the same folder, is flushed to disk,
 * and then renamed over the old file. rename() is atomic on POSIX file systems, so after a crash the
 * file holds either the old state or the new one, never half of each.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { OperatorError } from './operator-error.ts';
import { hasErrorCode } from './error-code.ts';

/** The file's parsed content, or `fallback` when the file does not exist yet. */
export async function readJsonFile<T>(path: string, fallback: T, validate: (data: unknown) => T): Promise<T> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		if (hasErrorCode(error, 'ENOENT')) return fallback;
		throw error;
	}
	try {
		return validate(JSON.parse(text));
	} catch (error) {
		throw new OperatorError('dataFile.invalid', { path, reason: (error as Error).message }, { cause: error });
	}
}

/** Replaces the file with `data` as JSON, atomically. `mode` applies to a newly written file (default 0600: it holds password hashes). */
export async function writeJsonFileAtomic(path: string, data: unknown, mode = 0o600): Promise<void> {
	const folder = dirname(path);
	await mkdir(folder, { recursive: true, mode: 0o700 });
	const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
	const handle = await open(temporary, 'w', mode);
	try {
		await handle.writeFile(`${JSON.stringify(data, null, '\t')}\n`, 'utf8');
		await handle.sync();
	} catch (error) {
		await handle.close();
		await rm(temporary, { force: true });
		throw error;
	}
	await handle.close();
	await rename(temporary, path);
	// Flush the folder entry too, so the rename itself survives a power cut (skipped where unsupported).
	try {
		const dir = await open(folder, 'r');
		try {
			await dir.sync();
		} finally {
			await dir.close();
		}
	} catch (error) {
		// Windows opens no folder for reading (EISDIR, EPERM) and some file systems refuse to fsync one (EINVAL,
		// ENOTSUP); an I/O error there is a real one: the rename may not survive, so the caller hears of it.
		if (!hasErrorCode(error, 'EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'ENOTSUP', 'EBADF')) throw error;
	}
}

/**
 * Runs writes one after another, so two quick changes cannot race and leave the older state on
 * disk. A failed write does not block the ones after it.
 */
export class WriteQueue {
	#tail: Promise<void> = Promise.resolve();

	run(write: () => Promise<void>): Promise<void> {
		const next = this.#tail.then(write, write);
		// The caller of run() hears of a failure through `next`; the tail only keeps the order.
		this.#tail = next.catch(() => undefined);
		return next;
	}
}
