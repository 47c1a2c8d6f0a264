/**
 * Test support: a whole sandbox on free ports in a fresh temporary data folder, with the JSON API served
 * by a plain Node HTTP server, as `sandbox/main.ts` does without the Astro site. Not a test itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig, type Env, type SandboxConfig } from '../config.ts';
import type { SandboxEvent } from '../events/event-bus.ts';
import type { EventBus } from '../events/event-bus.ts';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../sandbox.ts';

export interface TestSandbox {
	sandbox: SandboxHandle;
	config: SandboxConfig;
	dataDir: string;
	/** `http://127.0.0.1:<port>` of the API server. */
	baseUrl: string;
	httpPort: number;
	/** Stops the sandbox and the HTTP server; `keepData` leaves the folder for a restart test. */
	stop(keepData?: boolean): Promise<void>;
}

/** Every listener on a port the OS picks, so tests never collide with each other or a running `npm start`. */
export const FREE_PORTS = {
	SANDBOX_SMTP_PORT: '0',
	SANDBOX_SMTPS_PORT: '0',
	SANDBOX_POP3_PORT: '0',
	SANDBOX_POP3S_PORT: '0',
	SANDBOX_IMAP_PORT: '0',
	SANDBOX_IMAPS_PORT: '0',
} as const;

export async function makeDataDir(): Promise<string> {
	return mkdtemp(join(tmpdir(), 'postlab-sandbox-test-'));
}

export async function startTestSandbox(env: Env = {}, options: SandboxOptions = {}, dataDir?: string): Promise<TestSandbox> {
	const dir = dataDir ?? (await makeDataDir());
	const config = readConfig({ ...FREE_PORTS, SANDBOX_DATA_DIR: dir, ...env });
	// English unless a test asks: what the sandbox logs must not depend on the LANG of the machine running the tests.
	const sandbox = await startSandbox(config, { log: () => undefined, lang: 'en', ...options });
	const server: Server = createServer(
		sandbox.http.serverOptions,
		sandbox.http.handle((req, res) =>
			sandbox.serve(req, res, () => {
				res.writeHead(404, { 'content-type': 'text/plain' });
				res.end('not the API');
			}),
		),
	);
	sandbox.http.attach(server);
	sandbox.console.attach(server);
	// The web server listens where the sandbox does (HOST), as npm start's does.
	await new Promise<void>((resolve) => server.listen(0, config.host, resolve));
	const address = server.address();
	const httpPort = typeof address === 'object' && address ? address.port : 0;
	sandbox.ports.http = httpPort;
	return {
		sandbox,
		config,
		dataDir: dir,
		baseUrl: `http://127.0.0.1:${httpPort}`,
		httpPort,
		async stop(keepData = false) {
			sandbox.api.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await sandbox.close();
			if (!keepData) await rm(dir, { recursive: true, force: true });
		},
	};
}

/** Resolves with the first event that matches, or rejects after `timeoutMs` (a failing test, not a wait). */
export function nextEvent<T extends SandboxEvent['type']>(
	events: EventBus,
	type: T,
	matches: (event: Extract<SandboxEvent, { type: T }>) => boolean = () => true,
	timeoutMs = 10_000,
): Promise<Extract<SandboxEvent, { type: T }>> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			stop();
			reject(new Error(`no "${type}" event within ${timeoutMs} ms`));
		}, timeoutMs);
		const stop = events.subscribe((event) => {
			if (event.type !== type) return;
			const typed = event as Extract<SandboxEvent, { type: T }>;
			if (!matches(typed)) return;
			clearTimeout(timer);
			stop();
			resolve(typed);
		});
	});
}
