/**
 * A MailboxSource kept in memory. Tests use it in place of the real store; it behaves like the store's
 * contract says (oldest first, UIDs per mailbox that only grow, listeners told about every change).
 */
import { MessageGoneError, durableFlags, type MailboxSource, type StoredMessageRef } from './mailbox-source.ts';

interface MemoryMessage {
	mailbox: string;
	ref: StoredMessageRef;
	raw: Buffer;
}

export class MemoryMailboxSource implements MailboxSource {
	readonly uidValidity: number;
	#messages: MemoryMessage[] = [];
	#listeners = new Set<(mailbox: string | null) => void>();
	#nextId = 1;
	#uidNext = new Map<string, number>();

	constructor(uidValidity = 1_700_000_000) {
		this.uidValidity = uidValidity;
	}

	/** Stores a message and tells the listeners, as the capture server does after SMTP DATA. */
	add(mailbox: string, raw: Buffer | string, receivedAt = new Date()): StoredMessageRef {
		const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
		const uid = this.uidNext(mailbox);
		this.#uidNext.set(mailbox, uid + 1);
		const ref: StoredMessageRef = { id: `msg-${this.#nextId++}`, uid, size: bytes.length, receivedAt, flags: [] };
		this.#messages.push({ mailbox, ref, raw: bytes });
		this.#tell(mailbox);
		return ref;
	}

	uidNext(mailbox: string): number {
		return this.#uidNext.get(mailbox) ?? 1;
	}

	async list(mailbox: string): Promise<StoredMessageRef[]> {
		return this.#messages.filter((m) => m.mailbox === mailbox).map((m) => m.ref);
	}

	async readRaw(id: string): Promise<Buffer> {
		const found = this.#messages.find((m) => m.ref.id === id);
		if (!found) throw new MessageGoneError(id);
		return found.raw;
	}

	onChange(listener: (mailbox: string | null) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	async setFlags(mailbox: string, id: string, flags: readonly string[]): Promise<StoredMessageRef | null> {
		const found = this.#messages.find((m) => m.ref.id === id && m.mailbox === mailbox);
		if (!found) return null;
		const next = durableFlags(flags);
		if (next.join(' ') === found.ref.flags.join(' ')) return found.ref;
		found.ref = { ...found.ref, flags: next };
		this.#tell(mailbox);
		return found.ref;
	}

	async remove(mailbox: string, ids: readonly string[]): Promise<string[]> {
		const wanted = new Set(ids);
		const removed = this.#messages.filter((m) => m.mailbox === mailbox && wanted.has(m.ref.id)).map((m) => m.ref.id);
		if (removed.length === 0) return [];
		this.#messages = this.#messages.filter((m) => !(m.mailbox === mailbox && wanted.has(m.ref.id)));
		this.#tell(mailbox);
		return removed;
	}

	#tell(mailbox: string): void {
		for (const listener of [...this.#listeners]) listener(mailbox);
	}
}
