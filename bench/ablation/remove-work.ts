/**
 * Preloaded into Postlab by bench/ablation.ts (`--import`), never by `npm start`: takes one piece of work
 * out of the ingest path, so the benchmark can measure what that piece costs by its absence. Which pieces
 * go is `POSTLAB_ABLATE` (comma-separated names below). The product's files are changed only in this
 * process's memory, as Node loads them; every cut names the exact text it replaces and fails loudly when
 * that text is gone. Each cut applied is written to `POSTLAB_ABLATE_REPORT`, so the runner can refuse a
 * result in which a cut never happened (its file moved, or was not loaded). A replaced condition that is
 * always true or false (`raw.length >= 0`) keeps the code after it valid TypeScript.
 */
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

interface Cut {
	/** The product file, relative to the project folder. */
	file: string;
	find: string;
	replace: string;
}

/** What each name removes; a name may need several cuts. */
export const CUTS = {
	/** The capture server answers 250 once it has read and described a message, without storing it. */
	'no-store': [
		{
			file: 'sandbox/smtp/capture-server.ts',
			find: '\t\t\toptions.store\n\t\t\t\t.add(',
			replace: "\t\t\tif (raw.length >= 0) return callback(null, 'Ok: not stored (ablation)');\n\t\t\toptions.store\n\t\t\t\t.add(",
		},
	],
	/**
	 * Nothing goes to disk: no message record, no transcript tail, no preview record. Big messages' previews
	 * read the bytes kept in memory, with no cap on how many are kept (they cannot be read back from disk).
	 */
	'no-disk': [
		{
			file: 'sandbox/store/mail-store.ts',
			find: "await this.#journal.append(RECORD.message, meta, mail.raw, 'sync')",
			replace: 'await Promise.resolve({ segment: 0, offset: 0, length: 0, metaLength: 0, bodyLength: 0 })',
		},
		{
			file: 'sandbox/smtp/capture-server.ts',
			find: '\t\t\t\t\tif (transcript) {\n\t\t\t\t\t\tconst storeMs',
			replace: '\t\t\t\t\tif (transcript && raw.length < 0) {\n\t\t\t\t\t\tconst storeMs',
		},
		{
			file: 'sandbox/store/mail-store.ts',
			find: "this.#track(this.#journal.append(RECORD.index, record, null, 'lazy'))",
			replace: 'this.#track(Promise.resolve({ segment: 0, offset: 0, length: 0, metaLength: 0, bodyLength: 0 }))',
		},
		{
			file: 'sandbox/store/preview-queue.ts',
			find: 'const keep = raw !== null && this.#queuedBytes + raw.length <= QUEUE_BYTES;',
			replace: 'const keep = raw !== null;',
		},
	],
	/** Every record is written, none is fdatasynced: the 250 follows the write alone. */
	'no-sync': [
		{
			file: 'sandbox/store/journal.ts',
			find: '\t\t\tif (sync) await datasyncFd(handle);',
			replace: '\t\t\tif (sync && position < 0) await datasyncFd(handle);',
		},
	],
	/** No header summary or body walk: every message gets the same summary (its id, mailbox, UID and size kept). */
	'no-summary': [
		{
			file: 'sandbox/store/mail-store.ts',
			find: '\t\tconst inline = mail.raw.length <= INLINE_INDEX_BYTES ? summarizeBody(mail.raw) : null;\n\t\tconst summary = summarizeNewMessage({ id, mailbox, uid, receivedAt, raw: mail.raw, session: mail.session }, inline);',
			replace:
				"\t\tconst inline = { snippet: '', attachmentCount: 0, parsed: true };\n\t\tconst summary = { id, mailbox, subject: '', from: null, to: [], date: receivedAt.toISOString(), receivedAt: receivedAt.toISOString(), size: mail.raw.length, snippet: '', attachmentCount: 0, read: false, uid, flags: [], parsed: true };",
		},
	],
} satisfies Record<string, Cut[]>;

export type CutName = keyof typeof CUTS;

function isCutName(name: string): name is CutName {
	return Object.hasOwn(CUTS, name);
}

const names = (process.env['POSTLAB_ABLATE'] ?? '').split(',').filter((name) => name !== '');
const cuts: Array<Cut & { name: string }> = names.flatMap((name) => {
	if (!isCutName(name)) throw new Error(`POSTLAB_ABLATE: no cut named "${name}" (there are: ${Object.keys(CUTS).join(', ')})`);
	return CUTS[name].map((cut) => ({ ...cut, name }));
});
const report = process.env['POSTLAB_ABLATE_REPORT'];
const root = new URL('../../', import.meta.url).href;

if (cuts.length > 0) {
	registerHooks({
		load(url, context, nextLoad) {
			const loaded = nextLoad(url, context);
			const mine = cuts.filter((cut) => url === root + cut.file);
			if (mine.length === 0) return loaded;
			let source = typeof loaded.source === 'string' ? loaded.source : new TextDecoder().decode(loaded.source);
			for (const cut of mine) {
				const at = source.indexOf(cut.find);
				if (at < 0 || source.indexOf(cut.find, at + 1) >= 0) throw new Error(`ablation: ${cut.file} no longer holds the text this cut replaces exactly once:\n${cut.find}`);
				source = source.replace(cut.find, () => cut.replace);
				if (report) appendFileSync(report, `${cut.name} ${cut.file}\n`);
			}
			return { ...loaded, source };
		},
	});
}
