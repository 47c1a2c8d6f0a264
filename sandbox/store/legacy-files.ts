/**
 * Reader for the store's previous disk layout, kept only to import it once into the journal: each message
 * was two files in `<data>/messages/`, `<id>.eml` (raw bytes) and `<id>.json` (summary and delivery facts).
 * A learner who updates Postlab keeps the mail they captured before.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageSummary, SessionFacts } from './types.ts';

/** What `<id>.json` held, and what a journal message record holds as its metadata. */
export interface StoredMeta {
	version: 1;
	summary: MessageSummary;
	session: SessionFacts;
	parseError: string | null;
}

/** Ids are made by the store; anything else in a URL is refused before it reaches the store. */
export const MESSAGE_ID_PATTERN = /^[0-9a-z]{12,40}$/;

export interface LegacyMessage {
	id: string;
	raw: Buffer;
	/** Null when `<id>.json` is missing or unreadable: the importer rebuilds it from the raw bytes. */
	meta: StoredMeta | null;
}

export function legacyDir(dataDir: string): string {
	return join(dataDir, 'messages');
}

/** Ids of the `.eml` files in the old layout, oldest first; empty when there is no old folder. */
export async function listLegacy(dataDir: string): Promise<string[]> {
	let names: string[];
	try {
		names = await readdir(legacyDir(dataDir));
	} catch {
		return [];
	}
	const ids: string[] = [];
	for (const name of names) {
		const match = /^([0-9a-z]+)\.eml$/.exec(name);
		if (match && MESSAGE_ID_PATTERN.test(match[1]!)) ids.push(match[1]!);
	}
	return ids.sort();
}

export async function readLegacy(dataDir: string, id: string): Promise<LegacyMessage> {
	const dir = legacyDir(dataDir);
	const raw = await readFile(join(dir, `${id}.eml`));
	let meta: StoredMeta | null = null;
	try {
		meta = parseMeta(await readFile(join(dir, `${id}.json`), 'utf8'));
		if (meta.summary.id !== id) meta = null;
	} catch {
		meta = null;
	}
	return { id, raw, meta };
}

function parseMeta(text: string): StoredMeta {
	const value = JSON.parse(text) as Partial<StoredMeta>;
	if (value.version !== 1 || typeof value.summary?.id !== 'string' || typeof value.session !== 'object') {
		throw new Error('is not Postlab message metadata');
	}
	return value as StoredMeta;
}
