/**
 * What stands between a Node HTTP server and Postlab's request handlers, for `npm start`, `npm run dev`
 * and the tests alike: every connection is counted (in total, and per client address in classroom mode)
 * and one over a limit hears 429 or 503 with Retry-After instead of being served; a client gets
 * `loginTimeoutMs` to send its request headers; and nothing a request makes a handler throw ends the
 * process: that request alone gets a 500, and the error is logged once, without the URL or headers
 * (a reset link's token travels in its path).
 */
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Admission, ConnectionLimiter } from '../connections/connection-limiter.ts';
import { errorDetail } from '../error-text.ts';
import { bilingual, type MessageKey, type MessageParams } from '../i18n/messages.ts';
import type { OperatorLog } from '../operator-log.ts';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface HttpGuard {
	/**
	 * Options for `createServer`: its timeouts, checked often enough to hold (Node checks them every 30 s
	 * unless told otherwise). A server made elsewhere (Vite's) still gets the timeouts from `attach`.
	 */
	readonly serverOptions: ServerOptions;
	/** Counts the server's connections and sets its timeouts. Call once per server, before it listens. */
	attach(server: Server): void;
	/** Wraps the server's request listener: refuses requests on refused connections, contains errors. */
	handle(listener: RequestListener): (req: IncomingMessage, res: ServerResponse) => void;
}

export interface HttpGuardOptions {
	connections: ConnectionLimiter;
	/** How long a client may take to send its request headers after connecting (or between requests). */
	loginTimeoutMs: number;
	/** Where a request that failed is reported for the operator. */
	log: OperatorLog;
}

/** A request body (a form, a JSON flag) arrives within this; a client trickling one is let go. */
const REQUEST_TIMEOUT_MS = 60_000;
/** How often Node looks for requests past their timeouts; a timeout holds to within this. */
const MAX_TIMEOUT_CHECK_MS = 5_000;
/**
 * Methods a WHATWG Request cannot carry (the Fetch standard forbids them), so Astro's handler throws on them:
 * answered 501 here (RFC 9110 §15.6.2), before any handler sees them.
 */
const UNSERVED_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
/** What a refused client is told to wait before trying again, in seconds (RFC 9110 §10.2.3). */
const RETRY_AFTER_SECONDS = 5;

type Refusal = Extract<Admission, { admitted: false }>;

export function createHttpGuard(options: HttpGuardOptions): HttpGuard {
	const refused = new WeakMap<Socket, Refusal>();

	const onConnection = (socket: Socket): void => {
		const held = options.connections.hold(socket.remoteAddress);
		if (!held) {
			socket.on('error', () => undefined);
			socket.destroy();
			return;
		}
		socket.once('close', held);
		const admission = options.connections.admit(socket.remoteAddress);
		if (admission.admitted) socket.once('close', admission.release);
		// The refusal is an HTTP answer, so the request is read first; the headers timeout bounds the wait.
		else refused.set(socket, admission);
	};

	// Node wants the whole-request timeout to be at least the headers timeout.
	const requestTimeout = Math.max(REQUEST_TIMEOUT_MS, options.loginTimeoutMs);
	return {
		serverOptions: {
			headersTimeout: options.loginTimeoutMs,
			requestTimeout,
			connectionsCheckingInterval: Math.min(MAX_TIMEOUT_CHECK_MS, Math.max(100, Math.floor(options.loginTimeoutMs / 4))),
		},
		attach(server) {
			server.headersTimeout = options.loginTimeoutMs;
			server.requestTimeout = requestTimeout;
			server.on('connection', onConnection);
		},
		handle(listener) {
			return (req, res) => {
				const refusal = refused.get(req.socket);
				if (refusal) return refuse(res, refusal);
				if (UNSERVED_METHODS.has(req.method ?? '')) return notImplemented(res, req.method ?? '');
				try {
					const answer = listener(req, res);
					if (answer instanceof Promise) answer.catch((error: unknown) => fail(req, res, error, options.log));
				} catch (error) {
					fail(req, res, error, options.log);
				}
			};
		},
	};
}

/** A plain-text answer in both languages: the guard answers before any page knows the reader's. */
function bothLanguages(key: MessageKey, params?: MessageParams): string {
	const { en, ko } = bilingual(key, params);
	return `${en}\n${ko}\n`;
}

function refuse(res: ServerResponse, refusal: Refusal): void {
	const body = bothLanguages(refusal.reason === 'address' ? 'http.tooManyFromAddress' : 'http.tooManyInTotal', { limit: refusal.limit });
	res.writeHead(refusal.reason === 'address' ? 429 : 503, {
		'content-type': 'text/plain; charset=utf-8',
		'content-length': Buffer.byteLength(body),
		'retry-after': String(RETRY_AFTER_SECONDS),
		'cache-control': 'no-store',
		connection: 'close',
	});
	res.end(body);
}

function notImplemented(res: ServerResponse, method: string): void {
	const body = bothLanguages('http.methodNotServed', { method });
	res.writeHead(501, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
	res.end(body);
}

/** Logs the failure once (its stack, never the request's URL or headers) and answers 500 if it still can. */
function fail(req: IncomingMessage, res: ServerResponse, error: unknown, log: OperatorLog): void {
	log('log.http.requestFailed', { method: req.method ?? '?', error: errorDetail(error) });
	if (res.headersSent || res.writableEnded) {
		res.destroy();
		return;
	}
	const body = bothLanguages('http.internalError');
	res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
	res.end(body);
}
