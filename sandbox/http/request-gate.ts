/**
 * The first thing every web request meets, pages, static files and the API alike (`npm start`, `npm run dev`
 * and the tests mount it in front of everything):
 *
 * - Local mode answers only to loopback names and addresses, like Django's ALLOWED_HOSTS: a page that
 *   rebinds its own DNS name to 127.0.0.1 (DNS rebinding) gets 421 Misdirected Request and a sentence saying
 *   why and which address to open, not the inbox, the forum's forms or the settings page. Classroom mode is
 *   reached by whatever name the network gives; its cookies do the gating, and no link is built from a
 *   foreign Host (link-origin.ts).
 * - Every response says no other site may frame it (`frame-ancestors 'self'`, and X-Frame-Options for
 *   browsers that predate CSP), so a foreign page cannot put the inbox in a frame and trick a click on
 *   "delete all". These must be HTTP headers: browsers ignore frame-ancestors in a <meta> CSP.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FRAME_HEADERS } from './frame-policy.ts';
import { isAllowedHost } from './host-check.ts';
import { bilingual } from '../i18n/messages.ts';

export type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface RequestGateOptions {
	/** HOST, accepted besides the loopback names. */
	host: string;
	/** Classroom mode serves any Host. */
	classroom: boolean;
}

/** A Host header is echoed back in the answer; this much of it is enough to recognise. */
const MAX_SHOWN_HOST = 100;

export function createRequestGate(options: RequestGateOptions): Middleware {
	return (req, res, next) => {
		for (const [name, value] of Object.entries(FRAME_HEADERS)) res.setHeader(name, value);
		if (options.classroom || isAllowedHost(req.headers.host, options.host)) return next();
		refuseHost(req, res);
	};
}

function refuseHost(req: IncomingMessage, res: ServerResponse): void {
	const shown = (req.headers.host ?? '').replace(/[^\x21-\x7e]/g, '?').slice(0, MAX_SHOWN_HOST);
	const port = req.socket.localPort;
	const address = `http://127.0.0.1${port ? `:${port}` : ''}/`;
	const { en, ko } = bilingual('http.wrongHost', { host: shown, address });
	const api = (req.url ?? '').startsWith('/api/');
	const body = api ? JSON.stringify({ error: { status: 421, message: en, ko } }) : `${ko}\n\n${en}\n`;
	res.writeHead(421, {
		'content-type': api ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
		'content-length': Buffer.byteLength(body),
		'cache-control': 'no-store',
		'x-content-type-options': 'nosniff',
	});
	res.end(body);
}
