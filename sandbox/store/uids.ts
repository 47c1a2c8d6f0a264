/**
 * IMAP UIDs (RFC 3501 §2.3.1.1): UIDVALIDITY, fixed when the data folder is created, and each mailbox's
 * next UID. Each message record holds its UID; `<data>/mailbox-state.json` (mailbox-state.ts) holds a floor
 * under each mailbox's next UID, saved before a deletion could let it go back.
 */
import type { Journal } from './journal.ts';
import { loadMailboxState, newUidValidity, saveMailboxState } from './mailbox-state.ts';
import type { MessageIndex } from './message-index.ts';
import { RECORD, type StateRecord } from './records.ts';
import type { MessageSummary } from './types.ts';
import type { StoreWarn } from './store-warning.ts';
import { errorMessage } from '../error-text.ts';

export class Uids {
	readonly #dataDir: string;
	readonly #warn: StoreWarn;
	#validity = 0;
	/** Per mailbox, the UID the next message gets. */
	readonly #next = new Map<string, number>();
	/** Per mailbox, the floor last saved in mailbox-state.json. */
	readonly #saved = new Map<string, number>();
	/** State-file writes, one after another. */
	#stateWrite: Promise<void> = Promise.resolve();

	constructor(dataDir: string, warn: StoreWarn) {
		this.#dataDir = dataDir;
		this.#warn = warn;
	}

	get validity(): number {
		return this.#validity;
	}

	next(mailbox: string): number {
		return this.#next.get(mailbox) ?? 1;
	}

	/** Hands out the next UID of `mailbox`. */
	take(mailbox: string): number {
		const uid = this.next(mailbox);
		this.#next.set(mailbox, uid + 1);
		return uid;
	}

	/**
	 * Loads UIDVALIDITY (or creates it for a new folder) and each mailbox's next UID: the saved floor or one
	 * past the highest UID stored, whichever is higher. Messages stored before UIDs were kept get theirs now,
	 * in arrival order, recorded in the journal so they never change again.
	 */
	async open(index: MessageIndex, journal: Journal): Promise<void> {
		const saved = await loadMailboxState(this.#dataDir);
		this.#validity = saved?.uidValidity ?? newUidValidity();
		for (const [mailbox, next] of Object.entries(saved?.uidNext ?? {})) {
			this.#next.set(mailbox, next);
			this.#saved.set(mailbox, next);
		}
		for (const id of index.ids) {
			const summary = index.at(id).summary;
			if (summary.uid > 0) this.#next.set(summary.mailbox, Math.max(this.next(summary.mailbox), summary.uid + 1));
		}
		const numbering: Array<Promise<unknown>> = [];
		for (const id of index.ids) {
			const entry = index.at(id);
			if (entry.summary.uid > 0) continue;
			const uid = this.take(entry.summary.mailbox);
			entry.summary = { ...entry.summary, uid };
			const record: StateRecord = { id, uid };
			numbering.push(journal.append(RECORD.state, record, null, 'lazy'));
		}
		if (numbering.length > 0) {
			await Promise.all(numbering);
			await journal.barrier();
		}
		if (!saved || numbering.length > 0) await this.#save();
	}

	/**
	 * Before messages are deleted for good: when one of them holds a UID at or above its mailbox's saved floor,
	 * the floor is raised to the mailbox's next UID first, so a restart never hands that UID out again.
	 */
	async keepFloor(deleted: readonly MessageSummary[]): Promise<void> {
		if (!deleted.some((summary) => summary.uid >= (this.#saved.get(summary.mailbox) ?? 1))) return;
		await this.#save();
	}

	#save(): Promise<void> {
		const write = this.#stateWrite.then(async () => {
			const uidNext = Object.fromEntries(this.#next);
			await saveMailboxState(this.#dataDir, { uidValidity: this.#validity, uidNext });
			for (const [mailbox, next] of Object.entries(uidNext)) this.#saved.set(mailbox, next);
		});
		// The caller gets the failure; the chain only says so, so the next write is still tried.
		this.#stateWrite = write.catch((error: unknown) => this.#warn('log.store.stateNotWritten', { reason: errorMessage(error) }));
		return write;
	}
}
