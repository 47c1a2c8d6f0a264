/**
 * The document the inbox's iframe loads around a message's sanitised HTML (sanitize-html.ts, in the render
 * worker), and that document's own CSP. Kept apart from the sanitiser because the web server's main thread
 * needs only these strings: importing them from there loaded sanitize-html and its HTML and CSS parsers into
 * the main thread's heap at every start, for work that happens in the worker.
 */
/** Wraps sanitised HTML as the document the inbox's iframe loads. */
export function emailDocument(bodyHtml: string): string {
	return [
		'<!doctype html>',
		'<html><head><meta charset="utf-8">',
		'<meta name="referrer" content="no-referrer">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		'<style>body{margin:12px;font-family:system-ui,sans-serif;color:#111;background:#fff;overflow-wrap:anywhere}',
		'img[data-blocked-image]{display:inline-block;min-width:16px;min-height:16px;outline:1px dashed #999}</style>',
		'</head><body>',
		bodyHtml,
		'</body></html>',
	].join('');
}

/**
 * The frame document's own CSP: nothing may run or be submitted; images come from our attachment URLs
 * and data: only, unless the reader allowed remote images. `sandbox` repeats the iframe's sandbox for
 * when the URL is opened on its own.
 */
export function emailDocumentCsp(allowRemoteImages: boolean): string {
	return [
		"default-src 'none'",
		`img-src 'self' data:${allowRemoteImages ? ' https: http:' : ''}`,
		"style-src 'unsafe-inline'",
		'font-src data:',
		"form-action 'none'",
		"base-uri 'none'",
		"frame-ancestors 'self'",
		'sandbox allow-popups allow-popups-to-escape-sandbox',
	].join('; ');
}
