/**
 * How the JSON API answers: JSON bodies, and errors as `{ "error": { "status", "message" } }` with a
 * message a person can act on (the inbox shows it as is).
 */
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		'cache-control': 'no-store',
		'x-content-type-options': 'nosniff',
	});
	res.end(text);
}

export function sendError(res: ServerResponse, status: number, message: string, headers: Readonly<Record<string, string>> = {}): void {
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
	sendJson(res, status, { error: { status, message } });
}

/** An error a route throws to answer with a given status and message. */
export class HttpError extends Error {
	readonly status: number;
	/** Headers the answer must carry (a 405's Allow). */
	readonly headers: Readonly<Record<string, string>>;

	constructor(status: number, message: string, headers: Readonly<Record<string, string>> = {}) {
		super(message);
		this.name = 'HttpError';
		this.status = status;
		this.headers = headers;
	}
}
