/**
 * What IMAP clients remember about a data folder and the journal alone cannot keep: its UIDVALIDITY and,
 * per mailbox, the next UID. Each message's UID is stored in its own journal record; this file only keeps a
 * floor under the next one, so a UID freed by deleting the newest messages is never handed out again after
 * a restart (RFC 3501 §2.3.1.1: UIDs only grow, and "the next unique identifier value MUST change whenever
 * new messages are added, even if those new messages are subsequently expunged").
 *
 * `<data>/mailbox-state.json`, written whole to a temporary file, fsynced and renamed, so a crash leaves the
 * old file or the new one. It is written when the folder is created and when a deletion would otherwise let
 * the next UID go back: not on the path of each incoming message.
 */
import { constants } from 'node:fs';
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export interface MailboxState {
	/** RFC 3501 UIDVALIDITY: a non-zero 32-bit number fixed for the life of the data folder. */
	uidValidity: number;
	/** Per mailbox: no UID below this is ever handed out again. */
	uidNext: Record<string, number>;
}

const FILE = 'mailbox-state.json';

export function mailboxStatePath(dataDir: string): string {
	return join(dataDir, FILE);
}

/**
 * The saved state, or null when there is none (a new folder) or it does not hold one (torn, edited: then a new
 * UIDVALIDITY is right). A file that exists but cannot be read rejects.
 */
export async function loadMailboxState(dataDir: string): Promise<MailboxState | null> {
	let text: string;
	try {
		text = await readFile(mailboxStatePath(dataDir), 'utf8');
	} catch (error) {
		// No file yet: a new data folder. Any other failure (permissions, I/O) travels: a new UIDVALIDITY would
		// make every IMAP client download the mailbox again for a fault that may pass.
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
	try {
		const parsed = JSON.parse(text) as Partial<MailboxState> | null;
		if (typeof parsed !== 'object' || parsed === null) return null;
		const uidValidity = parsed.uidValidity;
		if (typeof uidValidity !== 'number' || !Number.isInteger(uidValidity) || uidValidity < 1 || uidValidity > 0xffffffff) return null;
		const uidNext: Record<string, number> = {};
		for (const [mailbox, next] of Object.entries(parsed.uidNext ?? {})) {
			if (typeof next === 'number' && Number.isInteger(next) && next >= 1) uidNext[mailbox] = next;
		}
		return { uidValidity, uidNext };
	} catch (error) {
		// A torn or hand-edited file (JSON.parse's SyntaxError): its UIDs cannot be trusted, so a new UIDVALIDITY is right.
		if (error instanceof SyntaxError) return null;
		throw error;
	}
}

/** A new UIDVALIDITY: the creation time in seconds, as many servers do (it fits 32 bits until 2106). */
export function newUidValidity(now = Date.now()): number {
	return Math.max(1, Math.floor(now / 1000) >>> 0);
}

export async function saveMailboxState(dataDir: string, state: MailboxState): Promise<void> {
	const path = mailboxStatePath(dataDir);
	const temporary = `${path}.tmp`;
	const handle = await open(temporary, 'w', 0o600);
	try {
		await handle.writeFile(`${JSON.stringify(state)}\n`);
		await handle.sync();
	} finally {
		await handle.close();
	}
	await rename(temporary, path);
	const dir = await open(dataDir, constants.O_RDONLY);
	try {
		await dir.sync();
	} finally {
		await dir.close();
	}
}
