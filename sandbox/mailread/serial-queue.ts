/**
 * Runs a session's commands one after another. Clients may pipeline (RFC 2449 PIPELINING, IMAP tags);
 * answers must still come out in order and a command must see the state the previous one left.
 */
export class SerialQueue {
	#tasks: Array<() => Promise<void>> = [];
	#running = false;
	#onError: (error: unknown) => void;

	constructor(onError: (error: unknown) => void) {
		this.#onError = onError;
	}

	push(task: () => Promise<void>): void {
		this.#tasks.push(task);
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
		}
		this.#running = false;
	}
}
