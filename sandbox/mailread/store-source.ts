/**
 * The captured mailbox as POP3 and IMAP see it: the store's messages of one mailbox, oldest first, and
 * the store's "message" event, which fires only once the message is on disk and readable.
 */
import type { EventBus } from '../events/event-bus.ts';
import type { MailStore } from '../store/mail-store.ts';
import type { MessageSummary } from '../store/types.ts';
import type { MailboxSource, StoredMessageRef } from './mailbox-source.ts';

const toRef = (summary: MessageSummary): StoredMessageRef => ({
	id: summary.id,
	size: summary.size,
	receivedAt: new Date(summary.receivedAt),
});

export function storeMailboxSource(store: MailStore, events: EventBus): MailboxSource {
	return {
		list: async (mailbox) => store.listMailbox(mailbox).map(toRef),
		async readRaw(id) {
			const raw = await store.readRaw(id);
			// Retention or a learner's "delete" can remove a message between LIST and RETR; the servers
			// answer that with -ERR / NO instead of failing the connection.
			if (!raw) throw new Error(`message ${id} is no longer stored`);
			return raw;
		},
		onMessage: (listener) =>
			events.subscribe((event) => {
				if (event.type === 'message') listener(event.message.mailbox, toRef(event.message));
			}),
	};
}
