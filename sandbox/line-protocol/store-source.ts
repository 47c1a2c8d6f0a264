/**
 * The captured mailbox as POP3 and IMAP see it: the store's messages of one mailbox, oldest first, with their
 * UIDs and flags, and the store's events, which fire only once a change is on disk. Flags and deletions go
 * through the same store calls the web inbox's API uses, so every side sees one mailbox.
 */
import type { EventBus } from '../events/event-bus.ts';
import type { MailStore } from '../store/mail-store.ts';
import type { MessageSummary } from '../store/types.ts';
import { MessageGoneError, durableFlags, type MailboxSource, type StoredMessageRef } from './mailbox-source.ts';

const toRef = (summary: MessageSummary): StoredMessageRef => ({
	id: summary.id,
	uid: summary.uid,
	size: summary.size,
	receivedAt: new Date(summary.receivedAt),
	flags: durableFlags(summary.read ? ['\\Seen', ...summary.flags] : summary.flags),
});

export function storeMailboxSource(store: MailStore, events: EventBus): MailboxSource {
	return {
		get uidValidity() {
			return store.uidValidity;
		},
		uidNext: (mailbox) => store.uidNext(mailbox),
		list: async (mailbox) => store.listMailbox(mailbox).map(toRef),
		async readRaw(id) {
			const raw = await store.readRaw(id);
			// Retention or a learner's "delete" can remove a message between LIST and RETR; the servers
			// answer that with -ERR / NO instead of failing the connection.
			if (!raw) throw new MessageGoneError(id);
			return raw;
		},
		onChange: (listener) =>
			events.subscribe((event) => {
				switch (event.type) {
					case 'message':
					case 'message-updated':
						return listener(event.message.mailbox);
					case 'message-deleted':
						return listener(event.mailbox);
					case 'mailbox-cleared':
						return listener(event.mailbox);
					case 'message-transcript':
						// Nothing a mail client sees changed.
						return;
				}
			}),
		async setFlags(mailbox, id, flags) {
			const wanted = new Set(durableFlags(flags));
			const summary = await store.setFlags(id, { read: wanted.has('\\Seen'), flags: [...wanted].filter((flag) => flag !== '\\Seen') }, mailbox);
			return summary ? toRef(summary) : null;
		},
		remove: (mailbox, ids) => store.deleteMany(ids, mailbox),
	};
}
