/**
 * What happened to the mailbox, told to whoever listens: the SSE stream for the inbox, the POP3/IMAP
 * servers, the forum. Events are emitted by the store after the change is on disk, so a listener that
 * reacts by reading the store finds the message there.
 */
import { errorDetail } from '../error-text.ts';
import { consoleLog, type OperatorLog } from '../operator-log.ts';
import type { MessageSummary } from '../store/types.ts';

export type SandboxEvent =
	/** A message was stored (the SMTP client has been or is about to be told 250). */
	| { type: 'message'; message: MessageSummary }
	/** A stored message changed in a way its summary shows: flags (read), preview, attachment count. */
	| { type: 'message-updated'; message: MessageSummary }
	/**
	 * The SMTP conversation that brought a message finished after its 250 (the reply to DATA, QUIT): its detail's
	 * transcript is now complete. Nothing in the summary changed, so it is not a `message-updated`.
	 */
	| { type: 'message-transcript'; id: string; mailbox: string }
	| { type: 'message-deleted'; id: string; mailbox: string; reason: 'deleted' | 'retention' }
	/** Every message of `mailbox` was deleted; `null` means every mailbox. */
	| { type: 'mailbox-cleared'; mailbox: string | null };

export type SandboxEventType = SandboxEvent['type'];
export type SandboxListener = (event: SandboxEvent) => void;

export class EventBus {
	readonly #listeners = new Set<SandboxListener>();
	readonly #log: OperatorLog;

	/** `log`: where a listener that throws is reported; default: the console. */
	constructor(log: OperatorLog = consoleLog) {
		this.#log = log;
	}

	/** Calls `listener` for every later event; returns the function that stops it. */
	subscribe(listener: SandboxListener): () => void {
		this.#listeners.add(listener);
		return () => {
			this.#listeners.delete(listener);
		};
	}

	emit(event: SandboxEvent): void {
		for (const listener of [...this.#listeners]) {
			try {
				listener(event);
			} catch (error) {
				// One broken listener (a closed SSE socket, a POP3 bug) must not stop the others or the SMTP reply.
				this.#log('log.events.listenerFailed', { event: event.type, error: errorDetail(error) });
			}
		}
	}

	get listenerCount(): number {
		return this.#listeners.size;
	}
}
