/**
 * IMAP needs 32-bit UIDs that only grow (RFC 3501 §2.3.1.1); the store names messages with string ids.
 * The registry hands out UIDs in the order messages are first seen, per mailbox, and lives as long as the
 * server. UIDVALIDITY is the server's start time, so after a restart (when numbering starts over) clients
 * know to throw away the UIDs they kept.
 */
import type { StoredMessageRef } from '../mailread/mailbox-source.ts';

export interface NumberedMessage {
	uid: number;
	ref: StoredMessageRef;
}

export class UidRegistry {
	readonly uidValidity = Math.floor(Date.now() / 1000);
	#mailboxes = new Map<string, { next: number; uids: Map<string, number> }>();

	/** The messages with their UIDs, in store order; new ids get the next UIDs. */
	number(mailbox: string, refs: StoredMessageRef[]): NumberedMessage[] {
		let state = this.#mailboxes.get(mailbox);
		if (!state) {
			state = { next: 1, uids: new Map() };
			this.#mailboxes.set(mailbox, state);
		}
		const numbered: NumberedMessage[] = [];
		let last = 0;
		for (const ref of refs) {
			let uid = state.uids.get(ref.id);
			if (uid === undefined) {
				uid = state.next++;
				state.uids.set(ref.id, uid);
			}
			// The store lists oldest first, so UIDs rise; a message out of order is left out rather than break that rule.
			if (uid <= last) continue;
			last = uid;
			numbered.push({ uid, ref });
		}
		return numbered;
	}

	uidNext(mailbox: string): number {
		return this.#mailboxes.get(mailbox)?.next ?? 1;
	}
}
