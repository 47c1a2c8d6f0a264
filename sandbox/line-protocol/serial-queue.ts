/**
 * Runs a session's commands one after another. Clients may pipeline (RFC 2449 PIPELINING, IMAP tags);
 * answers must still come out in order and a command must see the state the previous one left.
 */
/**
 * Past this many waiting commands the session stops reading from the socket until the queue has been
 * worked off, so a client that pipelines without reading answers cannot fill our memory.
 */
const HIGH_WATER = 100;

export interface QueueFlowControl {
	pause(): void;
	resume(): void;
}

export class SerialQueue {
	#tasks: Array<() => Promise<void>> = [];
	#running = false;
	#paused = false;
	#onError: (error: unknown) => void;
	#flow: QueueFlowControl | null;

	constructor(onError: (error: unknown) => void, flow: QueueFlowControl | null = null) {
		this.#onError = onError;
		this.#flow = flow;
	}

	push(task: () => Promise<void>): void {
		this.#tasks.push(task);
		if (this.#tasks.length > HIGH_WATER && !this.#paused && this.#flow) {
			this.#paused = true;
			this.#flow.pause();
		}
		if (!this.#running) void this.#run();
	}

	/** Forgets commands not yet started (after a TLS upgrade nothing sent before it may run). */
	clear(): void {
		this.#tasks.length = 0;
	}

	get pending(): number {
		return this.#tasks.length;
	}

	async #run(): Promise<void> {
		this.#running = true;
		for (let task = this.#tasks.shift(); task; task = this.#tasks.shift()) {
			try {
				await task();
			} catch (error) {
				this.#onError(error);
			}
			if (this.#paused && this.#tasks.length === 0) {
				this.#paused = false;
				this.#flow?.resume();
			}
		}
		this.#running = false;
	}
}
