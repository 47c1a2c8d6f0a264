/**
 * The contract between the POP3/IMAP servers and whatever stores captured mail. The servers read and change
 * mail only through this interface, so they can be tested against an in-memory source and wired to the real
 * store by a small adapter (store-source.ts).
 */

/** The durable IMAP flags: `\Seen` is the web inbox's read state; the store keeps these and nothing else. */
export const DURABLE_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Draft', '\\Deleted'] as const;

export interface StoredMessageRef {
	id: string;
	/** IMAP UID: assigned once per mailbox in arrival order and never reused. */
	uid: number;
	/** Size of the raw bytes as stored. */
	size: number;
	receivedAt: Date;
	/** The durable flags set on the message, from DURABLE_FLAGS, in that order. */
	flags: readonly string[];
}

/**
 * The message was deleted (web inbox, API, another session) after the session listed it: a session leaves
 * it out. Any other failure to read a message (I/O, a damaged record) is not this, and must be seen.
 */
export class MessageGoneError extends Error {
	constructor(id: string) {
		super(`message ${id} is no longer stored`);
		this.name = 'MessageGoneError';
	}
}

export interface MailboxSource {
	/** RFC 3501 UIDVALIDITY, fixed for the life of the data folder. */
	readonly uidValidity: number;
	/** The UID the next message of `mailbox` will get. */
	uidNext(mailbox: string): number;
	/** Messages of a mailbox, oldest first (UIDs rise). In local mode the mailbox is 'default'. */
	list(mailbox: string): Promise<StoredMessageRef[]>;
	/** The raw RFC 5322 bytes exactly as received. */
	readRaw(id: string): Promise<Buffer>;
	/**
	 * Called after anything changed in a mailbox (`null`: possibly every mailbox): a message stored, its flags
	 * changed, or it was deleted, from whatever side. Returns an unsubscribe function.
	 */
	onChange(listener: (mailbox: string | null) => void): () => void;
	/** Sets the durable flags of a message of `mailbox` (others are refused); resolves with the ref, or null when it is gone. */
	setFlags(mailbox: string, id: string, flags: readonly string[]): Promise<StoredMessageRef | null>;
	/** Deletes messages of `mailbox` (others are left alone); resolves with the ids actually deleted. */
	remove(mailbox: string, ids: readonly string[]): Promise<string[]>;
}

export interface Authenticator {
	/** Returns the mailbox name for these credentials, or null to refuse. Local mode: any login → 'default'. */
	authenticate(user: string, password: string): Promise<string | null>;
}

/** Local mode: the sandbox has one inbox and any user name and password open it. */
export const acceptAnyLogin: Authenticator = {
	authenticate: async () => 'default',
};

/** `flags` reduced to DURABLE_FLAGS, each once, in their order (matched without regard to case). */
export function durableFlags(flags: Iterable<string>): string[] {
	const wanted = new Set([...flags].map((flag) => flag.toLowerCase()));
	return DURABLE_FLAGS.filter((flag) => wanted.has(flag.toLowerCase()));
}
