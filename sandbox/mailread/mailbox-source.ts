/**
 * The contract between the POP3/IMAP servers and whatever stores captured mail. The servers only read
 * through this interface, so they can be tested against an in-memory source and wired to the real store
 * by a small adapter.
 */

export interface StoredMessageRef {
	id: string;
	/** Size of the raw bytes as stored. */
	size: number;
	receivedAt: Date;
}

export interface MailboxSource {
	/** Messages of a mailbox, oldest first. In local mode the mailbox is 'default'. */
	list(mailbox: string): Promise<StoredMessageRef[]>;
	/** The raw RFC 5322 bytes exactly as received. */
	readRaw(id: string): Promise<Buffer>;
	/** Called for each newly stored message; returns an unsubscribe function. */
	onMessage(listener: (mailbox: string, ref: StoredMessageRef) => void): () => void;
	/** Optional: delete (POP3 DELE+QUIT when the server is configured to expunge). */
	remove?(id: string): Promise<void>;
}

export interface Authenticator {
	/** Returns the mailbox name for these credentials, or null to refuse. Local mode: any login → 'default'. */
	authenticate(user: string, password: string): Promise<string | null>;
}

/** Local mode: the sandbox has one inbox and any user name and password open it. */
export const acceptAnyLogin: Authenticator = {
	authenticate: async () => 'default',
};
