/**
 * The MIME structure of a message (RFC 2045/2046) with the byte offsets of every part, which IMAP needs
 * to serve sections such as BODY[2.1] or BODY[1.MIME] and to describe the message in BODYSTRUCTURE.
 * Works on the served bytes; nothing is decoded, because IMAP hands parts out exactly as stored.
 */
import { headerEnd } from '../mailread/message-bytes.ts';

export interface HeaderField {
	/** Lower-cased. */
	name: string;
	/** Unfolded, trimmed, as latin1 text (the raw bytes). */
	value: string;
}

export interface MimePart {
	/** Offset of the part's header. */
	start: number;
	/** Offset of the body (just past the blank line). */
	bodyStart: number;
	/** End of the body, exclusive. */
	end: number;
	headers: HeaderField[];
	/** Lower-cased, e.g. `text`, `multipart`. */
	type: string;
	subtype: string;
	params: Array<[string, string]>;
	children: MimePart[];
	/** For message/rfc822 parts: the message inside. */
	message: MimePart | null;
}

/** Deeper nesting than this is treated as an opaque part; real mail rarely nests more than 5 levels. */
const MAX_DEPTH = 20;

export function parseMime(data: Buffer): MimePart {
	return parsePart(data, 0, data.length, 'text/plain', 0);
}

export function headerValue(part: MimePart, name: string): string | null {
	return part.headers.find((h) => h.name === name)?.value ?? null;
}

function parsePart(data: Buffer, start: number, end: number, defaultType: string, depth: number): MimePart {
	const bodyStart = Math.min(start + headerEnd(data.subarray(start, end)), end);
	const headers = parseHeaders(data.toString('latin1', start, bodyStart));
	const contentType = headers.find((h) => h.name === 'content-type')?.value;
	const parsed = parseParameterised(contentType ?? defaultType);
	let [type = 'text', subtype = 'plain'] = parsed.value.toLowerCase().split('/');
	if (!/^[\w.+-]+$/.test(type) || !/^[\w.+-]+$/.test(subtype)) [type, subtype] = ['text', 'plain'];
	const part: MimePart = { start, bodyStart, end, headers, type, subtype, params: parsed.params, children: [], message: null };
	if (depth >= MAX_DEPTH) return part;
	const boundary = parsed.params.find(([k]) => k === 'boundary')?.[1];
	if (type === 'multipart' && boundary) {
		const childDefault = subtype === 'digest' ? 'message/rfc822' : 'text/plain';
		for (const [s, e] of multipartBodies(data, bodyStart, end, boundary)) {
			part.children.push(parsePart(data, s, e, childDefault, depth + 1));
		}
	} else if (type === 'message' && subtype === 'rfc822') {
		part.message = parsePart(data, bodyStart, end, 'text/plain', depth + 1);
	}
	return part;
}

/** [start, end) of each body part between boundary lines; the CRLF before a boundary belongs to it (RFC 2046 §5.1.1). */
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
			const crlf = data[at - 2] === 0x0d ? 2 : 1;
			parts.push([partStart, Math.max(partStart, at - crlf)]);
		}
		if (closing || lineEnd === -1) return parts;
		partStart = lineEnd + 1;
	}
	// A message without its closing boundary: the last part runs to the end.
	if (partStart !== -1 && partStart <= to) parts.push([partStart, to]);
	return parts;
}

export function parseHeaders(text: string): HeaderField[] {
	const fields: HeaderField[] = [];
	for (const line of text.split(/\r?\n/)) {
		if (line === '') continue;
		const last = fields.at(-1);
		if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
			last.value = `${last.value} ${line.trim()}`;
			continue;
		}
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		fields.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() });
	}
	return fields;
}

/** `text/plain; charset="utf-8"; format=flowed` → value and parameters (names lower-cased). */
export function parseParameterised(header: string): { value: string; params: Array<[string, string]> } {
	const params: Array<[string, string]> = [];
	const semicolon = header.indexOf(';');
	const value = (semicolon === -1 ? header : header.slice(0, semicolon)).trim();
	const rest = semicolon === -1 ? '' : header.slice(semicolon + 1);
	const param = /\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))\s*;?/g;
	for (let match = param.exec(rest); match; match = param.exec(rest)) {
		const name = (match[1] ?? '').toLowerCase();
		const raw = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '').trim();
		params.push([name, raw]);
	}
	return { value, params };
}
