/**
 * The store's disk layout and its crash-safety. Each message is two files in `<data>/messages/`:
 * `<id>.eml` (the raw bytes, exactly as received) and `<id>.json` (summary and delivery facts). Both are
 * written to a temporary name, fsynced, then renamed, and the folder is fsynced: the `.json` appearing
 * is the commit point, and it happens before the SMTP server answers 250. A crash leaves either a whole
 * message or leftovers that `scan` cleans up.
 */
import { mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageSummary, SessionFacts } from './types.ts';

/** What `<id>.json` holds. */
export interface StoredMeta {
	version: 1;
	summary: MessageSummary;
	session: SessionFacts;
	parseError: string | null;
}

/** Ids are made by the store; anything else in a URL is refused before it reaches a path. */
export const MESSAGE_ID_PATTERN = /^[0-9a-z]{12,40}$/;

/** How many files `scan` reads at once: enough to hide latency, few enough to stay under fd limits. */
const SCAN_CONCURRENCY = 64;

export interface ScanResult {
	/** Summaries only: delivery facts and transcripts stay on disk until a message is opened. */
	summaries: MessageSummary[];
	/** Raw files whose metadata is missing or unreadable: rebuilt by the store from the `.eml`. */
	orphans: string[];
	/** Metadata files that could not be read, with the reason (for the start-up log). */
	problems: Array<{ file: string; reason: string }>;
}

export class MessageFiles {
	readonly dir: string;

	constructor(dataDir: string) {
		this.dir = join(dataDir, 'messages');
	}

	async ensure(): Promise<void> {
		await mkdir(this.dir, { recursive: true });
	}

	rawPath(id: string): string {
		return join(this.dir, `${id}.eml`);
	}

	metaPath(id: string): string {
		return join(this.dir, `${id}.json`);
	}

	/** Writes raw bytes then metadata, each crash-safely; returns once both are durable. */
	async writeMessage(id: string, raw: Buffer, meta: StoredMeta): Promise<void> {
		await writeDurably(this.rawPath(id), raw);
		await writeDurably(this.metaPath(id), Buffer.from(JSON.stringify(meta)));
		await this.syncDir();
	}

	/** Replaces the metadata (read flag, final transcript). */
	async writeMeta(meta: StoredMeta): Promise<void> {
		await writeDurably(this.metaPath(meta.summary.id), Buffer.from(JSON.stringify(meta)));
	}

	async readRaw(id: string): Promise<Buffer> {
		return readFile(this.rawPath(id));
	}

	async readMeta(id: string): Promise<StoredMeta> {
		return parseMeta(await readFile(this.metaPath(id), 'utf8'));
	}

	/** Metadata goes first: a crash half-way leaves an orphan `.eml`, never metadata without its mail. */
	async remove(id: string): Promise<void> {
		await unlink(this.metaPath(id)).catch(ignoreMissing);
		await unlink(this.rawPath(id)).catch(ignoreMissing);
	}

	async removeAll(): Promise<void> {
		await rm(this.dir, { recursive: true, force: true });
		await this.ensure();
	}

	/** Reads every stored message's metadata and removes half-written temporary files. */
	async scan(): Promise<ScanResult> {
		const names = await readdir(this.dir);
		const metaIds = new Set<string>();
		const rawIds = new Set<string>();
		for (const name of names) {
			if (name.includes('.tmp-')) {
				await unlink(join(this.dir, name)).catch(ignoreMissing);
				continue;
			}
			const match = /^([0-9a-z]+)\.(eml|json)$/.exec(name);
			if (!match || !MESSAGE_ID_PATTERN.test(match[1]!)) continue;
			(match[2] === 'json' ? metaIds : rawIds).add(match[1]!);
		}
		const result: ScanResult = { summaries: [], orphans: [], problems: [] };
		const ids = [...metaIds];
		for (let i = 0; i < ids.length; i += SCAN_CONCURRENCY) {
			const batch = ids.slice(i, i + SCAN_CONCURRENCY);
			const read = await Promise.all(
				batch.map(async (id) => {
					try {
						const meta = await this.readMeta(id);
						if (meta.summary.id !== id) throw new Error(`holds the id ${meta.summary.id}`);
						return meta;
					} catch (error) {
						result.problems.push({ file: `${id}.json`, reason: error instanceof Error ? error.message : String(error) });
						return null;
					}
				}),
			);
			for (const meta of read) if (meta) result.summaries.push(meta.summary);
		}
		const good = new Set(result.summaries.map((summary) => summary.id));
		for (const id of rawIds) if (!good.has(id)) result.orphans.push(id);
		for (const id of metaIds) if (good.has(id) && !rawIds.has(id)) {
			// Metadata without its mail cannot be shown; drop it.
			result.summaries = result.summaries.filter((summary) => summary.id !== id);
			await unlink(this.metaPath(id)).catch(ignoreMissing);
		}
		return result;
	}

	private async syncDir(): Promise<void> {
		const handle = await open(this.dir, 'r');
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	}
}

/** Temp file + fsync + rename: readers see the old file or the whole new one, never a torn write. */
async function writeDurably(path: string, data: Buffer): Promise<void> {
	const temp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
	const handle = await open(temp, 'w', 0o600);
	try {
		await handle.writeFile(data);
		await handle.sync();
	} finally {
		await handle.close();
	}
	await rename(temp, path);
}

function parseMeta(text: string): StoredMeta {
	const value = JSON.parse(text) as Partial<StoredMeta>;
	if (value.version !== 1 || typeof value.summary?.id !== 'string' || typeof value.session !== 'object') {
		throw new Error('is not Postlab message metadata');
	}
	return value as StoredMeta;
}

function ignoreMissing(error: unknown): void {
	if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
