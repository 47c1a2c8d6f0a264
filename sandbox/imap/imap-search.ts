/**
 * SEARCH and UID SEARCH (RFC 3501 §6.4.4) over the selected mailbox. Flag keys look at the flags the session
 * shows (the store's durable ones and the session's keywords; no message is ever \Recent). Text keys compare
 * case-insensitively with header values after decoding encoded words, and BODY and TEXT with the decoded text
 * of the text parts (base64 and quoted-printable undone, charsets such as UTF-8, EUC-KR and ISO-2022-KR read),
 * found by the same MIME walk the inbox's preview uses: a mail client's search finds the words a reader sees.
 * Unknown keys are reported so the client gets a BAD that names them.
 */
import type { ImapToken } from './imap-command-parser.ts';
import libmime from 'libmime';
import { headerEnd, unfoldHeaders } from '../mail/header-block.ts';
import { parseMime, type MimePart } from '../mail/mime-tree.ts';
import { partText } from '../mail/part-text.ts';
import { inRanges, parseSequenceSet, resolveRanges } from './sequence-set.ts';

export interface SearchCandidate {
	seq: number;
	uid: number;
	size: number;
	receivedAt: Date;
	/** Flags set in this session. */
	flags: ReadonlySet<string>;
	/** Served bytes, read only when a key needs them. */
	bytes(): Promise<Buffer>;
}

export interface SearchContext {
	largestSeq: number;
	largestUid: number;
}

type Predicate = (message: SearchCandidate, context: SearchContext) => Promise<boolean> | boolean;

export class SearchSyntaxError extends Error {}

/**
 * SEARCH named a charset we do not decode. RFC 9051 §6.4.4 answers this NO with a BADCHARSET response code
 * listing the ones we do (not BAD: the command was well formed), so the session tells it apart by type.
 */
export class BadCharsetError extends SearchSyntaxError {
	/** The charsets a client may name instead. */
	readonly supported = ['UTF-8', 'US-ASCII'] as const;
	constructor() {
		super('Only UTF-8 and US-ASCII are supported');
	}
	/** The NO response's text: the response code, then the reason. */
	get response(): string {
		return `[BADCHARSET (${this.supported.join(' ')})] ${this.message}`;
	}
}

/**
 * Encoded body bytes decoded for one message's BODY/TEXT search at most: past it the rest of the message is not
 * searched, so one huge message costs a bounded amount of work and memory.
 */
export const MAX_SEARCH_SOURCE_BYTES = 8 * 1024 * 1024;

/** NOT, OR and parentheses nested deeper than any client's query (a thousand ORed terms). */
const MAX_KEY_DEPTH = 1000;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Compiles the search keys into one predicate (all keys must match). */
export function compileSearch(tokens: ImapToken[]): Predicate {
	const queue = [...tokens];
	const first = queue[0];
	if (first?.type === 'atom' && first.value.toUpperCase() === 'CHARSET') {
		const charset = queue[1];
		if (!charset || charset.type === 'list' || !/^(utf-8|us-ascii)$/i.test(charset.value)) {
			throw new BadCharsetError();
		}
		queue.splice(0, 2);
	}
	if (queue.length === 0) throw new SearchSyntaxError('SEARCH needs at least one key');
	const predicates: Predicate[] = [];
	while (queue.length > 0) predicates.push(compileKey(queue, 0));
	return all(predicates);
}

function all(predicates: Predicate[]): Predicate {
	return async (m, c) => {
		for (const p of predicates) if (!(await p(m, c))) return false;
		return true;
	};
}

function compileKey(queue: ImapToken[], depth: number): Predicate {
	// Each NOT, OR and list nests one call here and one when the predicate runs; literals let a 256 KB command
	// chain enough ORs to overflow the stack, which must be a clear BAD, not a RangeError.
	if (depth > MAX_KEY_DEPTH) throw new SearchSyntaxError(`Search keys nested too deeply (limit ${MAX_KEY_DEPTH})`);
	const token = queue.shift();
	if (!token) throw new SearchSyntaxError('Search key missing');
	if (token.type === 'list') {
		const inner = [...token.items];
		const predicates: Predicate[] = [];
		while (inner.length > 0) predicates.push(compileKey(inner, depth + 1));
		return all(predicates);
	}
	if (token.type === 'string') throw new SearchSyntaxError(`Unexpected string "${token.value.slice(0, 30)}"`);
	const key = token.value.toUpperCase();
	const sequence = parseSequenceSet(token.value);
	if (sequence) return (m, c) => inRanges(m.seq, resolveRanges(sequence, c.largestSeq));
	switch (key) {
		case 'ALL':
		case 'OLD':
			return () => true;
		case 'NEW':
		case 'RECENT':
			return () => false;
		case 'SEEN':
		case 'ANSWERED':
		case 'DELETED':
		case 'DRAFT':
		case 'FLAGGED': {
			const flag = `\\${key[0]}${key.slice(1).toLowerCase()}`;
			return (m) => m.flags.has(flag);
		}
		case 'UNSEEN':
		case 'UNANSWERED':
		case 'UNDELETED':
		case 'UNDRAFT':
		case 'UNFLAGGED': {
			const flag = `\\${key[2]}${key.slice(3).toLowerCase()}`;
			return (m) => !m.flags.has(flag);
		}
		case 'KEYWORD': {
			const keyword = stringArg(queue, key);
			return (m) => m.flags.has(keyword);
		}
		case 'UNKEYWORD': {
			const keyword = stringArg(queue, key);
			return (m) => !m.flags.has(keyword);
		}
		case 'UID': {
			const set = parseSequenceSet(stringArg(queue, key));
			if (!set) throw new SearchSyntaxError('UID needs a sequence set');
			return (m, c) => inRanges(m.uid, resolveRanges(set, c.largestUid));
		}
		case 'NOT': {
			const inner = compileKey(queue, depth + 1);
			return async (m, c) => !(await inner(m, c));
		}
		case 'OR': {
			const a = compileKey(queue, depth + 1);
			const b = compileKey(queue, depth + 1);
			return async (m, c) => (await a(m, c)) || (await b(m, c));
		}
		case 'LARGER':
		case 'SMALLER': {
			const n = numberArg(queue, key);
			return (m) => (key === 'LARGER' ? m.size > n : m.size < n);
		}
		case 'BEFORE':
		case 'ON':
		case 'SINCE': {
			const day = dateArg(queue, key);
			return (m) => compareDay(dayOf(m.receivedAt), day, key);
		}
		case 'SENTBEFORE':
		case 'SENTON':
		case 'SENTSINCE': {
			const day = dateArg(queue, key);
			return async (m) => {
				const date = new Date(headerText(await m.bytes(), 'date') ?? '');
				return !Number.isNaN(date.getTime()) && compareDay(dayOf(date), day, key.slice(4));
			};
		}
		case 'FROM':
		case 'TO':
		case 'CC':
		case 'BCC':
		case 'SUBJECT': {
			const needle = stringArg(queue, key).toLowerCase();
			return async (m) => (headerText(await m.bytes(), key.toLowerCase()) ?? '').toLowerCase().includes(needle);
		}
		case 'HEADER': {
			const name = stringArg(queue, key).toLowerCase();
			const needle = stringArg(queue, key).toLowerCase();
			return async (m) => {
				const value = headerText(await m.bytes(), name);
				return value !== null && value.toLowerCase().includes(needle);
			};
		}
		case 'BODY':
		case 'TEXT': {
			const needle = stringArg(queue, key).toLowerCase();
			return async (m) => searchableText(await m.bytes(), key === 'TEXT').toLowerCase().includes(needle);
		}
		default:
			throw new SearchSyntaxError(`Unknown search key "${token.value.slice(0, 30)}"`);
	}
}

/** A string argument, decoded from the latin1 wire form as UTF-8. */
function stringArg(queue: ImapToken[], key: string): string {
	const token = queue.shift();
	if (!token || token.type === 'list') throw new SearchSyntaxError(`${key} needs an argument`);
	return Buffer.from(token.value, 'latin1').toString('utf8');
}

function numberArg(queue: ImapToken[], key: string): number {
	const text = stringArg(queue, key);
	if (!/^\d{1,15}$/.test(text)) throw new SearchSyntaxError(`${key} needs a number`);
	return Number(text);
}

/** RFC 3501 date: 1-Feb-1994; returned as a comparable day number. */
function dateArg(queue: ImapToken[], key: string): number {
	const match = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(stringArg(queue, key));
	const month = match ? MONTHS.indexOf((match[2] ?? '').toLowerCase()) : -1;
	if (!match || month === -1) throw new SearchSyntaxError(`${key} needs a date like 1-Dec-2026`);
	return Date.UTC(Number(match[3]), month, Number(match[1])) / 86_400_000;
}

function dayOf(date: Date): number {
	return Math.floor(date.getTime() / 86_400_000);
}

function compareDay(day: number, wanted: number, how: string): boolean {
	if (how === 'BEFORE') return day < wanted;
	if (how === 'ON') return day === wanted;
	return day >= wanted;
}

/** A header's value with encoded words (RFC 2047) decoded, or null when absent. */
function headerText(data: Buffer, name: string): string | null {
	const fields = unfoldHeaders(data.toString('latin1', 0, headerEnd(data).end));
	const values = fields.filter((h) => h.name === name).map((h) => libmime.decodeWords(Buffer.from(h.value, 'latin1').toString('utf8')));
	return values.length > 0 ? values.join(', ') : null;
}

/**
 * What BODY (and with `withHeaders`, TEXT) searches: the decoded text parts, and for TEXT the decoded header
 * fields too (a forwarded message's own headers are part of its container's body, so they count for both).
 */
export function searchableText(data: Buffer, withHeaders: boolean): string {
	const out: string[] = [];
	let budget = MAX_SEARCH_SOURCE_BYTES;
	const root = parseMime(data);
	if (withHeaders) out.push(decodedHeaders(root));
	const visit = (part: MimePart): void => {
		if (budget <= 0) return;
		if (part.type === 'multipart') {
			for (const child of part.children) visit(child);
		} else if (part.message) {
			out.push(decodedHeaders(part.message));
			visit(part.message);
		} else if (part.type === 'text') {
			out.push(partText(data, part, budget));
			budget -= part.end - part.bodyStart;
		}
	};
	visit(root);
	return out.join('\n');
}

function decodedHeaders(part: MimePart): string {
	return part.headers.map((h) => `${h.name}: ${libmime.decodeWords(Buffer.from(h.value, 'latin1').toString('utf8'))}`).join('\n');
}
