/**
 * Finds the links a message carries, from its HTML (`<a href>`, before sanitising, so a learner also sees
 * the `javascript:` link a phishing mail hid) and from its plain text (where Django's password-reset mail
 * puts its link). The inbox shows them as a list; only web and mail links are made clickable there.
 */
import sanitizeHtml from 'sanitize-html';

export interface FoundLink {
	href: string;
	text: string;
}

/** Bounds the work on hostile mail with millions of anchors. */
const MAX_LINKS = 500;
const TEXT_URL = /\b(?:https?:\/\/|mailto:)[^\s<>"'`]+/gi;

export function extractLinks(html: string | null, text: string | null): FoundLink[] {
	const found = new Map<string, FoundLink>();
	const add = (href: string, label: string) => {
		const clean = href.trim();
		if (!clean || found.size >= MAX_LINKS) return;
		const existing = found.get(clean);
		if (!existing) found.set(clean, { href: clean, text: label });
		else if (!existing.text && label) existing.text = label;
	};
	if (html) {
		sanitizeHtml(html, {
			allowedTags: ['a'],
			allowedAttributes: { a: ['href'] },
			// Keep every scheme: this pass only reads, and hiding a javascript: link would hide the lesson.
			allowedSchemesAppliedToAttributes: [],
			exclusiveFilter: (frame) => {
				const href = frame.attribs['href'];
				if (frame.tag === 'a' && href) add(href, frame.text.replace(/\s+/g, ' ').trim());
				return false;
			},
		});
	}
	if (text) {
		for (const match of text.matchAll(TEXT_URL)) {
			// A sentence's closing punctuation is not part of the URL.
			add(match[0].replace(/[.,;:!?)\]]+$/, ''), '');
		}
	}
	return [...found.values()];
}
