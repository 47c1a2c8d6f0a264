/**
 * Opens messages for the inbox off the main thread: parsing, sanitising and link extraction run in one
 * worker thread (render-worker.ts), one message at a time, each within a time budget. A message over the
 * budget gets the worker terminated (a fresh one takes the next message) and is shown once more without
 * its HTML, with a note saying why; that verdict is remembered, so nobody else waits for it again. The
 * main thread only reads bytes and passes them on, so however hostile a message, SMTP, POP3, IMAP,
 * health and the event streams keep answering while it is opened.
 */
import { Worker } from 'node:worker_threads';
import type { AttachmentInfo, MessageContent } from './message-content.ts';
import type { PresentOptions } from './present-message.ts';
import { RenderCache } from './render-cache.ts';
import { consoleLog, type OperatorLog } from '../operator-log.ts';

export type RenderRequest =
	| { kind: 'content'; raw: Uint8Array; options: PresentOptions }
	| { kind: 'attachment'; raw: Uint8Array; index: number };

/** The worker's first message: its modules are loaded. */
export interface WorkerReady {
	ready: true;
}

export type RenderReply =
	| { ok: true; kind: 'content'; content: MessageContent }
	| { ok: true; kind: 'attachment'; attachment: { info: AttachmentInfo; content: Uint8Array } | null }
	| { ok: false; error: string };

/**
 * Time for one message in the worker, counted once the worker is loaded. Within the HTML limits
 * (html-limits.ts) the costliest mail measured here renders in about a second; a budget well beyond that
 * tells a slow machine from a hostile message, and bounds how long the messages queued behind one wait.
 */
export const RENDER_BUDGET_MS = 5_000;
/** A worker that has not loaded its modules by then is stuck; the message it was for fails. */
const WORKER_START_MS = 30_000;
/** Messages waiting for the worker; more are answered "busy, try again" rather than queued without end. */
const MAX_QUEUED = 64;
/** The worker (with mailparser loaded, ~40 MB) is let go after this long without work. */
const IDLE_WORKER_MS = 30_000;
/** A message's parse in the worker takes a few times its size; this bounds what one hostile message can take. */
const WORKER_HEAP_MB = 512;
/** Rendered messages kept for the next look (the HTML frame right after the detail, a class on one message). */
const CACHE_ENTRIES = 32;
const CACHE_BYTES = 32 * 1024 * 1024;
/** Messages whose HTML ran out of budget, remembered so they are opened without it from then on. */
const SLOW_REMEMBERED = 1000;

/** The worker could not finish this message: out of time, out of memory, or it failed. */
export class RenderFailedError extends Error {
	readonly reason: 'timeout' | 'worker';

	constructor(reason: 'timeout' | 'worker', message: string) {
		super(message);
		this.name = 'RenderFailedError';
		this.reason = reason;
	}
}

/** Too many messages are waiting to be opened; the client should try again shortly. */
export class RendererBusyError extends Error {
	constructor() {
		super('Postlab is opening many messages at once. Try again in a moment.');
		this.name = 'RendererBusyError';
	}
}

interface Job {
	request: RenderRequest;
	transfer: ArrayBuffer[];
	resolve: (reply: RenderReply) => void;
	reject: (error: Error) => void;
}

export interface RendererOptions {
	/** Per-message time budget; tests make it short. */
	budgetMs?: number;
	/** Where a message whose HTML could not be rendered is reported; default: the console. */
	log?: OperatorLog;
}

export class MessageRenderer {
	readonly #budgetMs: number;
	readonly #log: OperatorLog;
	readonly #queue: Job[] = [];
	readonly #cache = new RenderCache<MessageContent>(CACHE_ENTRIES, CACHE_BYTES);
	readonly #slow = new Set<string>();
	#worker: { thread: Worker; ready: Promise<void> } | null = null;
	#current: { job: Job; timer: NodeJS.Timeout | null } | null = null;
	#idleTimer: NodeJS.Timeout | null = null;
	#closed = false;

	constructor(options: RendererOptions = {}) {
		this.#budgetMs = options.budgetMs ?? RENDER_BUDGET_MS;
		this.#log = options.log ?? consoleLog;
	}

	/**
	 * A message's parts, made safe to show; `key` names the message (its id), `size` its raw size (for the
	 * cache), `read` fetches its bytes (null when it is gone). Null when the message is gone.
	 */
	async content(key: string, size: number, read: () => Promise<Buffer | null>, options: Omit<PresentOptions, 'htmlWork'>): Promise<MessageContent | null> {
		const variant = `${key}\u0000${options.allowRemoteImages ? 'remote' : 'blocked'}`;
		try {
			return await this.#cache.get(variant, size, async () => {
				const raw = await read();
				if (!raw) throw new MessageGoneError();
				if (!this.#slow.has(key)) {
					try {
						return await this.#renderContent(raw, { ...options, htmlWork: true });
					} catch (error) {
						if (!(error instanceof RenderFailedError)) throw error;
						this.#rememberSlow(key);
						this.#log(error.reason === 'timeout' ? 'log.render.htmlTimeout' : 'log.render.htmlCrashed', { id: key, ms: this.#budgetMs });
					}
				}
				return this.#renderContent(raw, { ...options, htmlWork: false });
			});
		} catch (error) {
			if (error instanceof MessageGoneError) return null;
			throw error;
		}
	}

	/** One attachment of a message, or null when there is no such attachment (or message). */
	async attachment(raw: Buffer | null, index: number): Promise<{ info: AttachmentInfo; content: Buffer } | null> {
		if (!raw) return null;
		const reply = await this.#run({ kind: 'attachment', raw: copy(raw), index });
		if (reply.kind !== 'attachment') throw new Error('the render worker answered the wrong question');
		if (!reply.attachment) return null;
		const { content } = reply.attachment;
		return { info: reply.attachment.info, content: Buffer.from(content.buffer, content.byteOffset, content.byteLength) };
	}

	/** Stops the worker; messages still waiting fail. */
	async close(): Promise<void> {
		this.#closed = true;
		for (const job of this.#queue.splice(0)) job.reject(new Error('Postlab is stopping.'));
		if (this.#current) {
			if (this.#current.timer) clearTimeout(this.#current.timer);
			this.#current.job.reject(new Error('Postlab is stopping.'));
			this.#current = null;
		}
		if (this.#idleTimer) clearTimeout(this.#idleTimer);
		const worker = this.#worker;
		this.#worker = null;
		this.#cache.clear();
		await worker?.thread.terminate();
	}

	async #renderContent(raw: Buffer, options: PresentOptions): Promise<MessageContent> {
		const reply = await this.#run({ kind: 'content', raw: copy(raw), options });
		if (reply.kind !== 'content') throw new Error('the render worker answered the wrong question');
		return reply.content;
	}

	#rememberSlow(key: string): void {
		if (this.#slow.size >= SLOW_REMEMBERED) this.#slow.delete(this.#slow.values().next().value!);
		this.#slow.add(key);
	}

	#run(request: RenderRequest): Promise<Extract<RenderReply, { ok: true }>> {
		if (this.#closed) return Promise.reject(new Error('Postlab is stopping.'));
		if (this.#queue.length >= MAX_QUEUED) return Promise.reject(new RendererBusyError());
		return new Promise((resolve, reject) => {
			const transfer = [request.raw.buffer as ArrayBuffer];
			this.#queue.push({
				request,
				transfer,
				resolve: (reply) => (reply.ok ? resolve(reply) : reject(new Error(`The message could not be opened: ${reply.error}`))),
				reject,
			});
			this.#pump();
		});
	}

	#pump(): void {
		if (this.#current || this.#closed) return;
		const job = this.#queue.shift();
		if (!job) {
			this.#idleTimer ??= setTimeout(() => this.#retire(), IDLE_WORKER_MS).unref();
			return;
		}
		if (this.#idleTimer) clearTimeout(this.#idleTimer);
		this.#idleTimer = null;
		const worker = this.#ensureWorker();
		const current: { job: Job; timer: NodeJS.Timeout | null } = { job, timer: null };
		this.#current = current;
		void worker.ready.then(() => {
			if (this.#worker !== worker || this.#current !== current) return;
			current.timer = setTimeout(() => this.#fail(worker.thread, new RenderFailedError('timeout', `took over ${this.#budgetMs} ms`)), this.#budgetMs);
			worker.thread.postMessage(job.request, job.transfer);
		});
	}

	#ensureWorker(): { thread: Worker; ready: Promise<void> } {
		if (this.#worker) return this.#worker;
		const thread = new Worker(new URL('./render-worker.ts', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
		// The worker never keeps the process alive: shutdown does not wait for it.
		thread.unref();
		let loaded: () => void = () => undefined;
		const ready = new Promise<void>((resolve) => (loaded = resolve));
		const startTimer = setTimeout(() => this.#fail(thread, new RenderFailedError('worker', `the render worker did not start within ${WORKER_START_MS} ms`)), WORKER_START_MS);
		startTimer.unref();
		thread.on('message', (reply: RenderReply | WorkerReady) => {
			if (this.#worker?.thread !== thread) return;
			if ('ready' in reply) {
				clearTimeout(startTimer);
				return loaded();
			}
			const current = this.#current;
			if (!current) return;
			if (current.timer) clearTimeout(current.timer);
			this.#current = null;
			current.job.resolve(reply);
			this.#pump();
		});
		// Out of memory, or a crash: the message it was on fails, the next one gets a fresh worker.
		thread.on('error', (error: Error) => this.#fail(thread, new RenderFailedError('worker', error.message)));
		thread.on('exit', () => {
			clearTimeout(startTimer);
			this.#fail(thread, new RenderFailedError('worker', 'the render worker stopped'));
		});
		this.#worker = { thread, ready };
		return this.#worker;
	}

	#fail(thread: Worker, error: RenderFailedError): void {
		if (this.#worker?.thread !== thread) return;
		this.#worker = null;
		void thread.terminate();
		const current = this.#current;
		this.#current = null;
		if (current) {
			if (current.timer) clearTimeout(current.timer);
			current.job.reject(error);
		}
		this.#pump();
	}

	/** Lets an idle worker go; the next message starts a new one. */
	#retire(): void {
		this.#idleTimer = null;
		const worker = this.#worker;
		if (!worker || this.#current || this.#queue.length > 0) return;
		this.#worker = null;
		void worker.thread.terminate();
	}
}

class MessageGoneError extends Error {}

/** A copy with its own memory, to hand over to the worker (a Buffer may share a pool with others). */
function copy(raw: Buffer): Uint8Array {
	return new Uint8Array(raw);
}
