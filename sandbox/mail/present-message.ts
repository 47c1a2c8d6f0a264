/**
 * What one captured message shows in the inbox, made from its raw bytes: the parsed parts (mailparser),
 * the HTML made safe (sanitize-html.ts) when it is within the limits of html-limits.ts, and the links it
 * carries (extract-links.ts). Runs in the render worker (message-renderer.ts), so its cost never holds up
 * the process that answers SMTP and the web; it is plain functions so tests can call it directly too.
 */
import type { AttachmentInfo, HtmlWithheld, MessageContent } from './message-content.ts';
import { extractLinks } from './extract-links.ts';
import { checkHtml } from './html-limits.ts';
import { addresses, attachmentInfo, decodedHeaders, parseFull } from './parse-message.ts';
import { sanitizeEmailHtml, type SanitizedHtml } from './sanitize-html.ts';

export interface PresentOptions {
	/** Where the message's attachments are served: `cid:` images point at `${attachmentPath}${index}`. */
	attachmentPath: string;
	/** Keep `http(s)://` images in the HTML. Off unless the reader asked. */
	allowRemoteImages: boolean;
	/**
	 * False when this message's HTML already took longer than the render budget: the parts are shown
	 * without it (no sanitising, no text made from the HTML, links from the text part only).
	 */
	htmlWork: boolean;
}

export interface AttachmentContent {
	info: AttachmentInfo;
	content: Buffer;
}

export async function presentMessage(raw: Buffer, options: PresentOptions): Promise<MessageContent> {
	const { mail, parseError } = await parseFull(raw, { htmlToText: options.htmlWork });
	if (!mail) {
		return { cc: [], replyTo: [], messageId: null, headers: [], text: null, html: null, remoteImages: 0, htmlWithheld: null, attachments: [], links: [], parseError };
	}
	const attachments = attachmentInfo(mail);
	const dirty = typeof mail.html === 'string' && mail.html !== '' ? mail.html : null;
	let sanitized: SanitizedHtml | null = null;
	let htmlWithheld: HtmlWithheld | null = null;
	if (dirty !== null && !options.htmlWork) htmlWithheld = { reason: 'too-slow' };
	else if (dirty !== null) {
		const verdict = checkHtml(dirty);
		if (verdict.ok) sanitized = sanitizeEmailHtml(dirty, { cidUrls: cidUrls(attachments, options.attachmentPath), allowRemoteImages: options.allowRemoteImages });
		else htmlWithheld = { reason: verdict.reason, limit: verdict.limit };
	}
	return {
		cc: addresses(mail.cc),
		replyTo: mail.replyTo ? addresses(mail.replyTo) : [],
		messageId: mail.messageId ?? null,
		headers: decodedHeaders(mail),
		// An HTML-only message whose HTML was not turned into text (too large, too deep) has no text part.
		text: mail.text || null,
		html: sanitized?.html ?? null,
		remoteImages: sanitized?.remoteImages ?? 0,
		htmlWithheld,
		attachments,
		// HTML over the limits is not parsed for links either: the text part's links are still listed.
		links: extractLinks(sanitized ? dirty : null, mail.text ?? null),
		parseError,
	};
}

/** One attachment's bytes, or null when the message has no attachment with that index. */
export async function presentAttachment(raw: Buffer, index: number): Promise<AttachmentContent | null> {
	// Attachments need no text made from the HTML.
	const { mail } = await parseFull(raw, { htmlToText: false });
	const attachment = mail?.attachments[index];
	if (!mail || !attachment) return null;
	return { info: attachmentInfo(mail)[index]!, content: attachment.content };
}

function cidUrls(attachments: AttachmentInfo[], attachmentPath: string): Map<string, string> {
	const map = new Map<string, string>();
	for (const attachment of attachments) {
		if (attachment.contentId) map.set(attachment.contentId.replace(/^<|>$/g, ''), `${attachmentPath}${attachment.index}`);
	}
	return map;
}
