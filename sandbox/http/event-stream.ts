/**
 * `GET /api/v1/events`: server-sent events (the WHATWG EventSource protocol) that tell the inbox about
 * new, changed and deleted mail as it happens, with no polling. Event names are the bus's event types;
 * `data` is the summary for `message`/`message-updated`, `{ id, mailbox, reason }` for `message-deleted`
 * and `{ mailbox }` for `mailbox-cleared`. In classroom mode a stream is narrowed to the viewer's mailbox
 * before anything is written (a learner never receives another mailbox's event), and the instructor's
 * stream also carries `learner-joined` `{ learner }` for the live roster.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Classroom, Learner } from '../classroom/classroom.ts';
import type { EventBus, SandboxEvent } from '../events/event-bus.ts';

/** A comment line this often keeps proxies and the browser from dropping a quiet stream. */
const HEARTBEAT_MS = 20_000;
/** How long the browser waits before reconnecting after the stream breaks. */
const RETRY_MS = 2_000;
/** A client that reads slower than this many queued bytes is cut off; it reconnects and reloads the list. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export class EventStreams {
	readonly #events: EventBus;
	readonly #classroom: Classroom | undefined;
	readonly #open = new Set<ServerResponse>();

	constructor(events: EventBus, classroom?: Classroom) {
		this.#events = events;
		this.#classroom = classroom;
	}

	get size(): number {
		return this.#open.size;
	}

	/**
	 * Serves one EventSource connection until the client leaves or `closeAll` runs. `mailbox` null: every
	 * mailbox; `learnerJoins`: also tell about learners joining the class (the instructor's roster).
	 */
	serve(req: IncomingMessage, res: ServerResponse, mailbox: string | null, options: { learnerJoins?: boolean } = {}): void {
		res.writeHead(200, {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store, no-transform',
			connection: 'keep-alive',
			'x-accel-buffering': 'no',
		});
		res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
		this.#open.add(res);
		let corked = false;
		const unsubscribe = this.#events.subscribe((event) => {
			if (mailbox !== null && !inMailbox(event, mailbox)) return;
			if (res.writableLength > MAX_BUFFERED_BYTES) return void res.end();
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
		const stopJoins = options.learnerJoins && this.#classroom
			? this.#classroom.onJoin((learner) => {
					if (res.writableLength > MAX_BUFFERED_BYTES) return void res.end();
					res.write(formatLearnerJoined(learner));
				})
			: () => undefined;
		const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
		heartbeat.unref();
		const stop = () => {
			clearInterval(heartbeat);
			unsubscribe();
			stopJoins();
			this.#open.delete(res);
		};
		req.on('close', stop);
		res.on('close', stop);
	}

	/** Ends every open stream (shutdown), so the HTTP server can close. */
	closeAll(): void {
		for (const res of this.#open) res.end();
		this.#open.clear();
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
