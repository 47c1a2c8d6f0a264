/**
 * Turns raw RFC 5322 bytes into what the detail view shows, with mailparser: `parseFull` runs when someone
 * opens a message (in the render worker, see message-renderer.ts), never on the ingest path
 * (header-index.ts and body-index.ts make the list entry there). Broken mail never throws from here: the
 * result says so instead.
 */
import { simpleParser, type AddressObject, type HeaderValue, type ParsedMail } from 'mailparser';
import type { Address } from '../store/types.ts';
import type { AttachmentInfo } from './message-content.ts';
import { MAX_HTML_TO_TEXT_CHARS } from './html-limits.ts';
import { errorMessage } from '../error-text.ts';

/** A fully parsed message: everything the detail view and the attachment downloads need. */
export interface FullParse {
	mail: ParsedMail | null;
	parseError: string | null;
}

/**
 * `htmlToText`: for a message with only an HTML part, make its text part from the HTML (mailparser's
 * html-to-text, for HTML within MAX_HTML_TO_TEXT_CHARS; mailparser refuses deep nesting itself). Off when
 * the HTML already proved too costly.
 */
export async function parseFull(raw: Buffer, options: { htmlToText?: boolean } = {}): Promise<FullParse> {
	try {
		const mail = await simpleParser(raw, {
			skipTextToHtml: true,
			skipTextLinks: true,
			keepCidLinks: true,
			skipHtmlToText: options.htmlToText === false,
			maxHtmlLengthToParse: MAX_HTML_TO_TEXT_CHARS,
		});
		return { mail, parseError: null };
	} catch (error) {
		return { mail: null, parseError: describe(error) };
	}
}

export function firstAddress(value: AddressObject | undefined): Address | null {
	return addresses(value)[0] ?? null;
}

/** Flattens mailparser's address objects (and groups) into name/address pairs. */
export function addresses(value: AddressObject | AddressObject[] | undefined): Address[] {
	if (!value) return [];
	const list = Array.isArray(value) ? value : [value];
	const out: Address[] = [];
	for (const object of list) {
		for (const entry of object.value) {
			if (entry.group) for (const member of entry.group) out.push({ name: member.name ?? '', address: member.address ?? '' });
			else out.push({ name: entry.name ?? '', address: entry.address ?? '' });
		}
	}
	return out;
}

/** Header lines in their original order, values decoded (encoded words, address lists, dates). */
export function decodedHeaders(mail: ParsedMail): Array<[string, string]> {
	const seen = new Map<string, number>();
	return mail.headerLines.map(({ key, line }) => {
		const occurrence = seen.get(key) ?? 0;
		seen.set(key, occurrence + 1);
		const name = line.slice(0, Math.max(0, line.indexOf(':'))) || key;
		const value = headerText(mail.headers.get(key), occurrence) ?? unfold(line.slice(line.indexOf(':') + 1));
		return [name, value];
	});
}

export function attachmentInfo(mail: ParsedMail): AttachmentInfo[] {
	return mail.attachments.map((attachment, index) => {
		const info: AttachmentInfo = {
			index,
			filename: attachment.filename ?? `attachment-${index + 1}`,
			contentType: attachment.contentType,
			size: attachment.size,
			inline: attachment.contentDisposition === 'inline' || attachment.related === true,
		};
		if (attachment.cid) info.contentId = attachment.cid;
		return info;
	});
}

function headerText(value: HeaderValue | undefined, occurrence: number): string | null {
	return describeHeader(value as unknown, occurrence);
}

/** mailparser's header values are strings, dates, address objects or `{ value, params }`, or arrays of them. */
function describeHeader(value: unknown, occurrence: number): string | null {
	if (value === undefined || value === null) return null;
	if (Array.isArray(value)) {
		const item: unknown = value[occurrence] ?? value[0];
		return describeHeader(item, 0);
	}
	if (typeof value === 'string') return value;
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toUTCString();
	if (typeof value !== 'object') return String(value);
	const record = value as Record<string, unknown>;
	if (typeof record['text'] === 'string') return record['text'];
	if (typeof record['value'] === 'string') {
		const params = Object.entries((record['params'] ?? {}) as Record<string, unknown>).map(
			([name, param]) => `; ${name}="${String(param)}"`,
		);
		return record['value'] + params.join('');
	}
	return null;
}

function unfold(value: string): string {
	return value.replace(/\r?\n[ \t]+/g, ' ').trim();
}

function describe(error: unknown): string {
	return `The message could not be parsed (${errorMessage(error)}). It is kept exactly as received: see the raw source.`;
}
