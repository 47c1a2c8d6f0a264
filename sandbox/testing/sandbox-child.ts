/**
 * Test support: the sandbox as its own process, for tests that kill it (`kill -9` during ingest) or load it
 * from outside. `node sandbox/testing/sandbox-child.ts <data dir>` starts the sandbox on free ports with its
 * JSON API served, and prints one JSON line `{"pid","smtp","smtps","http"}` once everything listens. The
 * environment passes `SANDBOX_*` settings through (SANDBOX_MAX_MESSAGES, …); ports are always picked by the OS.
 * SIGTERM stops it cleanly; anything it logs goes to stderr.
 */
import { startTestSandbox } from './test-sandbox.ts';

const dataDir = process.argv[2];
if (!dataDir) {
	console.error('usage: node sandbox/testing/sandbox-child.ts <data dir>');
	process.exit(2);
}

// Only the sandbox's own settings, and never its ports: a HOST, PORT or SANDBOX_SMTP_PORT left in the caller's
// shell must not move the listeners off the free loopback ports the tests expect.
const settings = Object.fromEntries(
	Object.entries(process.env).filter(([name]) => name.startsWith('SANDBOX_') && !name.endsWith('_PORT')),
);
const t = await startTestSandbox(
	{ ...settings, SANDBOX_DATA_DIR: dataDir },
	{ log: (message) => console.error(`[sandbox] ${message}`) },
	dataDir,
);
process.stdout.write(
	`${JSON.stringify({ pid: process.pid, smtp: t.sandbox.ports.smtp, smtps: t.sandbox.ports.smtps, http: t.httpPort })}\n`,
);
process.on('SIGTERM', () => {
	void t.stop(true).then(() => process.exit(0));
});
