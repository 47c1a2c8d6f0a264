/**
 * What every API route handler is given (the request, who asks and which mailboxes they may see), and the
 * bounded readers of a request's body and query that several routes share.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Viewer } from '../classroom/classroom.ts';
import type { MailboxScope } from '../classroom/request-viewer.ts';
import { HttpError } from './json-response.ts';

export interface ApiRequest {
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	viewer: Viewer;
	/** Never `none` here: an anonymous classroom visitor is answered 401 before any route but health. */
	scope: MailboxScope;
	/** The one mailbox this request is narrowed to (a learner's own, or the instructor's `?mailbox=`); null: all. */
	mailbox: string | null;
}

/** Request bodies here are a flag or a small choice; anything larger is not ours. */
const MAX_BODY_BYTES = 16 * 1024;

export async function readJson(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of req) {
			size += (chunk as Buffer).length;
			if (size > MAX_BODY_BYTES) throw new HttpError(413, 'api.bodyTooLarge');
			chunks.push(chunk as Buffer);
		}
	} catch (error) {
		if (error instanceof HttpError) throw error;
		// The client went away mid-body ("aborted"): its business, not a failure of ours.
		throw new HttpError(400, 'api.bodyCutOff');
	}
	try {
		return JSON.parse(Buffer.concat(chunks).toString('utf8'));
	} catch (error) {
		if (!(error instanceof SyntaxError)) throw error;
		throw new HttpError(400, 'api.bodyNotJson');
	}
}

export function intParam(url: URL, name: string, fallback: number, max: number): number {
	const raw = url.searchParams.get(name);
	if (raw === null || raw === '') return fallback;
	if (!/^\d+$/.test(raw)) throw new HttpError(400, 'api.notWholeNumber', { name, value: raw });
	return Math.min(Number(raw), max);
}
