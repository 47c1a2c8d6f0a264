/**
 * Vitest globalSetup of the `browser` project: checks that the site is built and Chromium exists,
 * starts one Postlab server for all browser test files, and hands its address to them through
 * `inject('baseUrl')`. `npm test` builds the site before Vitest runs.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { findChromium } from './chromium.ts';
import { startServer } from './server-process.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Base URL of the running Postlab server, with a trailing slash. */
		baseUrl: string;
		/** Executable path of the Chromium the tests drive. */
		chromiumPath: string;
		/** The server's SANDBOX_DATA_DIR (a temporary folder removed after the run). */
		sandboxDataDir: string;
	}
}

const SERVER_ENTRY = fileURLToPath(new URL('../../../dist/server/entry.mjs', import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	if (!existsSync(SERVER_ENTRY)) {
		throw new Error(
			`The browser tests need the built site, and ${SERVER_ENTRY} is missing. ` +
				`Run "npm run build" first (npm test does it for you).`,
		);
	}
	const chromium = findChromium();
	if (chromium instanceof Error) throw chromium;

	const dataDir = await mkdtemp(join(tmpdir(), 'postlab-browser-'));
	// A .env that does not exist: the server runs in sandbox mode whatever .env the working copy holds.
	const server = await startServer({ dataDir, env: { DOTENV_CONFIG_PATH: join(dataDir, 'no-such.env') } });
	project.provide('baseUrl', server.url);
	project.provide('chromiumPath', chromium);
	project.provide('sandboxDataDir', dataDir);

	return async () => {
		await server.stop();
		await rm(dataDir, { recursive: true, force: true });
	};
}
