/**
 * A MailboxSource kept in memory. Tests use it in place of the real store; it behaves like the store's
 * contract says (oldest first, listeners told about each new message).
 */
import type { MailboxSource, StoredMessageRef } from './mailbox-source.ts';

interface MemoryMessage {
	mailbox: string;
	ref: StoredMessageRef;
	raw: Buffer;
}

export class MemoryMailboxSource implements MailboxSource {
	#messages: MemoryMessage[] = [];
	#listeners = new Set<(mailbox: string, ref: StoredMessageRef) => void>();
	#nextId = 1;

	/** Stores a message and tells the listeners, as the capture server does after SMTP DATA. */
	add(mailbox: string, raw: Buffer | string, receivedAt = new Date()): StoredMessageRef {
		const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
		const ref: StoredMessageRef = { id: `msg-${this.#nextId++}`, size: bytes.length, receivedAt };
		this.#messages.push({ mailbox, ref, raw: bytes });
		for (const listener of this.#listeners) listener(mailbox, ref);
		return ref;
	}

	async list(mailbox: string): Promise<StoredMessageRef[]> {
		return this.#messages.filter((m) => m.mailbox === mailbox).map((m) => m.ref);
	}

	async readRaw(id: string): Promise<Buffer> {
		const found = this.#messages.find((m) => m.ref.id === id);
		if (!found) throw new Error(`No message with id ${id}`);
		return found.raw;
	}

	onMessage(listener: (mailbox: string, ref: StoredMessageRef) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	async remove(id: string): Promise<void> {
		this.#messages = this.#messages.filter((m) => m.ref.id !== id);
	}
}
