/**
 * Turns raw RFC 5322 bytes into what the inbox shows, with mailparser. Two depths: `summarize` runs once
 * per arriving message and skips the costly parts (text↔HTML conversion, link detection); `parseFull`
 * runs when someone opens the message. Broken mail never throws from here: the summary says so instead.
 */
import { simpleParser, type AddressObject, type HeaderValue, type ParsedMail } from 'mailparser';
import type { Address, AttachmentInfo } from './types.ts';

/** What the list needs, computed once at arrival. */
export interface ParsedSummary {
	subject: string;
	from: Address | null;
	to: Address[];
	/** ISO 8601 from the Date header, or null when it is missing or unreadable. */
	date: string | null;
	snippet: string;
	attachmentCount: number;
	parseError: string | null;
}

/** Length of the list's preview text. */
const SNIPPET_LENGTH = 120;

export async function summarize(raw: Buffer): Promise<ParsedSummary> {
	try {
		const mail = await simpleParser(raw, {
			skipHtmlToText: false,
			skipTextToHtml: true,
			skipTextLinks: true,
			skipImageLinks: true,
			keepCidLinks: true,
		});
		return {
			subject: mail.subject ?? '',
			from: firstAddress(mail.from),
			to: addresses(mail.to),
			date: validDate(mail.date),
			snippet: snippet(mail.text ?? ''),
			attachmentCount: mail.attachments.filter((attachment) => !attachment.related).length,
			parseError: null,
		};
	} catch (error) {
		return { subject: '', from: null, to: [], date: null, snippet: '', attachmentCount: 0, parseError: describe(error) };
	}
}

/** A fully parsed message: everything the detail view and the attachment downloads need. */
export interface FullParse {
	mail: ParsedMail | null;
	parseError: string | null;
}

export async function parseFull(raw: Buffer): Promise<FullParse> {
	try {
		const mail = await simpleParser(raw, { skipTextToHtml: true, skipTextLinks: true, keepCidLinks: true });
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

function validDate(date: Date | undefined): string | null {
	return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

function snippet(text: string): string {
	const collapsed = text.replace(/\s+/g, ' ').trim();
	return collapsed.length > SNIPPET_LENGTH ? `${collapsed.slice(0, SNIPPET_LENGTH - 1)}…` : collapsed;
}

function describe(error: unknown): string {
	const reason = error instanceof Error ? error.message : String(error);
	return `The message could not be parsed (${reason}). It is kept exactly as received: see the raw source.`;
}
