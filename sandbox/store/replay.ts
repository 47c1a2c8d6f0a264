/**
 * Start-up: folds the journal's records, in the order they were written, into the entries they leave
 * behind. A record of a type this Postlab does not know (written by a newer one) is skipped, not fatal.
 */
import type { RecordLocation } from './journal.ts';
import { isMessageId } from './ids.ts';
import {
	normaliseFlags,
	RECORD,
	withMailboxState,
	type DeleteRecord,
	type Entry,
	type IndexRecord,
	type ReadRecord,
	type StateRecord,
	type StoredMeta,
} from './records.ts';
import { shareCommonParts } from './shared-parts.ts';

export class Replay {
	readonly entries = new Map<string, Entry>();

	apply(type: number, meta: unknown, location: RecordLocation): void {
		switch (type) {
			case RECORD.message: {
				const stored = meta as StoredMeta;
				const summary = stored.summary;
				if (typeof summary?.id !== 'string' || !isMessageId(summary.id)) return;
				// A second copy of a message (compaction) replaces the first.
				this.entries.set(summary.id, { summary: shareCommonParts(withMailboxState(summary)), location, transcript: null, indexed: summary.snippet !== '' || summary.size === 0 });
				return;
			}
			case RECORD.state: {
				const record = meta as StateRecord;
				const entry = this.entries.get(record.id);
				if (!entry) return;
				const summary = { ...entry.summary };
				if (typeof record.read === 'boolean') summary.read = record.read;
				if (Array.isArray(record.flags)) summary.flags = normaliseFlags(record.flags);
				if (typeof record.uid === 'number' && Number.isInteger(record.uid) && record.uid > 0 && summary.uid === 0) summary.uid = record.uid;
				entry.summary = summary;
				return;
			}
			case RECORD.read: {
				const record = meta as ReadRecord;
				const entry = this.entries.get(record.id);
				if (entry) entry.summary = { ...entry.summary, read: record.read === true };
				return;
			}
			case RECORD.index: {
				const record = meta as IndexRecord;
				const entry = this.entries.get(record.id);
				if (!entry) return;
				entry.summary = { ...entry.summary, snippet: String(record.snippet ?? ''), attachmentCount: Number(record.attachmentCount) || 0, parsed: record.parsed !== false };
				entry.indexed = true;
				return;
			}
			case RECORD.transcript:
			case RECORD.transcriptTail: {
				const entry = this.entries.get((meta as { id: string }).id);
				if (entry) entry.transcript = location;
				return;
			}
			case RECORD.delete: {
				const record = meta as DeleteRecord;
				for (const id of Array.isArray(record.ids) ? record.ids : []) this.entries.delete(id);
				return;
			}
			default:
				// A record type from a newer Postlab: skipped, not fatal.
				return;
		}
	}
}
