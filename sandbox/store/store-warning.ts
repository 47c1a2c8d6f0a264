/**
 * What the store tells the person running Postlab (a file it could not write, a damaged journal record), as
 * keys of the Node side's catalogue (sandbox/i18n/en.json, `log.store.*`) with their values: the store
 * stays free of words and languages, and the sandbox says the line in the terminal's language. A key
 * missing from en.json fails `tsc` where the sandbox hands its log to the store.
 */

/** Why a journal record could not be read at start-up. */
export type JournalDamage = 'headerCutShort' | 'badHeader' | 'cutShort' | 'badChecksum' | 'badMetadata';

export type StoreWarningKey =
	| 'log.store.stateNotWritten'
	| 'log.store.notSynced'
	| 'log.store.noSegmentAfterClear'
	| 'log.store.tombstoneNotWritten'
	| 'log.store.previewNotWritten'
	| 'log.store.previewUnreadable'
	| 'log.store.compactionStopped'
	| 'log.store.segmentCloseFailed'
	| 'log.store.droppedSegmentCloseFailed'
	| 'log.store.preallocatedKept'
	// The newest segment's damaged end is an unfinished write and is cut off; an older one's is skipped.
	| `log.store.journal.${JournalDamage}.${'removed' | 'skipped'}`;

export type StoreWarn = (key: StoreWarningKey, params: Readonly<Record<string, string | number>>) => void;
