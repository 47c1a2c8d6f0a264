/**
 * The MIME structure of a message (RFC 2045/2046) with the byte offsets of every part: the one walk the store's
 * body index (preview text, attachment count) and IMAP (BODYSTRUCTURE, BODY[1.2], SEARCH) share. Content-Type and
 * Content-Disposition are read by libmime the way mailparser reads them: comments dropped, RFC 2231 continuations
 * joined and their charsets decoded, RFC 2047 words in parameters decoded. The parts' bytes are not decoded: IMAP
 * hands them out exactly as stored.
 */
import libmime from 'libmime';
import { headerEnd, unfoldHeaders, type HeaderField } from './header-block.ts';

/**
 * Parts nested deeper than this are kept whole, not split further. Real mail nests a few levels (each forward as
 * an attachment adds two); the limit keeps a hostile message from driving the walk, our BODYSTRUCTURE and the
 * client's parser of it into thousands of levels of recursion.
 */
export const MAX_MIME_DEPTH = 50;
/**
 * Parts beyond this many are not split out. mailparser refuses a message with more (mailsplit's default
 * `maxChildNodes`), so the detail view never shows them either.
 */
export const MAX_MIME_PARTS = 1000;

/** A header value with `; name=value` parameters, e.g. Content-Type or Content-Disposition. */
export interface ParameterisedValue {
	/** Lower-cased, e.g. `text/plain` or `attachment`. */
	readonly value: string;
	/** Names lower-cased, values decoded, in the order the header gives them. */
	readonly params: ReadonlyArray<readonly [string, string]>;
}

export interface MimePart {
	/** Offset of the part's header. */
	start: number;
	/** Offset of the body (just past the empty line). */
	bodyStart: number;
	/** End of the body, exclusive. */
	end: number;
	/** As written, unfolded; values are the raw bytes as latin1 text. */
	headers: HeaderField[];
	/** Lower-cased, e.g. `text`, `multipart`. */
	type: string;
	subtype: string;
	/** Content-Type parameters. */
	params: ReadonlyArray<readonly [string, string]>;
	/** Content-Disposition, or null when the part has none. */
	disposition: ParameterisedValue | null;
	children: MimePart[];
	/** For message/rfc822 parts: the message inside. */
	message: MimePart | null;
}

/** Counts parts across one walk, so MAX_MIME_PARTS bounds the whole tree. */
interface Walk {
	data: Buffer;
	parts: number;
}

export function parseMime(data: Buffer): MimePart {
	return parsePart({ data, parts: 0 }, 0, data.length, 'text/plain', 0);
}

export function headerValue(part: Pick<MimePart, 'headers'>, name: string): string | null {
	return part.headers.find((h) => h.name === name)?.value ?? null;
}

export function param(params: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
	return params.find(([key]) => key === name)?.[1];
}

function parsePart(walk: Walk, start: number, end: number, defaultType: string, depth: number): MimePart {
	walk.parts += 1;
	const { data } = walk;
	const { bodyStart } = headerEnd(data, start, end);
	const headers = unfoldHeaders(data.toString('latin1', start, bodyStart));
	const contentType = parseParameterised(headerValue({ headers }, 'content-type') ?? defaultType);
	let [type = 'text', subtype = 'plain'] = contentType.value.split('/');
	if (!/^[\w.+-]+$/.test(type) || !/^[\w.+-]+$/.test(subtype)) [type, subtype] = ['text', 'plain'];
	const dispositionHeader = headerValue({ headers }, 'content-disposition');
	const disposition = dispositionHeader === null ? null : parseParameterised(dispositionHeader);
	const part: MimePart = { start, bodyStart, end, headers, type, subtype, params: contentType.params, disposition, children: [], message: null };
	if (depth >= MAX_MIME_DEPTH) return part;
	const boundary = param(contentType.params, 'boundary');
	if (type === 'multipart' && boundary) {
		const childDefault = subtype === 'digest' ? 'message/rfc822' : 'text/plain';
		for (const [s, e] of multipartBodies(data, bodyStart, end, boundary)) {
			if (walk.parts >= MAX_MIME_PARTS) break;
			part.children.push(parsePart(walk, s, e, childDefault, depth + 1));
		}
	} else if (type === 'message' && subtype === 'rfc822' && walk.parts < MAX_MIME_PARTS) {
		part.message = parsePart(walk, bodyStart, end, 'text/plain', depth + 1);
	}
	return part;
}

/**
 * [start, end) of each body part between boundary lines. A delimiter starts a line and may be followed only by
 * blanks (or `--` when it closes); the line break before it belongs to it (RFC 2046 §5.1.1).
 */
function multipartBodies(data: Buffer, from: number, to: number, boundary: string): Array<[number, number]> {
	const marker = Buffer.from(`--${boundary}`, 'latin1');
	const parts: Array<[number, number]> = [];
	let partStart = -1;
	for (let at = data.indexOf(marker, from); at !== -1 && at < to; at = data.indexOf(marker, at + marker.length)) {
		if (at !== from && data[at - 1] !== 0x0a) continue;
		const lineEnd = data.indexOf(0x0a, at);
		const afterMarker = data.toString('latin1', at + marker.length, lineEnd === -1 ? to : Math.min(lineEnd, to));
		const closing = afterMarker.startsWith('--');
		if (!closing && afterMarker.trim() !== '') continue;
		if (partStart !== -1) {
			const lineBreak = data[at - 2] === 0x0d ? 2 : 1;
			parts.push([partStart, Math.max(partStart, at - lineBreak)]);
		}
		if (closing || lineEnd === -1 || lineEnd >= to) return parts;
		partStart = lineEnd + 1;
	}
	// A message without its closing delimiter: the last part runs to the end.
	if (partStart !== -1 && partStart <= to) parts.push([partStart, to]);
	return parts;
}

/**
 * Content-Type and Content-Disposition values repeat from message to message (a program's mail carries the
 * same few), so each is parsed once: libmime's parse of them was 9% of the store's CPU for a small message
 * (a profile of the store alone). Only short values are kept, and at most this many: a message's own long
 * or unique values (a boundary) are parsed for it alone.
 */
const parsedValues = new Map<string, ParameterisedValue>();
const MAX_PARSED_VALUES = 256;
const MAX_PARSED_VALUE_LENGTH = 200;

/**
 * `text/plain; charset="utf-8"; name*=utf-8''%ED%95%9C.txt` → value and decoded parameters. The raw header is
 * read as UTF-8 first (RFC 6532 allows it in headers), as mailparser does. The answer is shared: frozen.
 */
export function parseParameterised(raw: string): ParameterisedValue {
	const known = parsedValues.get(raw);
	if (known) return known;
	const parsed = parseValue(raw);
	if (raw.length <= MAX_PARSED_VALUE_LENGTH) {
		if (parsedValues.size >= MAX_PARSED_VALUES) parsedValues.clear();
		parsedValues.set(raw, parsed);
	}
	return parsed;
}

function parseValue(raw: string): ParameterisedValue {
	const parsed = libmime.parseHeaderValue(Buffer.from(raw, 'latin1').toString('utf8'), { stripComments: true });
	// Values assembled from RFC 2231 segments are decoded already; decoding them again would read a literal
	// `=?…?=` in a file name as an encoded word.
	const rfc2231 = new Set(parsed.decodedParams);
	const params = Object.entries(parsed.params)
		.filter(([name]) => name !== '')
		.map(([name, value]): [string, string] => [name, rfc2231.has(name) ? value : libmime.decodeWords(value)]);
	for (const pair of params) Object.freeze(pair);
	return Object.freeze({ value: parsed.value.trim().toLowerCase(), params: Object.freeze(params) });
}
