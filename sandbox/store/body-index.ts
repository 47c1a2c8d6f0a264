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
	text: MimePart | null;
	html: MimePart | null;
	attachments: number;
}

export function summarizeBody(raw: Buffer): BodySummary {
	const walk: Walk = { text: null, html: null, attachments: 0 };
	visit(parseMime(raw), false, walk);
	const part = walk.text ?? walk.html;
	const snippet =
		part === null
			? ''
			: previewOf((bytes) => partText(raw, part, bytes), Math.min(part.end - part.bodyStart, PREVIEW_SOURCE_BYTES), part === walk.text ? PLAIN : HTML);
	return { snippet, attachmentCount: walk.attachments, parsed: true };
}

/**
 * The text with its whitespace runs collapsed to one space and trimmed, cut to the preview's length. Collapsing
 * reads left to right, so a prefix's collapsed text is the whole's up to its last character; a prefix that
 * already has more than the preview's length decides it. Collapsing a whole part made several KB of garbage per
 * small message for 120 characters (measured, README, Performance).
 */
export function snippet(text: string): string {
	for (let reach = 2 * SNIPPET_LENGTH; reach < text.length; reach *= 4) {
		const collapsed = collapse(text.slice(0, reach));
		if (collapsed.length > SNIPPET_LENGTH) return cutToPreview(collapsed);
	}
	return cutToPreview(collapse(text));
}

/** Whitespace runs as one space, none at either end: the preview's one notion of whitespace. */
function collapse(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

function cutToPreview(collapsed: string): string {
	return collapsed.length > SNIPPET_LENGTH ? `${collapsed.slice(0, SNIPPET_LENGTH - 1)}…` : collapsed;
}

/** How a text part's source becomes the preview's text, and what a cut at its end can leave unfinished. */
export interface TextKind {
	toText(source: string): string;
	/**
	 * Where the tail of a prefix's text starts that the whole's may not share beyond the decoder's last few
	 * characters: in HTML, an entity whose `;` lies past the cut, which the whole turns into one character however
	 * long it is. The text's length when there is none.
	 */
	unfinishedFrom(text: string): number;
}

export const PLAIN: TextKind = { toText: (text) => text, unfinishedFrom: (text) => text.length };
export const HTML: TextKind = {
	toText: (html) => htmlToText(html),
	// The first `&` after the last `;`: anything from there may be an entity the cut left open.
	unfinishedFrom: (text) => {
		const amp = text.indexOf('&', text.lastIndexOf(';') + 1);
		return amp === -1 ? text.length : amp;
	},
};

/**
 * Characters past the preview a prefix's text must reach before it is trusted (see previewOf). Past an
 * unfinished entity, what a cut leaves at the end is the decoder's: a quoted-printable `=`, `=3` or `=\r`, one
 * U+FFFD for a UTF-8 or UTF-16 character cut in two, a stateful charset's half sequence; toText's tags, heads
 * and comments cut at the end only remove text. A few characters, and 32 is many times that.
 */
const PREFIX_MARGIN = 32;
/** The first prefix tried: a plain mail's first lines, or an HTML mail's without a long head. */
const FIRST_PREFIX = 1024;

/**
 * snippet(kind.toText(sourceOf(length))), from as short a prefix of the source as gives the same answer.
 * `sourceOf(n)` is the text of the source's first n units (a part's first n encoded bytes, decoded). Decoded
 * and passed through toText whole, a part's 16 KB left ~150 KB of strings per HTML message for 120 characters;
 * with the young generation `--optimize-for-size` keeps, that garbage was collected at twice the rate
 * (measured; README, Performance). Decoding and each pass of toText read left to right, so a prefix's text is
 * the whole's except at its end: the kind's unfinished tail is dropped, and the prefix is used only when what
 * is left reaches PREFIX_MARGIN characters past the preview. Otherwise a prefix four times as long is tried,
 * up to the whole.
 */
export function previewOf(sourceOf: (length: number) => string, length: number, kind: TextKind): string {
	for (let prefix = FIRST_PREFIX; prefix < length; prefix *= 4) {
		const text = kind.toText(sourceOf(prefix));
		const collapsed = collapse(text.slice(0, kind.unfinishedFrom(text)));
		if (collapsed.length >= SNIPPET_LENGTH + PREFIX_MARGIN) return cutToPreview(collapsed);
	}
	return snippet(kind.toText(sourceOf(length)));
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
		if (mime === 'text/plain' && walk.text === null) walk.text = part;
		if (mime === 'text/html' && walk.html === null) walk.html = part;
		return;
	}
	// Images referenced from an HTML body (multipart/related, inline) are not files the reader sees as attachments.
	if (inRelated && !isAttachment) return;
	if (mime === 'message/delivery-status' || mime === 'text/rfc822-headers') return;
	walk.attachments += 1;
}

/** Enough HTML-to-text for a preview: drop head/style/script, tags and comments, decode common entities. */
export function htmlToText(html: string): string {
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
