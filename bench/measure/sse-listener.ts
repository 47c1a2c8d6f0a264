/**
 * A client of Postlab's live event stream, as the inbox page is: it notes when each benchmark
 * message's event arrives, so latency can be taken from the 250 reply to "visible".
 */
export interface SseListener {
	/** Resolves once the stream is open. */
	ready: Promise<void>;
	/** performance.now() at which the event for message n of this run arrived. */
	arrivals: Map<number, number>;
	close(): void;
}

export function listen(url: string, marker: string): SseListener {
	const controller = new AbortController();
	const arrivals = new Map<number, number>();
	const pattern = new RegExp(`${marker} #(\\d+)`, 'g');
	let markReady: () => void = () => {};
	let markFailed: (error: unknown) => void = () => {};
	const ready = new Promise<void>((resolve, reject) => {
		markReady = resolve;
		markFailed = reject;
	});
	void (async () => {
		try {
			const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
			if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
			markReady();
			const decoder = new TextDecoder();
			// A marker may straddle two chunks; the tail of the previous one is searched again.
			let carry = '';
			for await (const chunk of response.body) {
				const at = performance.now();
				const text = carry + decoder.decode(chunk, { stream: true });
				for (const found of text.matchAll(pattern)) {
					const n = Number(found[1]);
					if (!arrivals.has(n)) arrivals.set(n, at);
				}
				carry = text.slice(-64);
			}
		} catch (error) {
			if (!controller.signal.aborted) markFailed(error);
		}
	})();
	return { ready, arrivals, close: () => controller.abort() };
}
