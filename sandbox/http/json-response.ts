/**
 * How the JSON API answers: JSON bodies, and errors as `{ "error": { "status", "message", "ko" } }` with a
 * message a person can act on, in English and beside it in Korean (pages show the one of their language).
 */
import type { ServerResponse } from 'node:http';
import { bilingual, type Bilingual, type MessageKey, type MessageParams } from '../i18n/messages.ts';

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

export function sendError(res: ServerResponse, status: number, text: Bilingual, headers: Readonly<Record<string, string>> = {}): void {
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
	sendJson(res, status, { error: { status, message: text.en, ko: text.ko } });
}

/** An error a route throws to answer with a given status and message (its English text is `message`). */
export class HttpError extends Error {
	readonly status: number;
	readonly text: Bilingual;
	/** Headers the answer must carry (a 405's Allow). */
	readonly headers: Readonly<Record<string, string>>;

	constructor(status: number, key: MessageKey, params: MessageParams = {}, headers: Readonly<Record<string, string>> = {}) {
		const text = bilingual(key, params);
		super(text.en);
		this.name = 'HttpError';
		this.status = status;
		this.text = text;
		this.headers = headers;
	}
}
