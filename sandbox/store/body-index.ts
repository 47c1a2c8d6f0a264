/**
 * The rest of a message's list entry, computed after the 250 (the store queues it): the preview text
 * and the number of attachments. A light walk over the MIME tree (RFC 2045/2046) that decodes only the
 * first few KB of the first text part; it never builds the message, converts whole HTML bodies or looks
 * for links. The full mailparser parse still happens when someone opens the message.
 */
import { param, parseMime, type MimePart } from '../mail/mime-tree.ts';
import { partText } from '../mail/part-text.ts';

export interface BodySummary {
	snippet: string;
	/** Leaf parts that are files (not the text bodies, not images embedded in an HTML body). */
	attachmentCount: number;
	/**
	 * Always true from the walk: it only stops looking past a depth or part count, and judging that as
	 * broken would contradict mailparser, which reads such mail. Only mailparser's verdict, when the message
	 * is opened, marks a message unreadable (the store passes false then), so the list and the detail's
	 * parse error always agree.
	 */
	parsed: boolean;
}

/** Length of the list's preview text. */
export const SNIPPET_LENGTH = 120;
/** Encoded bytes of a text part that are decoded for the preview: plenty for 120 characters of text. */
const PREVIEW_SOURCE_BYTES = 16 * 1024;

interface Walk {
	raw: Buffer;
	text: string | null;
	html: string | null;
	attachments: number;
}

export function summarizeBody(raw: Buffer): BodySummary {
	const walk: Walk = { raw, text: null, html: null, attachments: 0 };
	visit(parseMime(raw), false, walk);
	const source = walk.text ?? (walk.html === null ? '' : htmlToText(walk.html));
	return { snippet: snippet(source), attachmentCount: walk.attachments, parsed: true };
}

export function snippet(text: string): string {
	const collapsed = text.replace(/\s+/g, ' ').trim();
	return collapsed.length > SNIPPET_LENGTH ? `${collapsed.slice(0, SNIPPET_LENGTH - 1)}…` : collapsed;
}

function visit(part: MimePart, inRelated: boolean, walk: Walk): void {
	const mime = `${part.type}/${part.subtype}`;
	if (part.type === 'multipart') {
		for (const child of part.children) visit(child, inRelated || mime === 'multipart/related', walk);
		return;
	}
	const isAttachment = part.disposition?.value === 'attachment';
	const hasName = Boolean(param(part.disposition?.params ?? [], 'filename') ?? param(part.params, 'name'));
	if ((mime === 'text/plain' || mime === 'text/html') && !isAttachment && !hasName) {
		if (mime === 'text/plain' && walk.text === null) walk.text = decodePreview(walk.raw, part);
		if (mime === 'text/html' && walk.html === null) walk.html = decodePreview(walk.raw, part);
		return;
	}
	// Images referenced from an HTML body (multipart/related, inline) are not files the reader sees as attachments.
	if (inRelated && !isAttachment) return;
	if (mime === 'message/delivery-status' || mime === 'text/rfc822-headers') return;
	walk.attachments += 1;
}

function decodePreview(raw: Buffer, part: MimePart): string {
	return partText(raw, part, PREVIEW_SOURCE_BYTES);
}

/** Enough HTML-to-text for a preview: drop head/style/script, tags and comments, decode common entities. */
function htmlToText(html: string): string {
	return html
		.replace(/<(head|style|script|title)\b[\s\S]*?(<\/\1\s*>|$)/gi, ' ')
		.replace(/<!--[\s\S]*?(-->|$)/g, ' ')
		.replace(/<[^>]*>?/g, ' ')
		.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => decodeEntity(entity, name));
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®', hellip: '…', mdash: '—', ndash: '–' };

function decodeEntity(entity: string, name: string): string {
	if (name.startsWith('#')) {
		const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
		return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
	}
	return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
}
