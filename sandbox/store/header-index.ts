/**
 * What the inbox list needs from a message, read from its header block only: subject, sender,
 * recipients, date, and a hint of attachments from the top-level Content-Type. This runs on the ingest
 * path before the 250 reply, so it never looks at the body (a full mailparser parse costs ~0.5 ms per
 * small message and ~5 ms per heavy one; this costs a few microseconds). The preview text and the exact
 * attachment count come later, off that path (body-index.ts).
 */
import libmime from 'libmime';
import addressparser from 'nodemailer/lib/addressparser';
import { headerEnd, unfoldHeaders } from '../mail/header-block.ts';
import type { Address } from './types.ts';

export interface HeaderSummary {
	subject: string;
	from: Address | null;
	to: Address[];
	/** ISO 8601 from the Date header, or null when it is missing or unreadable. */
	date: string | null;
	/** 1 when the message is multipart/mixed (it almost always carries a file), else 0; body-index.ts corrects it. */
	attachmentHint: number;
}

/** Headers past this many bytes are not read for the summary (a header bomb must not stall ingest). */
const MAX_HEADER_BYTES = 256 * 1024;

export function summarizeHeaders(raw: Buffer): HeaderSummary {
	const { end } = headerEnd(raw, 0, Math.min(raw.length, MAX_HEADER_BYTES));
	const headers = unfoldHeaders(raw.toString('utf8', 0, end));
	let subject: string | null = null;
	let from: string | null = null;
	const to: string[] = [];
	let date: string | null = null;
	let contentType = '';
	for (const { name, value } of headers) {
		if (name === 'subject' && subject === null) subject = value;
		else if (name === 'from' && from === null) from = value;
		else if (name === 'to') to.push(value);
		else if (name === 'date' && date === null) date = value;
		else if (name === 'content-type' && contentType === '') contentType = value;
	}
	return {
		subject: subject === null ? '' : decodeText(subject),
		from: from === null ? null : (parseAddresses(from)[0] ?? null),
		to: to.flatMap(parseAddresses),
		date: date === null ? null : parseDate(date),
		attachmentHint: /^\s*multipart\/mixed/i.test(contentType) ? 1 : 0,
	};
}

/** Encoded words (RFC 2047) decoded; never throws on broken input. */
export function decodeText(value: string): string {
	// No "=?", no encoded word: libmime's five passes would give the text back unchanged.
	if (!value.includes('=?')) return value.trim();
	try {
		return libmime.decodeWords(value).trim();
	} catch {
		// The header is anyone's bytes and libmime is its only reader here: whatever it throws (a charset it
		// cannot convert, a malformed word) means "not decodable", and the text as sent is the honest answer.
		return value.trim();
	}
}

/** `local@domain` with nothing RFC 5322 would read specially (no quotes, comments, groups or lists). */
const PLAIN_ADDRESS = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*";
/** `learner@example.com`, or `Postlab Forum <noreply@forum.example>`: words of letters and digits before it. */
const SIMPLE_MAILBOX = new RegExp(`^\\s*(?:([A-Za-z0-9]+(?: [A-Za-z0-9]+)*)\\s*<(${PLAIN_ADDRESS})>|(${PLAIN_ADDRESS}))\\s*$`);

/** An address list, groups flattened, display names decoded. */
export function parseAddresses(value: string): Address[] {
	// Almost every message names one plain mailbox; addressparser's tokenizer was a quarter of the header
	// summary's cost (bench/profiles/). It gives the same answer for these (header-index.test.ts checks).
	const simple = SIMPLE_MAILBOX.exec(value);
	if (simple) return [{ name: simple[1] ?? '', address: simple[2] ?? simple[3] ?? '' }];
	try {
		return addressparser(value, { flatten: true }).map((entry) => ({
			name: entry.name ? decodeText(entry.name) : '',
			address: entry.address ?? '',
		}));
	} catch {
		// As above: the only thing in the try is addressparser on untrusted text, so a throw means "no address
		// list here", and the summary lists the envelope's addresses instead (mail-store.ts).
		return [];
	}
}

function parseDate(value: string): string | null {
	// RFC 5322 dates may end in a comment, "(UTC)", that Date.parse does not accept.
	const time = Date.parse(value.replace(/\([^)]*\)\s*$/, '').trim());
	return Number.isNaN(time) ? null : new Date(time).toISOString();
}
