/**
 * How much HTML Postlab makes safe to show. Sanitising (sanitize-html on htmlparser2) costs time that grows
 * with the square of the nesting depth, because the parser keeps its open elements at the front of an array:
 * 100,000 nested `<div>` (1.1 MB) took 10 s to sanitise and 20 s more to extract links. Even flat, each
 * element costs 25–90 µs to sanitise and scan for links here. Mail beyond these limits is not sanitised at
 * all; the inbox shows its text part and a note instead, and the raw message stays one download away.
 */

/**
 * Characters of HTML. Gmail clips a message's HTML at about 102 KB and newsletters stay within a few
 * hundred; a megabyte of links still sanitises in about a second.
 */
export const MAX_HTML_CHARS = 1_000_000;

/**
 * Element nesting. Chrome's HTML parser flattens anything deeper than 512 levels, so deeper markup does not
 * even show as written in a browser; real mail stays in the tens.
 */
export const MAX_HTML_DEPTH = 512;

/**
 * Elements (start tags). A long newsletter has a few thousand; 20,000 took 0.5–1.8 s to sanitise and scan
 * for links here, so half that stays well inside the render budget on a slower machine.
 */
export const MAX_HTML_ELEMENTS = 10_000;

/**
 * Characters of HTML that mailparser's html-to-text turns into a text part for mail that has none. It lays
 * out tables in time that grows with the square of their rows (10,000 rows took 1.6 s, 30,000 took 31 s,
 * 128 KB of unclosed cells 1.1 s); past this size an HTML-only message simply has no text part.
 */
export const MAX_HTML_TO_TEXT_CHARS = 64 * 1024;

export type HtmlVerdict = { ok: true } | { ok: false; reason: 'too-large' | 'too-many-elements' | 'too-deep'; limit: number };

/** Elements that never hold content: a start tag opens no level. */
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/**
 * Elements the parser closes by itself when a sibling opens (a `<td>` after a `<td>`), so a long unclosed
 * run of them does not nest; a report with thousands of unclosed cells is sloppy but ordinary mail.
 */
const IMPLIED_END_ELEMENTS = new Set(['p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'rt', 'rp']);

/** Whether `html` is within the limits, decided in one linear pass that stops at the first limit crossed. */
export function checkHtml(html: string): HtmlVerdict {
	if (html.length > MAX_HTML_CHARS) return { ok: false, reason: 'too-large', limit: MAX_HTML_CHARS };
	return scanElements(html, MAX_HTML_DEPTH, MAX_HTML_ELEMENTS);
}

/**
 * Follows what an HTML parser builds, closely enough to bound its stack: a start tag opens an element, an
 * end tag closes down to the nearest open element of its name (and is ignored when none is open), comments
 * and void elements open nothing. Stops at the first limit crossed, so the stack never grows past
 * `maxDepth + 1` and the pass is linear.
 */
export function scanElements(html: string, maxDepth: number, maxElements: number): HtmlVerdict {
	const stack: string[] = [];
	let elements = 0;
	const open = new Map<string, number>();
	let at = html.indexOf('<');
	while (at !== -1) {
		if (html.startsWith('<!--', at)) {
			const end = html.indexOf('-->', at + 4);
			if (end === -1) break;
			at = html.indexOf('<', end + 3);
			continue;
		}
		let cursor = at + 1;
		const closing = html.charCodeAt(cursor) === 0x2f;
		if (closing) cursor += 1;
		const nameStart = cursor;
		while (cursor < html.length && isNameChar(html.charCodeAt(cursor))) cursor += 1;
		if (cursor === nameStart) {
			// A "<" that starts no tag is text.
			at = html.indexOf('<', cursor);
			continue;
		}
		const tagEnd = html.indexOf('>', cursor);
		if (tagEnd === -1) break;
		const name = html.slice(nameStart, cursor).toLowerCase();
		if (!closing && ++elements > maxElements) return { ok: false, reason: 'too-many-elements', limit: maxElements };
		if (!VOID_ELEMENTS.has(name) && !IMPLIED_END_ELEMENTS.has(name)) {
			if (!closing) {
				stack.push(name);
				open.set(name, (open.get(name) ?? 0) + 1);
				if (stack.length > maxDepth) return { ok: false, reason: 'too-deep', limit: maxDepth };
			} else if (open.get(name)) {
				for (;;) {
					const popped = stack.pop()!;
					open.set(popped, open.get(popped)! - 1);
					if (popped === name) break;
				}
			}
		}
		at = html.indexOf('<', tagEnd + 1);
	}
	return { ok: true };
}

function isNameChar(code: number): boolean {
	return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x3a || code === 0x5f;
}
