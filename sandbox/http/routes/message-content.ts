/**
 * A message's content, each as the file a browser needs (mounted under `messages/:id`, so the message is
 * already known to be this viewer's):
 *
 *   GET /api/v1/messages/{id}/raw[?download=1]      message/rfc822
 *   GET /api/v1/messages/{id}/html[?images=remote]  sanitised HTML for the sandboxed iframe, own CSP
 *                                                   (422 when the HTML is over the limits of sandbox/mail/html-limits.ts)
 *   GET /api/v1/messages/{id}/attachments/{index}   the attachment, as a download
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { emailDocument, emailDocumentCsp } from '../../mail/email-document.ts';
import type { MailStore } from '../../store/mail-store.ts';
import type { HtmlWithheld } from '../../mail/message-content.ts';
import type { ApiRequest } from '../api-request.ts';
import { HttpError } from '../json-response.ts';
import type { MessageViews } from '../message-views.ts';
import { route, type Route } from '../route-table.ts';
import { notFound } from './messages.ts';

/** Headers that keep a captured file from running as a page of our origin if opened directly. */
const UNTRUSTED_FILE_HEADERS = {
	'x-content-type-options': 'nosniff',
	'content-security-policy': "sandbox; default-src 'none'; frame-ancestors 'self'",
	'cache-control': 'no-store',
	'referrer-policy': 'no-referrer',
} as const;

export function messageContentRoutes(store: MailStore, messages: MessageViews): Route<ApiRequest>[] {
	return [
		route('GET', 'raw', async ({ res, url }, { id }) => {
			const raw = await store.openRaw(id!);
			if (!raw) throw notFound(id!);
			const download = url.searchParams.get('download') === '1';
			res.writeHead(200, {
				...UNTRUSTED_FILE_HEADERS,
				'content-type': 'message/rfc822',
				'content-length': raw.size,
				'content-disposition': `${download ? 'attachment' : 'inline'}; filename="${id}.eml"`,
			});
			if ('bytes' in raw) return void res.end(raw.bytes);
			// A checksum failure rejects before the last chunk: the router logs it and cuts the connection, so
			// the client sees a short download, never a complete-looking damaged one.
			await pipeline(Readable.from(raw.chunks), res);
		}),
		route('GET', 'html', async ({ res, url }, { id }) => {
			const allowRemoteImages = url.searchParams.get('images') === 'remote';
			const rendered = await messages.html(id!, { allowRemoteImages });
			if (!rendered) throw notFound(id!);
			if ('none' in rendered) throw new HttpError(404, 'api.noHtmlPart');
			if ('withheld' in rendered) throw withheldError(rendered.withheld);
			const body = emailDocument(rendered.html);
			res.writeHead(200, {
				'content-type': 'text/html; charset=utf-8',
				'content-length': Buffer.byteLength(body),
				'content-security-policy': emailDocumentCsp(allowRemoteImages),
				'x-content-type-options': 'nosniff',
				'x-frame-options': 'SAMEORIGIN',
				'referrer-policy': 'no-referrer',
				'cache-control': 'no-store',
				'x-remote-images': String(rendered.remoteImages),
			});
			res.end(body);
		}),
		route('GET', 'attachments/:index', async ({ res }, { id, index: number }) => {
			const index = /^\d{1,6}$/.test(number!) ? Number(number) : -1;
			const attachment = index >= 0 ? await messages.attachment(id!, index) : null;
			if (!attachment) throw new HttpError(404, 'api.noAttachment', { id: id!, number: number! });
			res.writeHead(200, {
				...UNTRUSTED_FILE_HEADERS,
				'content-type': attachment.info.contentType || 'application/octet-stream',
				'content-length': attachment.content.length,
				'content-disposition': contentDisposition(attachment.info.filename),
			});
			res.end(attachment.content);
		}),
	];
}

function withheldError(withheld: HtmlWithheld): HttpError {
	switch (withheld.reason) {
		case 'too-large':
			return new HttpError(422, 'api.htmlTooLarge', { limit: withheld.limit });
		case 'too-many-elements':
			return new HttpError(422, 'api.htmlTooManyElements', { limit: withheld.limit });
		case 'too-deep':
			return new HttpError(422, 'api.htmlTooDeep', { limit: withheld.limit });
		case 'too-slow':
			return new HttpError(422, 'api.htmlTooSlow');
	}
}

/** RFC 6266: an ASCII fallback name plus the UTF-8 name (Korean file names survive). */
function contentDisposition(filename: string): string {
	const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
	return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
