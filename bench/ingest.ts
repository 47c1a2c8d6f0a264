/**
 * Measures the sandbox (not a test; numbers depend on the machine):
 *  1. ingest: ~1 KB messages over 4 SMTP connections kept open, each stored durably before its 250;
 *  2. memory: a fresh process opens the same data folder (10,000 messages by default) and reports how
 *     long loading the index took and its RSS.
 *
 *   node bench/ingest.ts [messages=10000]
 *
 * The SMTP clients are raw sockets in this same process (nodemailer would cost more CPU than the
 * server); they share the CPU with the server, so the figure is a floor.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../sandbox/config.ts';
import { startSandbox } from '../sandbox/sandbox.ts';
import { runLoad } from './load/smtp-client.ts';

const CONNECTIONS = 4;

if (process.argv[2] === '--open') {
	// Phase 2, in its own process: how much memory does an opened store with N messages take?
	const dataDir = process.argv[3]!;
	const started = performance.now();
	const sandbox = await startSandbox(readConfig({ SANDBOX_SMTP_PORT: '0', SANDBOX_SMTPS_PORT: '0', SANDBOX_DATA_DIR: dataDir, SANDBOX_MAX_MESSAGES: '100000' }));
	const openMs = performance.now() - started;
	globalThis.gc?.();
	const { rss, heapUsed } = process.memoryUsage();
	const page = sandbox.store.list({ limit: 50 });
	const detailStart = performance.now();
	if (page.messages[0]) await sandbox.messages.detail(page.messages[0].id);
	const detailMs = performance.now() - detailStart;
	console.log(JSON.stringify({ count: sandbox.store.count, openMs: Math.round(openMs), rssMb: +(rss / 1048576).toFixed(1), heapMb: +(heapUsed / 1048576).toFixed(1), detailMs: +detailMs.toFixed(1) }));
	await sandbox.close();
	process.exit(0);
}

const total = Number(process.argv[2] ?? 10_000);
const dataDir = await mkdtemp(join(tmpdir(), 'postlab-bench-'));
const sandbox = await startSandbox(
	readConfig({ SANDBOX_SMTP_PORT: '0', SANDBOX_SMTPS_PORT: '0', SANDBOX_DATA_DIR: dataDir, SANDBOX_MAX_MESSAGES: String(total) }),
);
const body = (n: number) =>
	`From: Bench <bench@example.com>\r\nTo: you@example.com\r\nSubject: Bench message ${n}\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <${n}@bench.example>\r\n\r\n${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(15)}\r\n`;
console.log(`message size ≈ ${Buffer.byteLength(body(1)) - 2} bytes, ${total} messages over ${CONNECTIONS} connections`);

const { elapsedMs } = await runLoad({ host: '127.0.0.1', port: sandbox.ports.smtp, messages: total, connections: CONNECTIONS, persistent: true, message: (n) => Buffer.from(body(n)) });
const seconds = elapsedMs / 1000;
console.log(`ingest: ${total} messages in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} msgs/s (fsync before every 250)`);
console.log(`RSS of the ingesting process: ${(process.memoryUsage().rss / 1048576).toFixed(1)} MB`);
await sandbox.close();

const self = fileURLToPath(import.meta.url);
const opened = execFileSync(process.execPath, ['--expose-gc', self, '--open', dataDir], { encoding: 'utf8' });
const figures = JSON.parse(opened.trim().split('\n').at(-1)!) as { count: number; openMs: number; rssMb: number; heapMb: number; detailMs: number };
console.log(`fresh process with ${figures.count} stored messages: index loaded in ${figures.openMs} ms, RSS ${figures.rssMb} MB (JS heap ${figures.heapMb} MB) after GC; opening one message ${figures.detailMs} ms`);
await rm(dataDir, { recursive: true, force: true });
// The same measurement on an empty data folder: the difference is what the stored messages cost.
const emptyDir = await mkdtemp(join(tmpdir(), 'postlab-bench-empty-'));
const empty = execFileSync(process.execPath, ['--expose-gc', self, '--open', emptyDir], { encoding: 'utf8' });
const emptyFigures = JSON.parse(empty.trim().split('\n').at(-1)!) as { rssMb: number; heapMb: number };
console.log(`the same with an empty mailbox: RSS ${emptyFigures.rssMb} MB (JS heap ${emptyFigures.heapMb} MB)`);
await rm(emptyDir, { recursive: true, force: true });
