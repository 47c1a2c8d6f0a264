/**
 * Test support: one live-events (server-sent events) client for every test that listens to
 * `/api/v1/events`, so no test carries its own half-parser. The parser follows the HTML standard's
 * "interpreting an event stream" (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * lines end in CRLF, LF or CR; a field's value loses one leading space; `data` lines join with LF;
 * a blank line dispatches; an event with no data is dropped; the last event id carries over.
 * Not a test itself.
 */
import { request, type IncomingHttpHeaders } from 'node:http';

export interface LiveEvent {
	/** The `event:` field, `message` when the block had none (as EventSource does). */
	type: string;
	data: string;
	/** The last `id:` seen on the stream so far (EventSource's `lastEventId`), '' before any. */
	lastEventId: string;
}

/** What a stream carried besides events: comments (`: connected`) and the `retry:` time. */
export interface EventStreamParts {
	events: LiveEvent[];
	comments: string[];
	retryMs: number | null;
}

/** Splits a text stream into events; feed it chunks as they arrive, in order. */
export class EventStreamParser {
	#pending = '';
	#type = '';
	#data: string[] = [];
	#lastEventId = '';
	/** A CR ending the previous chunk: an LF starting the next one belongs to it. */
	#afterCr = false;

	push(chunk: string): EventStreamParts {
		const parts: EventStreamParts = { events: [], comments: [], retryMs: null };
		let text = chunk;
		if (this.#afterCr && text.startsWith('\n')) text = text.slice(1);
		this.#afterCr = text.endsWith('\r');
		const lines = (this.#pending + text).split(/\r\n|\r|\n/);
		// The last piece has no line ending yet (empty when the chunk ended with one).
		this.#pending = lines.pop() ?? '';
		for (const line of lines) this.#line(line, parts);
		return parts;
	}

	#line(line: string, parts: EventStreamParts): void {
		if (line === '') return this.#dispatch(parts);
		if (line.startsWith(':')) {
			parts.comments.push(line.slice(1).replace(/^ /, ''));
			return;
		}
		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
		if (field === 'event') this.#type = value;
		else if (field === 'data') this.#data.push(value);
		else if (field === 'id' && !value.includes('\0')) this.#lastEventId = value;
		else if (field === 'retry' && /^\d+$/.test(value)) parts.retryMs = Number(value);
		// Any other field is ignored, as the standard says.
	}

	#dispatch(parts: EventStreamParts): void {
		if (this.#data.length > 0) {
			parts.events.push({ type: this.#type || 'message', data: this.#data.join('\n'), lastEventId: this.#lastEventId });
		}
		this.#type = '';
		this.#data = [];
	}
}

export interface LiveEventsOptions {
	headers?: Record<string, string>;
	/** The client's own address (e.g. 127.0.0.2), for tests that need many distinct clients. */
	localAddress?: string;
	/** Called for each event as it arrives, before `waitFor` sees it. */
	onEvent?: (event: LiveEvent) => void;
}

export interface LiveEventsClient {
	/** Every event so far, in order. */
	readonly events: readonly LiveEvent[];
	readonly comments: readonly string[];
	/**
	 * Resolves with the response headers once the server answered 200 with `text/event-stream`;
	 * rejects on any other answer or a failed connection, so a test that awaits it fails there.
	 */
	readonly opened: Promise<IncomingHttpHeaders>;
	/** Resolves with why the stream ended (server end, close, error), unless `close` ended it. */
	readonly ended: Promise<string>;
	/** The first event `match` accepts, already seen or still to come; rejects after `timeoutMs` or if the stream ends. */
	waitFor(match: (event: LiveEvent) => boolean, timeoutMs?: number): Promise<LiveEvent>;
	/** Resolves when a comment with this text has arrived (the sandbox sends `: connected` first). */
	waitForComment(text: string, timeoutMs?: number): Promise<void>;
	/** Leaves the stream; `ended` then never resolves for it. */
	close(): void;
}

/** Opens `url` (an `http:` URL) as EventSource would, without reconnecting. */
export function openLiveEvents(url: string | URL, options: LiveEventsOptions = {}): LiveEventsClient {
	const target = new URL(url);
	const parser = new EventStreamParser();
	const events: LiveEvent[] = [];
	const comments: string[] = [];
	const wake = new Set<() => void>();
	let closedByUs = false;
	let endReason: string | null = null;
	let markEnded: (reason: string) => void = () => undefined;
	const ended = new Promise<string>((resolve) => (markEnded = resolve));
	const finish = (reason: string): void => {
		if (endReason !== null) return;
		endReason = reason;
		if (!closedByUs) markEnded(reason);
		for (const wakeUp of wake) wakeUp();
	};

	const req = request({
		host: target.hostname,
		port: target.port,
		path: target.pathname + target.search,
		headers: { accept: 'text/event-stream', ...options.headers },
		agent: false,
		...(options.localAddress ? { localAddress: options.localAddress } : {}),
	});
	const opened = new Promise<IncomingHttpHeaders>((resolve, reject) => {
		req.on('response', (res) => {
			const type = String(res.headers['content-type'] ?? '');
			if (res.statusCode !== 200 || !type.startsWith('text/event-stream')) {
				res.resume();
				const reason = `status ${res.statusCode} (${type || 'no content-type'})`;
				finish(reason);
				reject(new Error(`the event stream was refused: ${reason}`));
				return;
			}
			resolve(res.headers);
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				const parts = parser.push(chunk);
				comments.push(...parts.comments);
				for (const event of parts.events) {
					events.push(event);
					options.onEvent?.(event);
				}
				for (const wakeUp of wake) wakeUp();
			});
			res.on('end', () => finish('the server ended the stream'));
			res.on('close', () => finish('the stream closed'));
		});
		req.on('error', (error) => {
			finish(error.message);
			reject(error);
		});
	});
	// A test that only reads `ended` or `waitFor` must not see an unhandled rejection from `opened`.
	opened.catch(() => undefined);
	req.end();

	function until<T>(found: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			const check = (): void => {
				const value = found();
				if (value !== undefined) done(() => resolve(value));
				else if (endReason !== null) done(() => reject(new Error(`${what}: the stream ended first (${endReason})`)));
			};
			const timer = setTimeout(() => done(() => reject(new Error(`${what} within ${timeoutMs} ms`))), timeoutMs);
			const done = (settle: () => void): void => {
				clearTimeout(timer);
				wake.delete(check);
				settle();
			};
			wake.add(check);
			check();
		});
	}

	return {
		events,
		comments,
		opened,
		ended,
		waitFor: (match, timeoutMs = 10_000) => until(() => events.find(match), timeoutMs, 'no matching event'),
		waitForComment: (text, timeoutMs = 10_000) =>
			until(() => (comments.includes(text) ? true : undefined), timeoutMs, `no comment "${text}"`).then(() => undefined),
		close() {
			closedByUs = true;
			req.destroy();
		},
	};
}
