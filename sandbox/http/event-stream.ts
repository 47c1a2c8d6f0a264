/**
 * `GET /api/v1/events`: server-sent events (the WHATWG EventSource protocol) that tell the inbox about
 * new, changed and deleted mail as it happens, with no polling. Event names are the bus's event types;
 * `data` is the summary for `message`/`message-updated`, `{ id, mailbox }` for `message-transcript` (the SMTP
 * transcript completed after the 250), `{ id, mailbox, reason }` for `message-deleted`
 * and `{ mailbox }` for `mailbox-cleared`. In classroom mode a stream is narrowed to the viewer's mailbox
 * before anything is written (a learner never receives another mailbox's event), and the instructor's
 * stream also carries `learner-joined` `{ learner }` for the live roster.
 *
 * Every event has an `id:` (`<epoch>-<n>`: the epoch changes when the sandbox restarts). A browser that
 * reconnects sends the last one it saw as Last-Event-ID (EventSource does this by itself): the events it missed
 * are replayed from a bounded buffer of the newest REPLAY_EVENTS, narrowed to its mailbox as before. When they
 * are no longer all there (too many, or the sandbox restarted) it gets one `reset` event instead, which tells
 * it to load the list again.
 *
 * Streams are counted: past `maxStreams` a new one is refused with 503 and Retry-After, so streams alone can
 * never take every connection the web server has (pages and health still get in). A stream that is ended
 * (shutdown, a client too slow to read) stops receiving at once: writing to an ended response would throw.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bilingual } from '../i18n/messages.ts';
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
/** Events kept for clients that reconnect (a few seconds of a busy class; ~1 KB each). */
export const REPLAY_EVENTS = 1000;

interface NumberedEvent {
	n: number;
	event: SandboxEvent;
}

export class EventStreams {
	readonly #events: EventBus;
	readonly #classroom: Classroom | undefined;
	readonly #maxStreams: number;
	readonly #open = new Set<ServerResponse>();
	/** Told each numbered event, in order; one bus subscription for all streams numbers each event once. */
	readonly #listeners = new Set<(numbered: NumberedEvent) => void>();
	/** The newest REPLAY_EVENTS events, oldest first (a ring: `#replayStart` is the oldest). */
	readonly #replay: NumberedEvent[] = [];
	#replayStart = 0;
	#next = 1;
	/** Changes with each start, so an id from before a restart is never taken for one of this run's. */
	readonly #epoch = Date.now().toString(36);
	#unsubscribe: (() => void) | null = null;

	constructor(events: EventBus, classroom: Classroom | undefined, maxStreams: number) {
		this.#events = events;
		this.#classroom = classroom;
		this.#maxStreams = maxStreams;
		this.#unsubscribe = this.#events.subscribe((event) => {
			const numbered = { n: this.#next++, event };
			if (this.#replay.length < REPLAY_EVENTS) this.#replay.push(numbered);
			else {
				this.#replay[this.#replayStart] = numbered;
				this.#replayStart = (this.#replayStart + 1) % REPLAY_EVENTS;
			}
			for (const listener of [...this.#listeners]) listener(numbered);
		});
	}

	/**
	 * The events after `lastEventId`, or null when they are not all in the buffer (or the id is not this run's).
	 * A missing or empty id is a first connection: nothing to replay.
	 */
	#missed(lastEventId: string | undefined): NumberedEvent[] | null {
		if (lastEventId === undefined || lastEventId.trim() === '') return [];
		const match = /^([0-9a-z]+)-(\d{1,15})$/.exec(lastEventId.trim());
		if (!match || match[1] !== this.#epoch) return null;
		const last = Number(match[2]);
		if (last >= this.#next) return null;
		const ordered = [...this.#replay.slice(this.#replayStart), ...this.#replay.slice(0, this.#replayStart)];
		const oldest = ordered[0]?.n ?? this.#next;
		if (last + 1 < oldest) return null;
		return ordered.filter((numbered) => numbered.n > last);
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
			return sendError(res, 503, bilingual('api.tooManyStreams', { limit: this.#maxStreams }), {
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
		const lastEventId = req.headers['last-event-id'];
		const missed = this.#missed(Array.isArray(lastEventId) ? lastEventId[0] : lastEventId);
		if (missed === null) res.write(formatReset(this.#epoch, this.#next - 1));
		else for (const numbered of missed) if (mailbox === null || inMailbox(numbered.event, mailbox)) res.write(this.#formatOnce(numbered));
		const open = this.#open;
		open.add(res);
		let heartbeat: NodeJS.Timeout | undefined;
		let unsubscribe: () => void = () => {};
		const listeners = this.#listeners;
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
		const listener = ({ n, event }: NumberedEvent) => {
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
			res.write(this.#formatOnce({ n, event }));
		};
		listeners.add(listener);
		unsubscribe = () => listeners.delete(listener);
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

	#formatOnce(numbered: NumberedEvent): string {
		let text = formatted.get(numbered.event);
		if (text === undefined) {
			// The id goes between `event:` and `data:`: the order of fields does not matter to EventSource, and a
			// reader that takes a block's first line as its event and its last as its data (simple scripts, our
			// load test) keeps working.
			text = format(numbered.event, `${this.#epoch}-${numbered.n}`);
			formatted.set(numbered.event, text);
		}
		return text;
	}

	/** Ends every open stream (shutdown), so the HTTP server can close. */
	closeAll(): void {
		this.#unsubscribe?.();
		this.#unsubscribe = null;
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
		case 'message-transcript':
			return event.mailbox === mailbox;
		case 'mailbox-cleared':
			return event.mailbox === null || event.mailbox === mailbox;
	}
}

/** Each event is serialised once, however many clients it goes to. */
const formatted = new WeakMap<SandboxEvent, string>();

/** Missed events are gone: the client loads its list again. Its id lets the next reconnect resume from here. */
function formatReset(epoch: string, last: number): string {
	return `event: reset\nid: ${epoch}-${last}\ndata: {}\n\n`;
}

export function format(event: SandboxEvent, id?: string): string {
	const { type, ...data } = event;
	const payload = type === 'message' || type === 'message-updated' ? event.message : data;
	// JSON never holds a raw newline, so one `data:` line carries it.
	return `event: ${type}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(payload)}\n\n`;
}

export function formatLearnerJoined(learner: Learner): string {
	return `event: learner-joined\ndata: ${JSON.stringify({ learner })}\n\n`;
}
