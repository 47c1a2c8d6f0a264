/**
 * ENVELOPE and BODYSTRUCTURE (RFC 3501 §7.4.2): the summary of a message a mail client shows in its list
 * and uses to decide which parts to download. Values are given as the message has them (encoded words
 * stay encoded, as the RFC asks); the client decodes.
 */
import libmime from 'libmime';
import addressparser from 'nodemailer/lib/addressparser';
import { headerValue, type MimePart } from '../mail/mime-tree.ts';
import { list, nstring, type ResponsePiece } from './imap-response.ts';

export function envelope(part: MimePart): ResponsePiece[] {
	const header = (name: string): string | null => headerValue(part, name);
	const from = addresses(header('from'));
	return list([
		[nstring(header('date'))],
		[nstring(header('subject'))],
		from,
		header('sender') ? addresses(header('sender')) : from,
		header('reply-to') ? addresses(header('reply-to')) : from,
		addresses(header('to')),
		addresses(header('cc')),
		addresses(header('bcc')),
		[nstring(header('in-reply-to'))],
		[nstring(header('message-id'))],
	]);
}

/** RFC 3501 address structure: (name adl mailbox host); groups as a start marker and an end marker. */
function addresses(value: string | null): ResponsePiece[] {
	if (value === null || value.trim() === '') return ['NIL'];
	const parsed = addressparser(Buffer.from(value, 'latin1').toString('utf8'));
	const items: ResponsePiece[][] = [];
	const asLatin1 = (text: string): string | null => (text === '' ? null : Buffer.from(text, 'utf8').toString('latin1'));
	const mailbox = (name: string, address: string): ResponsePiece[] => {
		const at = address.lastIndexOf('@');
		const local = at === -1 ? address : address.slice(0, at);
		const host = at === -1 ? null : address.slice(at + 1);
		return list([[nstring(asLatin1(name))], ['NIL'], [nstring(asLatin1(local))], [nstring(host === null ? null : asLatin1(host))]]);
	};
	for (const entry of parsed) {
		if (entry.group) {
			items.push(list([['NIL'], ['NIL'], [nstring(asLatin1(entry.name))], ['NIL']]));
			for (const member of entry.group) if (!member.group) items.push(mailbox(member.name, member.address));
			items.push(list([['NIL'], ['NIL'], ['NIL'], ['NIL']]));
		} else {
			items.push(mailbox(entry.name, entry.address));
		}
	}
	if (items.length === 0) return ['NIL'];
	return ['(', ...items.flat(), ')'];
}

/** BODYSTRUCTURE with extension data (`extended`) or the older BODY form without it. */
export function bodyStructure(part: MimePart, data: Buffer, extended: boolean): ResponsePiece[] {
	if (part.type === 'multipart') {
		const children = part.children.length > 0 ? part.children.map((c) => bodyStructure(c, data, extended)) : [emptyTextPart()];
		const out: ResponsePiece[] = ['(', ...children.flat(), ' ', nstring(part.subtype.toUpperCase())];
		if (extended) out.push(' ', ...paramList(part.params), ' ', ...disposition(part), ' ', ...language(part), ' ', nstring(headerValue(part, 'content-location')));
		out.push(')');
		return out;
	}
	const size = part.end - part.bodyStart;
	const encoding = (headerValue(part, 'content-transfer-encoding') ?? '7bit').toUpperCase();
	const fields: ResponsePiece[][] = [
		[nstring(part.type.toUpperCase())],
		[nstring(part.subtype.toUpperCase())],
		paramList(part.params),
		[nstring(headerValue(part, 'content-id'))],
		[nstring(headerValue(part, 'content-description'))],
		[nstring(encoding)],
		[String(size)],
	];
	if (part.type === 'message' && part.subtype === 'rfc822' && part.message) {
		fields.push(envelope(part.message), bodyStructure(part.message, data, extended), [String(lineCount(data, part))]);
	} else if (part.type === 'text') {
		fields.push([String(lineCount(data, part))]);
	}
	if (extended) fields.push([nstring(headerValue(part, 'content-md5'))], disposition(part), language(part), [nstring(headerValue(part, 'content-location'))]);
	return list(fields);
}

function emptyTextPart(): ResponsePiece[] {
	return ['("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0)'];
}

/**
 * Parameters as the MIME tree decoded them, RFC 2231 continuations joined. A value that is not ASCII goes out in
 * RFC 2231's extended form (`NAME*` "utf-8''%ED%95%9C.txt"), which IMAP's 7-bit strings can carry and clients
 * decode, whether the message had it that way, in encoded words or as raw UTF-8.
 */
function paramList(params: ReadonlyArray<readonly [string, string]>): ResponsePiece[] {
	if (params.length === 0) return ['NIL'];
	return list(
		params.flatMap(([name, value]) =>
			/^[\x00-\x7f]*$/.test(value)
				? [[nstring(name.toUpperCase())], [nstring(value)]]
				: [[nstring(`${name.toUpperCase()}*`)], [nstring(`utf-8''${libmime.safeEncodeURIComponent(value)}`)]],
		),
	);
}

function disposition(part: MimePart): ResponsePiece[] {
	if (!part.disposition) return ['NIL'];
	return list([[nstring(part.disposition.value.toUpperCase())], paramList(part.disposition.params)]);
}

function language(part: MimePart): ResponsePiece[] {
	const value = headerValue(part, 'content-language');
	return value ? [nstring(value)] : ['NIL'];
}

/** Text lines in the body; a last line without a line end still counts (the boundary's CRLF is not the part's). */
function lineCount(data: Buffer, part: MimePart): number {
	let count = 0;
	for (let i = data.indexOf(0x0a, part.bodyStart); i !== -1 && i < part.end; i = data.indexOf(0x0a, i + 1)) count += 1;
	if (part.end > part.bodyStart && data[part.end - 1] !== 0x0a) count += 1;
	return count;
}
