/**
 * Test support: a protocol console driven from Node with `ws`, as the lesson page drives it, collecting what
 * the bridge sends and waiting for a message that matches (or failing after a timeout). Not a test itself.
 */
import WebSocket from 'ws';
import type { ConsoleClientMessage, ConsoleServerMessage, GoalReport } from './console-wire.ts';

export interface ConsoleTestClient {
	ws: WebSocket;
	received: ConsoleServerMessage[];
	send(message: ConsoleClientMessage): void;
	type(...lines: string[]): void;
	/** Resolves with the first message (already received or still to come) after `from` that matches. */
	waitFor(matches: (m: ConsoleServerMessage) => boolean, timeoutMs?: number): Promise<ConsoleServerMessage>;
	/** Waits for a server line matching `pattern` that arrives after the current point. */
	reply(pattern: RegExp, timeoutMs?: number): Promise<string>;
	goals(): GoalReport[];
	close(): void;
}

export async function openConsole(baseUrl: string, query: string, headers: Record<string, string> = {}, localAddress?: string): Promise<ConsoleTestClient> {
	const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/api/v1/console?${query}`;
	const ws = new WebSocket(wsUrl, { headers: { origin: baseUrl, ...headers }, ...(localAddress ? { localAddress } : {}) });
	const received: ConsoleServerMessage[] = [];
	const waiters = new Set<() => void>();
	ws.on('message', (data) => {
		received.push(JSON.parse(data.toString()) as ConsoleServerMessage);
		for (const wake of [...waiters]) wake();
	});
	ws.on('close', () => {
		for (const wake of [...waiters]) wake();
	});
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
		ws.once('error', reject);
	});
	let cursor = 0;
	const waitFor = (matches: (m: ConsoleServerMessage) => boolean, timeoutMs = 5000) =>
		new Promise<ConsoleServerMessage>((resolve, reject) => {
			const look = () => {
				for (let i = cursor; i < received.length; i += 1) {
					if (matches(received[i]!)) {
						cursor = i + 1;
						waiters.delete(look);
						clearTimeout(timer);
						resolve(received[i]!);
						return;
					}
				}
			};
			const timer = setTimeout(() => {
				waiters.delete(look);
				reject(new Error(`no matching console message within ${timeoutMs} ms; after ${JSON.stringify(received.slice(Math.max(0, cursor - 4)))}`));
			}, timeoutMs);
			waiters.add(look);
			look();
		});
	return {
		ws,
		received,
		send: (message) => ws.send(JSON.stringify(message)),
		type: (...lines) => ws.send(JSON.stringify({ t: 'lines', lines })),
		waitFor,
		async reply(pattern, timeoutMs) {
			const m = await waitFor((x) => x.t === 'line' && x.from === 'server' && pattern.test(x.line), timeoutMs);
			return m.t === 'line' ? m.line : '';
		},
		goals() {
			const last = received.findLast((m) => m.t === 'goals');
			return last?.t === 'goals' ? last.goals : [];
		},
		close: () => ws.close(),
	};
}

/** The HTTP status a refused upgrade got. */
export function refusedStatus(baseUrl: string, query: string, headers: Record<string, string>, localAddress?: string): Promise<number> {
	const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/console?${query}`, { headers, ...(localAddress ? { localAddress } : {}) });
	return new Promise((resolve, reject) => {
		ws.once('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0);
			ws.terminate();
		});
		ws.once('open', () => {
			ws.close();
			reject(new Error('the console opened'));
		});
		ws.once('error', () => undefined);
	});
}
