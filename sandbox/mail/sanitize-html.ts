/**
 * Makes a captured message's HTML safe to show. Mail is untrusted: it may carry scripts, event handlers,
 * forms, meta refresh, `javascript:` links and tracking images. This is one of three layers; the page that
 * shows the result also sends a CSP with no script at all, and the inbox loads it in a sandboxed iframe.
 * Remote images are held back (and counted) until the reader asks: loading one tells the sender the mail
 * was opened. `cid:` images are pointed at the message's own attachment URLs.
 */
import sanitizeHtml from 'sanitize-html';

export interface SanitizeOptions {
	/** Content-ID (without angle brackets) → URL of that attachment, for `cid:` images. */
	cidUrls?: ReadonlyMap<string, string>;
	/** Keep `http(s)://` images. Off unless the reader asked. */
	allowRemoteImages?: boolean;
}

export interface SanitizedHtml {
	html: string;
	/** Remote images removed (or, with allowRemoteImages, kept). */
	remoteImages: number;
}

const ALLOWED_TAGS = [
	...sanitizeHtml.defaults.allowedTags,
	'img',
	'style',
	'center',
	'font',
	'big',
	'strike',
	'tt',
];

/** Presentational attributes mail clients still use. Anything starting with `on` is never here. */
const COMMON_ATTRIBUTES = [
	'style',
	'class',
	'id',
	'align',
	'valign',
	'width',
	'height',
	'bgcolor',
	'color',
	'dir',
	'lang',
	'title',
	'border',
	'cellpadding',
	'cellspacing',
	'colspan',
	'rowspan',
	'role',
	'aria-*',
];

export function sanitizeEmailHtml(dirty: string, options: SanitizeOptions = {}): SanitizedHtml {
	let remoteImages = 0;
	const html = sanitizeHtml(dirty, {
		allowedTags: ALLOWED_TAGS,
		// Styles cannot run code; the CSP of the frame stops them from fetching anything remote.
		allowVulnerableTags: true,
		// Element contents dropped with the element (a <title> would otherwise show as text).
		nonTextTags: ['script', 'style', 'textarea', 'option', 'xmp', 'title', 'noscript', 'template', 'select', 'button'],
		allowedAttributes: {
			'*': COMMON_ATTRIBUTES,
			a: ['href', 'name', 'target', 'rel'],
			img: ['src', 'alt', 'width', 'height', 'data-blocked-image'],
			font: ['face', 'size', 'color'],
			td: ['nowrap'],
		},
		allowedSchemes: ['http', 'https', 'mailto'],
		allowedSchemesByTag: { img: ['http', 'https', 'data'] },
		allowProtocolRelative: false,
		transformTags: {
			'*': (tagName, attribs) => ({ tagName, attribs: withSafeStyle(attribs) }),
			a: (tagName, attribs) => ({
				tagName,
				attribs: { ...withSafeStyle(attribs), target: '_blank', rel: 'noopener noreferrer' },
			}),
			img: (tagName, attribs) => {
				const { src: rawSrc, ...rest } = withSafeStyle(attribs);
				const src = rawSrc?.trim() ?? '';
				if (/^cid:/i.test(src)) {
					const url = options.cidUrls?.get(stripBrackets(src.slice(4)));
					return { tagName, attribs: url ? { ...rest, src: url } : rest };
				}
				if (/^(https?:)?\/\//i.test(src)) {
					remoteImages += 1;
					const absolute = src.startsWith('//') ? `https:${src}` : src;
					return options.allowRemoteImages
						? { tagName, attribs: { ...rest, src: absolute } }
						: { tagName, attribs: { ...rest, 'data-blocked-image': '' } };
				}
				return { tagName, attribs: src ? { ...rest, src } : rest };
			},
		},
	});
	return { html, remoteImages };
}

/** Script URLs inside CSS run nowhere today, but a style that names one has no business in the page. */
const SCRIPT_IN_STYLE = /javascript:|vbscript:|expression\s*\(|-moz-binding|behavior\s*:/i;

function withSafeStyle(attribs: Record<string, string>): Record<string, string> {
	if (attribs['style'] === undefined || !SCRIPT_IN_STYLE.test(attribs['style'])) return attribs;
	const { style: _dropped, ...rest } = attribs;
	return rest;
}

function stripBrackets(contentId: string): string {
	let id = contentId;
	try {
		id = decodeURIComponent(id);
	} catch (error) {
		// A malformed escape (URIError) is kept as written.
		if (!(error instanceof URIError)) throw error;
	}
	return id.replace(/^<|>$/g, '');
}
