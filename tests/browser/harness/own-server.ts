/**
 * Browser test helper: a `node sandbox/main.ts` of a test file's own, on a fresh temporary folder, for files
 * whose server must start differently from the shared one (classroom mode, a `.env` for real SMTP mode).
 * One place for the folder, the `.env` that keeps the working copy's out, the start, and the clean-up.
 *
 *   const own = useOwnServer({ env: { SANDBOX_CLASSROOM: 'True' } });
 *   const browser = useBrowser({ baseUrl: own.url });
 *
 * `useRealModeServer` adds a Gmail-like SMTP server with a certificate of its own and a `.env` pointing the
 * sandbox's real SMTP mode at it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import {
	makeLocalhostCertificate,
	startGmailLikeServer,
	type GmailLikeServer,
	type GmailLikeServerOptions,
} from '../../../sandbox/testing/gmail-like-server.ts';
import { startServer, type RunningServer } from './server-process.ts';

export interface OwnServer {
	server: RunningServer;
	/** The folder made for this server; the sandbox's data is in `dataDir` inside it. */
	dir: string;
	dataDir: string;
	stop(): Promise<void>;
}

export interface OwnServerOptions {
	/** Variables for the server, applied last. Without DOTENV_CONFIG_PATH it reads no `.env` at all. */
	env?: Readonly<Record<string, string>>;
	/** Runs once the folder exists, before the server starts (to write files or join learners); may add variables. */
	prepare?: (paths: { dir: string; dataDir: string }) => Promise<Record<string, string> | void>;
}

/** Starts a server of its own; `stop` ends it and removes its folder. */
export async function startOwnServer(options: OwnServerOptions = {}): Promise<OwnServer> {
	const dir = await mkdtemp(join(tmpdir(), 'postlab-browser-own-'));
	const dataDir = join(dir, 'data');
	try {
		const prepared = (await options.prepare?.({ dir, dataDir })) ?? {};
		// A .env that does not exist, so the working copy's .env changes nothing (as in global-setup.ts).
		const env = { DOTENV_CONFIG_PATH: join(dir, 'no-such.env'), ...prepared, ...options.env };
		const server = await startServer({ dataDir, env });
		return {
			server,
			dir,
			dataDir,
			async stop() {
				await server.stop();
				await rm(dir, { recursive: true, force: true });
			},
		};
	} catch (error) {
		await rm(dir, { recursive: true, force: true });
		throw error;
	}
}

export interface OwnServerHandle {
	/** The running server; throws outside the file's tests. */
	server(): RunningServer;
	/** Its base URL (for `useBrowser({ baseUrl })`); a closed port until it runs, so a page fails plainly. */
	url(): string;
	dataDir(): string;
}

/** `startOwnServer` in this file's beforeAll, stopped in its afterAll. */
export function useOwnServer(options: OwnServerOptions = {}): OwnServerHandle {
	let own: OwnServer | undefined;
	beforeAll(async () => {
		own = await startOwnServer(options);
	}, 120_000);
	afterAll(async () => {
		await own?.stop();
	});
	const running = (): OwnServer => {
		if (!own) throw new Error('The server of this file starts in beforeAll: use it inside a test.');
		return own;
	};
	return { server: () => running().server, url: () => own?.server.url ?? 'http://127.0.0.1:9/', dataDir: () => running().dataDir };
}

export interface RealModeServerOptions {
	/** EMAIL_HOST_USER, and the app password the Gmail-like server accepts (EMAIL_HOST_PASSWORD). */
	user: string;
	password: string;
	/** DEFAULT_FROM_EMAIL as written in the `.env` (quotes included). */
	fromEmail: string;
	/** More `.env` lines, e.g. `EMAIL_TIMEOUT=20`. */
	envLines?: readonly string[];
	/** More variables for the server (e.g. classroom mode). */
	env?: Readonly<Record<string, string>>;
	/** Runs before the server starts, with its data folder (e.g. learners joining). */
	prepare?: (dataDir: string) => Promise<void>;
}

export interface RealModeServerHandle extends OwnServerHandle {
	gmail(): GmailLikeServer;
	/** The Gmail-like server's options; it reads `password` on every AUTH, so a test can revoke it. */
	gmailOptions(): GmailLikeServerOptions;
}

/** A Gmail-like server and a sandbox whose `.env` sends to it for real (STARTTLS, trusted by NODE_EXTRA_CA_CERTS). */
export function useRealModeServer(options: RealModeServerOptions): RealModeServerHandle {
	let gmail: GmailLikeServer | undefined;
	let gmailOptions: GmailLikeServerOptions | undefined;
	const own = useOwnServer({
		...(options.env ? { env: options.env } : {}),
		async prepare({ dir, dataDir }) {
			const certificate = await makeLocalhostCertificate();
			gmailOptions = { certificate, password: options.password };
			gmail = await startGmailLikeServer(gmailOptions);
			const caPath = join(dir, 'gmail-like-ca.pem');
			await writeFile(caPath, certificate.cert);
			const envPath = join(dir, '.env');
			const lines = [
				'EMAIL_HOST=localhost',
				`EMAIL_PORT=${gmail.port}`,
				'EMAIL_USE_TLS=True',
				`EMAIL_HOST_USER=${options.user}`,
				`EMAIL_HOST_PASSWORD=${options.password}`,
				`DEFAULT_FROM_EMAIL=${options.fromEmail}`,
				...(options.envLines ?? []),
				'',
			];
			await writeFile(envPath, lines.join('\n'));
			await options.prepare?.(dataDir);
			return { DOTENV_CONFIG_PATH: envPath, NODE_EXTRA_CA_CERTS: caPath };
		},
	});
	// Either order of the two afterAll hooks is safe: the sandbox only connects to this server when a test sends.
	afterAll(async () => {
		await gmail?.close();
	});
	return {
		...own,
		gmail: () => {
			if (!gmail) throw new Error('The Gmail-like server starts in beforeAll: use it inside a test.');
			return gmail;
		},
		gmailOptions: () => {
			if (!gmailOptions) throw new Error('The Gmail-like server starts in beforeAll: use it inside a test.');
			return gmailOptions;
		},
	};
}
