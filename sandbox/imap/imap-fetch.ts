/**
 * FETCH (RFC 3501 §6.4.5): which data items a client asked for, and the bytes each one names. Sections
 * follow §6.4.5's part numbering: `1.2` walks multiparts, a message/rfc822 part opens into its message,
 * a non-multipart message has only part 1, and MIME/HEADER/TEXT/HEADER.FIELDS pick pieces of a part.
 */
import type { ImapToken } from './imap-command-parser.ts';
import { unfoldHeaders } from '../mail/header-block.ts';
import type { MimePart } from '../mail/mime-tree.ts';

export type FetchItem =
	| { kind: 'FLAGS' | 'UID' | 'INTERNALDATE' | 'RFC822.SIZE' | 'ENVELOPE' | 'BODYSTRUCTURE' | 'BODY' }
	| { kind: 'RFC822' | 'RFC822.HEADER' | 'RFC822.TEXT' }
	| { kind: 'section'; section: SectionSpec; peek: boolean; partial: { start: number; count: number } | null; label: string };

export interface SectionSpec {
	path: number[];
	/** '' (the whole part), HEADER, TEXT, MIME, HEADER.FIELDS or HEADER.FIELDS.NOT. */
	specifier: '' | 'HEADER' | 'TEXT' | 'MIME' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT';
	/** Lower-cased header names for HEADER.FIELDS(.NOT). */
	fields: string[];
}

/** Numbers in FETCH are unsigned 32-bit (RFC 9051 §9 number, nz-number). */
const MAX_NUMBER = 0xffff_ffff;

const MACROS: Record<string, string[]> = {
	ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
	FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
	FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

const SIMPLE = new Set(['FLAGS', 'UID', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT']);

/** Parses the fetch attribute argument; throws an Error with a message for the BAD response. */
export function parseFetchItems(token: ImapToken | undefined): FetchItem[] {
	if (!token) throw new Error('FETCH needs data items');
	const atoms: string[] = [];
	if (token.type === 'list') {
		for (const item of token.items) {
			if (item.type !== 'atom') throw new Error('FETCH data items must be atoms');
			atoms.push(item.value);
		}
	} else if (token.type === 'atom') {
		const macro = MACROS[token.value.toUpperCase()];
		atoms.push(...(macro ?? [token.value]));
	} else {
		throw new Error('FETCH data items must be atoms');
	}
	return atoms.map(parseItem);
}

function parseItem(atom: string): FetchItem {
	const upper = atom.toUpperCase();
	if (SIMPLE.has(upper)) return { kind: upper } as FetchItem;
	const match = /^(BODY(?:\.PEEK)?)\[([^\]]*)\](?:<(\d{1,10})\.(\d{1,10})>)?$/i.exec(atom);
	if (!match) throw new Error(`Unknown FETCH data item "${atom.slice(0, 40)}"`);
	const section = parseSection(match[2] ?? '');
	const partial = match[3] !== undefined ? { start: Number(match[3]), count: Number(match[4]) } : null;
	// section-partial is "<" number "." nz-number ">", both 32-bit (RFC 9051 §9): zero octets is no range.
	if (partial && (partial.count === 0 || partial.start > MAX_NUMBER || partial.count > MAX_NUMBER)) throw new Error('Bad partial range: <start.count> with a count of 1 to 4294967295');
	const label = `BODY[${(match[2] ?? '').toUpperCase()}]${partial ? `<${partial.start}>` : ''}`;
	return { kind: 'section', section, peek: match[1]?.toUpperCase() === 'BODY.PEEK', partial, label };
}

function parseSection(text: string): SectionSpec {
	// section-spec (RFC 9051 §9): a part number, then "." and a name; or a name alone. The header list follows SP.
	const match = /^(?:([1-9]\d{0,5}(?:\.[1-9]\d{0,5})*)(?:\.(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME))?|(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME))?(?: +\(([^)]*)\))?$/i.exec(text.trim());
	if (!match) throw new Error(`Bad section "${text.slice(0, 40)}"`);
	const path = match[1] ? match[1].split('.').map(Number) : [];
	const specifier = ((match[2] ?? match[3])?.toUpperCase() ?? '') as SectionSpec['specifier'];
	if (specifier === 'MIME' && path.length === 0) throw new Error('MIME needs a part number');
	const hasFields = specifier === 'HEADER.FIELDS' || specifier === 'HEADER.FIELDS.NOT';
	if (hasFields !== (match[4] !== undefined)) throw new Error('HEADER.FIELDS needs a list of header names');
	const fields = (match[4] ?? '')
		.split(/\s+/)
		.map((f) => f.replace(/^"|"$/g, '').toLowerCase())
		.filter((f) => f !== '');
	if (hasFields && fields.length === 0) throw new Error('HEADER.FIELDS needs at least one header name');
	return { path, specifier, fields };
}

/** The bytes a section names, or null when the message has no such part (answered as NIL). */
export function sectionBytes(data: Buffer, root: MimePart, section: SectionSpec): Buffer | null {
	let node: MimePart = root;
	for (const number of section.path) {
		if (node.type === 'message' && node.subtype === 'rfc822' && node.message && node !== root) node = node.message;
		if (node.type === 'multipart') {
			const child = node.children[number - 1];
			if (!child) return null;
			node = child;
		} else if (number !== 1) {
			return null;
		}
	}
	if (section.path.length === 0) return pieceOf(data, root, section);
	switch (section.specifier) {
		case '':
			return data.subarray(node.bodyStart, node.end);
		case 'MIME':
			return data.subarray(node.start, node.bodyStart);
		default:
			// HEADER/TEXT of a part only make sense for an attached message (RFC 3501 §6.4.5).
			if (node.type !== 'message' || node.subtype !== 'rfc822' || !node.message) return null;
			return pieceOf(data, node.message, section);
	}
}

function pieceOf(data: Buffer, message: MimePart, section: SectionSpec): Buffer {
	switch (section.specifier) {
		case 'HEADER':
			return data.subarray(message.start, message.bodyStart);
		case 'TEXT':
			return data.subarray(message.bodyStart, message.end);
		case 'HEADER.FIELDS':
		case 'HEADER.FIELDS.NOT':
			return headerFields(data.toString('latin1', message.start, message.bodyStart), section.fields, section.specifier === 'HEADER.FIELDS.NOT');
		default:
			return data.subarray(message.start, message.end);
	}
}

/** The header lines (folding kept) whose names are (or are not) listed, then the blank line. */
function headerFields(header: string, names: string[], exclude: boolean): Buffer {
	const wanted = new Set(names);
	const lines = header.split(/(?<=\n)/);
	let out = '';
	let keep = false;
	for (const line of lines) {
		if (line === '\r\n' || line === '\n') break;
		if (line.startsWith(' ') || line.startsWith('\t')) {
			if (keep) out += line;
			continue;
		}
		const name = unfoldHeaders(line)[0]?.name;
		keep = name !== undefined && wanted.has(name) !== exclude;
		if (keep) out += line.endsWith('\n') ? line : `${line}\r\n`;
	}
	return Buffer.from(`${out}\r\n`, 'latin1');
}
