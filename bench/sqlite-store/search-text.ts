/**
 * The decoded text a message is searched by: its text and HTML bodies (transfer encoding and charset undone,
 * tags dropped), found with the same MIME walk and part decoder IMAP's SEARCH uses, so the comparison with the
 * journal store is of storage, not of parsing.
 */
import { param, parseMime, type MimePart } from '../../sandbox/mail/mime-tree.ts';
import { partText } from '../../sandbox/mail/part-text.ts';

/** Decoded characters indexed per message: the search index must not grow with a hostile body. */
const MAX_TEXT = 256 * 1024;

export function searchText(raw: Buffer): string {
	const out: string[] = [];
	collect(parseMime(raw), raw, out);
	const text = out.join('\n').replace(/\s+/g, ' ');
	return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

function collect(part: MimePart, raw: Buffer, out: string[]): void {
	if (part.type === 'multipart') {
		for (const child of part.children) collect(child, raw, out);
		return;
	}
	const mime = `${part.type}/${part.subtype}`;
	const named = part.disposition?.value === 'attachment' || param(part.disposition?.params ?? [], 'filename') !== undefined;
	if (named || (mime !== 'text/plain' && mime !== 'text/html')) return;
	const text = partText(raw, part, MAX_TEXT);
	// Enough HTML-to-text for a search index: the words, not the markup.
	out.push(mime === 'text/html' ? text.replace(/<(style|script)\b[\s\S]*?(<\/\1\s*>|$)/gi, ' ').replace(/<[^>]*>?/g, ' ') : text);
}
