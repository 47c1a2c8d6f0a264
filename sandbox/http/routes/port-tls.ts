/**
 * `POST /api/v1/labs/port-tls` with `{ "port": "starttls" | "tls", "useTls": bool, "useSsl": bool }`: runs
 * one real attempt of the port/TLS lab (sandbox/outbound/port-tls-lab.ts) and answers with its result.
 * Each attempt holds a socket for up to a few seconds, so only a few may run at once; more get 429.
 */
import type { PortTlsChoice, PortTlsResult } from '../../outbound/port-tls-lab.ts';
import { readJson, type ApiRequest } from '../api-request.ts';
import { HttpError, sendJson } from '../json-response.ts';
import { route, type Route } from '../route-table.ts';

/** Attempts in flight at once: a learner clicks once per try; a loop or a class at once still stays cheap. */
const MAX_CONCURRENT_ATTEMPTS = 8;

export type PortTlsRunner = (choice: PortTlsChoice) => Promise<PortTlsResult>;

/** Checks the request body; the message says what a correct body looks like. */
export function parsePortTlsChoice(body: unknown): PortTlsChoice {
	const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : null;
	const port = record?.['port'];
	const useTls = record?.['useTls'];
	const useSsl = record?.['useSsl'];
	if ((port !== 'starttls' && port !== 'tls') || typeof useTls !== 'boolean' || typeof useSsl !== 'boolean') {
		throw new HttpError(400, 'api.portTlsBody');
	}
	return { port, useTls, useSsl };
}

/** Wraps the runner with the concurrency limit. */
export function limitedPortTlsRunner(run: PortTlsRunner): PortTlsRunner {
	let running = 0;
	return async (choice) => {
		if (running >= MAX_CONCURRENT_ATTEMPTS) {
			throw new HttpError(429, 'api.portTlsBusy');
		}
		running += 1;
		try {
			return await run(choice);
		} finally {
			running -= 1;
		}
	};
}

/** The lab's route; `run` should already be limited (limitedPortTlsRunner). */
export function portTlsRoutes(run: PortTlsRunner): Route<ApiRequest>[] {
	return [route('POST', 'labs/port-tls', async ({ req, res }) => sendJson(res, 200, await run(parsePortTlsChoice(await readJson(req)))))];
}
