/**
 * `GET /api/v1/events`: server-sent events (the WHATWG EventSource protocol) that tell the inbox about
 * new, changed and deleted mail as it happens, with no polling. Event names are the bus's event types;
 * `data` is the summary for `message`/`message-updated`, `{ id, mailbox, reason }` for `message-deleted`
 * and `{ mailbox }` for `mailbox-cleared`. In classroom mode a stream is narrowed to the viewer's mailbox
 * before anything is written (a learner never receives another mailbox's event), and the instructor's
 * stream also carries `learner-joined` `{ learner }` for the live roster.
 *
 * Streams are counted: past `maxStreams` a new one is refused with 503 and Retry-After, so streams alone can
 * never take every connection the web server has (pages and health still get in). A stream that is ended
 * (shutdown, a client too slow to read) stops receiving at once: writing to an ended response would throw.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './json-response.ts';
import type { Classroom, Learner } from '../classroom/classroom.ts';
import type { EventBus, SandboxEvent } from '../events/event-bus.ts';

/** A comment line this often keeps proxies and the browser from dropping a quiet stream. */
const HEARTBEAT_MS = 20_000;
/** How long the browser waits before reconnecting after the stream breaks. */
const RETRY_MS = 2_000;
/** A client that reads slower than this many queued bytes is cut off; it reconnects and reloads the list. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** What a refused client waits before trying again, in seconds. */
const RETRY_AFTER_SECONDS = 10;

export class EventStreams {
	readonly #events: EventBus;
	readonly #classroom: Classroom | undefined;
	readonly #maxStreams: number;
	readonly #open = new Set<ServerResponse>();

	constructor(events: EventBus, classroom: Classroom | undefined, maxStreams: number) {
		this.#events = events;
		this.#classroom = classroom;
		this.#maxStreams = maxStreams;
	}

	get size(): number {
		return this.#open.size;
	}

	/**
	 * Serves one EventSource connection until the client leaves or `closeAll` runs. `mailbox` null: every
	 * mailbox; `learnerJoins`: also tell about learners joining the class (the instructor's roster).
	 */
	serve(req: IncomingMessage, res: ServerResponse, mailbox: string | null, options: { learnerJoins?: boolean } = {}): void {
		if (this.#open.size >= this.#maxStreams) {
			return sendError(res, 503, `Postlab has as many live inboxes open as it serves (${this.#maxStreams}). Close some tabs, then reload.`, {
				'retry-after': String(RETRY_AFTER_SECONDS),
			});
		}
		res.writeHead(200, {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store, no-transform',
			connection: 'keep-alive',
			'x-accel-buffering': 'no',
		});
		res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
		const open = this.#open;
		open.add(res);
		let heartbeat: NodeJS.Timeout | undefined;
		let unsubscribe: () => void = () => {};
		let stopJoins: () => void = () => {};
		const stop = () => {
			clearInterval(heartbeat);
			unsubscribe();
			stopJoins();
			open.delete(res);
		};
		/** Whether the stream can still be written to; once it cannot, nothing here writes to it again. */
		const writable = () => {
			if (!res.writableEnded && !res.destroyed) return true;
			stop();
			return false;
		};
		/** A client this far behind is cut off; it reconnects and reloads the list. */
		const overfull = () => {
			if (res.writableLength <= MAX_BUFFERED_BYTES) return false;
			stop();
			res.end();
			return true;
		};
		let corked = false;
		unsubscribe = this.#events.subscribe((event) => {
			if (mailbox !== null && !inMailbox(event, mailbox)) return;
			if (!writable() || overfull()) return;
			// A group commit stores many messages at once and their events come in one burst: cork so each
			// client gets the burst in one socket write, not one write per event (300 listeners × 50 events).
			if (!corked) {
				corked = true;
				res.cork();
				process.nextTick(() => {
					corked = false;
					res.uncork();
				});
			}
			res.write(formatOnce(event));
		});
		if (options.learnerJoins && this.#classroom) {
			stopJoins = this.#classroom.onJoin((learner) => {
				if (writable() && !overfull()) res.write(formatLearnerJoined(learner));
			});
		}
		heartbeat = setInterval(() => {
			if (writable()) res.write(': ping\n\n');
		}, HEARTBEAT_MS);
		heartbeat.unref();
		req.on('close', stop);
		res.on('close', stop);
	}

	/** Ends every open stream (shutdown), so the HTTP server can close. */
	closeAll(): void {
		for (const res of [...this.#open]) {
			this.#open.delete(res);
			if (!res.writableEnded) res.end();
		}
	}
}

function inMailbox(event: SandboxEvent, mailbox: string): boolean {
	switch (event.type) {
		case 'message':
		case 'message-updated':
			return event.message.mailbox === mailbox;
		case 'message-deleted':
			return event.mailbox === mailbox;
		case 'mailbox-cleared':
			return event.mailbox === null || event.mailbox === mailbox;
	}
}

/** Each event is serialised once, however many clients it goes to. */
const formatted = new WeakMap<SandboxEvent, string>();

function formatOnce(event: SandboxEvent): string {
	let text = formatted.get(event);
	if (text === undefined) {
		text = format(event);
		formatted.set(event, text);
	}
	return text;
}

export function format(event: SandboxEvent): string {
	const { type, ...data } = event;
	const payload = type === 'message' || type === 'message-updated' ? event.message : data;
	// JSON never holds a raw newline, so one `data:` line carries it.
	return `event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

export function formatLearnerJoined(learner: Learner): string {
	return `event: learner-joined\ndata: ${JSON.stringify({ learner })}\n\n`;
}
