/**
 * What the store writes to its journal (journal.ts frames and checks the bytes; this is what they mean) and
 * what it keeps in memory per message. Records written before UIDs and flags were kept lack them; the
 * functions here read such records as "none yet".
 */
import type { BodySummary } from './body-index.ts';
import type { RecordLocation } from './journal.ts';
import { MAIL_FLAGS, type MailFlag, type MessageSummary, type SessionFacts, type TranscriptEntry } from './types.ts';

/** Journal record types. */
export const RECORD = { message: 1, read: 2, index: 3, transcript: 4, delete: 5, state: 6, transcriptTail: 7 } as const;

/** A message record's metadata; its body is the raw message. */
export interface StoredMeta {
	version: 1;
	summary: MessageSummary;
	session: SessionFacts;
	parseError: string | null;
}

/** A change of a message's flags, or the UID given to a message stored before UIDs were kept. */
export interface StateRecord {
	id: string;
	read?: boolean;
	flags?: MailFlag[];
	uid?: number;
}

/** The read flag alone, as written before `state` records existed. */
export interface ReadRecord {
	id: string;
	read: boolean;
}

export type IndexRecord = { id: string } & BodySummary;

/** A completed transcript whole, replacing the one in the message record (every completion before tails existed). */
export interface TranscriptRecord {
	id: string;
	transcript: TranscriptEntry[];
	storeMs?: number;
}

/**
 * The lines of a completed transcript after those already in the message record (the 250, QUIT, the close):
 * the message record holds the conversation up to the end of DATA, so writing it again would double the
 * bytes for one or two lines. Its own record type, so a Postlab from before tails skips it (keeping the
 * transcript up to DATA) instead of misreading it.
 */
export interface TranscriptTailRecord {
	id: string;
	tail: TranscriptEntry[];
	storeMs?: number;
}

export interface DeleteRecord {
	ids: string[];
}

/** A completed transcript, whole or as the tail after the message record's lines; the record without its id. */
export type FinalTranscript = Omit<TranscriptRecord, 'id'> | Omit<TranscriptTailRecord, 'id'>;

/** The conversation `final` completes, given the one stored in the message record. */
export function completedTranscript(stored: TranscriptEntry[], final: FinalTranscript): TranscriptEntry[] {
	if ('tail' in final) return Array.isArray(final.tail) ? stored.concat(final.tail) : stored;
	return Array.isArray(final.transcript) ? final.transcript : stored;
}

/** What the store keeps in memory per message: its summary and where its records are. */
export interface Entry {
	summary: MessageSummary;
	location: RecordLocation;
	/** The completed transcript: still being written (the value itself), or where it was written. */
	transcript: FinalTranscript | RecordLocation | null;
	indexed: boolean;
}

/** The flags the store keeps, each once, in MAIL_FLAGS order; anything else (keywords, \Seen, \Recent) is dropped. */
export function normaliseFlags(flags: readonly unknown[]): MailFlag[] {
	const wanted = new Set(flags.map((flag) => String(flag).toLowerCase()));
	return MAIL_FLAGS.filter((flag) => wanted.has(flag.toLowerCase()));
}

/** A summary as read from disk: records written before UIDs and flags were kept have neither (uid 0 = none yet). */
export function withMailboxState(summary: MessageSummary): MessageSummary {
	const uid = typeof summary.uid === 'number' && Number.isInteger(summary.uid) && summary.uid > 0 ? summary.uid : 0;
	const flags = Array.isArray(summary.flags) ? normaliseFlags(summary.flags) : [];
	return { ...summary, uid, flags };
}
