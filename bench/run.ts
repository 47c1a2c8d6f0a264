/**
 * `npm run bench`: Postlab side by side with MailDev and a bare smtp-server, on this machine, in one
 * run. Prints medians and ratios and writes bench/results/latest.json.
 *
 *   npm run bench              the full run (a few minutes)
 *   npm run bench -- --quick   fewer messages and one round, to check the benchmark itself
 */
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { heavyMessage, runMarker, smallMessage, type MessageTemplate } from './load/messages.ts';
import { runLoad } from './load/smtp-client.ts';
import { pageWeight, type PageWeight } from './measure/page-weight.ts';
import { listen } from './measure/sse-listener.ts';
import { median, percentile } from './measure/stats.ts';
import { startBare } from './targets/bare.ts';
import { installMaildev, maildevVersion, startMaildev } from './targets/maildev.ts';
import { startPostlab, type PostlabTarget } from './targets/postlab.ts';
import { rssBytes, startProcess, stopProcess, waitUntil } from './targets/process.ts';
import type { Target } from './targets/target.ts';

const { values: flags } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		'skip-maildev': { type: 'boolean', default: false },
	},
});
const quick = flags.quick ?? false;
const withMaildev = !(flags['skip-maildev'] ?? false);
const root = fileURLToPath(new URL('../', import.meta.url));
const rounds = quick ? 1 : 3;
const log = (line: string): void => console.error(`bench: ${line}`);

type Starter = () => Promise<Target>;

const scratch = await mkdtemp(join(tmpdir(), 'postlab-bench-'));
let dataDirs = 0;
const freshDataDir = async (): Promise<string> => {
	const dir = join(scratch, `data-${++dataDirs}`);
	await mkdir(dir);
	return dir;
};

// ── build (the first half of `npm start`; the servers below need its output) ────────────────────

const startup: Record<string, number> = {};
{
	const buildStarted = performance.now();
	const build = spawn(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], { cwd: root, stdio: 'ignore' });
	const code = await new Promise<number | null>((resolve) => build.once('exit', resolve));
	if (code !== 0) throw new Error(`astro build exited with ${code}`);
	startup['build'] = performance.now() - buildStarted;
}

if (withMaildev) await installMaildev(log);

const starters: Array<{ key: 'postlab' | 'maildev' | 'bare'; start: Starter }> = [
	{ key: 'postlab', start: async () => startPostlab(await freshDataDir()) },
	...(withMaildev ? [{ key: 'maildev' as const, start: startMaildev }] : []),
	{ key: 'bare', start: startBare },
];

// ── ingest throughput ────────────────────────────────────────────────────────────────────────────

interface LoadSpec {
	id: string;
	label: string;
	template: MessageTemplate;
	messages: number;
	connections: number;
	persistent: boolean;
}

const loads: LoadSpec[] = [
	{ id: 'small-4', label: '~1 KB, 4 persistent connections', template: smallMessage, messages: quick ? 1000 : 5000, connections: 4, persistent: true },
	{ id: 'heavy-4', label: '~335 KB, 4 persistent connections', template: heavyMessage, messages: quick ? 100 : 400, connections: 4, persistent: true },
	{ id: 'small-fresh', label: '~1 KB, a new connection per message (4 at a time)', template: smallMessage, messages: quick ? 100 : 300, connections: 4, persistent: false },
];

/** Messages per second from the first byte sent to the tool's API confirming the last one stored. */
async function ingest(target: Target, load: LoadSpec): Promise<number> {
	const marker = runMarker();
	const before = (await target.storedCount()) ?? 0;
	const started = performance.now();
	await runLoad({
		host: '127.0.0.1',
		port: target.smtpPort,
		messages: load.messages,
		connections: load.connections,
		persistent: load.persistent,
		message: (n) => load.template.build(n, marker),
	});
	await waitUntil(async () => ((await target.storedCount()) ?? Infinity) >= before + load.messages, 120_000, `${target.name} to store ${load.messages} messages`);
	return (load.messages * 1000) / (performance.now() - started);
}

const throughput: Record<string, Record<string, number[]>> = {};
for (const load of loads) {
	throughput[load.id] = {};
	for (let round = 0; round < rounds; round++) {
		// Alternate who goes first, so warm caches and thermal state favour no one.
		const order = starters.map((_, i) => starters[(i + round) % starters.length]!);
		for (const { key, start } of order) {
			const target = await start();
			try {
				const rate = await ingest(target, load);
				(throughput[load.id]![key] ??= []).push(rate);
				log(`${load.id} round ${round + 1}: ${target.name} ${rate.toFixed(0)} msg/s`);
			} finally {
				await target.stop();
			}
		}
	}
}

// ── send → visible latency ───────────────────────────────────────────────────────────────────────

interface Latency {
	p50: number;
	p95: number;
	p99: number;
	samples: number;
	/** Sends whose event reached the listener before the 250 reached the sender (a negative delta). */
	visibleBefore250: number;
}

/** Percentiles of the signed deltas: a negative one means the event beat the 250, and is reported as such. */
const summarise = (samples: number[]): Latency => ({
	p50: percentile(samples, 50),
	p95: percentile(samples, 95),
	p99: percentile(samples, 99),
	samples: samples.length,
	visibleBefore250: samples.filter((sample) => sample < 0).length,
});

/** Sends `count` messages one after another and measures 250 → SSE event at a connected client. */
async function postlabLatency(target: PostlabTarget, count: number): Promise<number[]> {
	const marker = runMarker();
	const listener = listen(`${target.base}/api/v1/events`, marker);
	await listener.ready;
	const accepted = new Map<number, number>();
	await runLoad({
		host: '127.0.0.1',
		port: target.smtpPort,
		messages: count,
		connections: 1,
		persistent: true,
		message: (n) => smallMessage.build(n, marker),
		onAccepted: (n, at) => accepted.set(n, at),
	});
	await waitUntil(async () => listener.arrivals.size >= count, 30_000, 'every event to reach the listener');
	listener.close();
	// The store emits the event before the SMTP server writes the 250, so on loopback the event often
	// reaches the listener first: the delta is then negative, kept as it is and counted in visibleBefore250.
	return [...accepted].map(([n, at]) => (listener.arrivals.get(n) ?? Infinity) - at);
}

/** MailDev's web UI learns of new mail over socket.io; its REST API is what a script can watch. */
async function maildevLatency(target: Target, count: number): Promise<number[]> {
	const marker = runMarker();
	const samples: number[] = [];
	let stored = (await target.storedCount()) ?? 0;
	for (let n = 0; n < count; n++) {
		let acceptedAt = 0;
		await runLoad({
			host: '127.0.0.1',
			port: target.smtpPort,
			messages: 1,
			connections: 1,
			persistent: true,
			message: () => smallMessage.build(n, marker),
			onAccepted: (_, at) => (acceptedAt = at),
		});
		const expected = ++stored;
		await waitUntil(async () => ((await target.storedCount()) ?? 0) >= expected, 10_000, 'MailDev to list the message');
		samples.push(performance.now() - acceptedAt);
	}
	return samples;
}

const latencyCount = quick ? 100 : 500;
const latency: Record<string, Latency> = {};
{
	const postlab = await startPostlab(await freshDataDir());
	try {
		latency['postlab-idle'] = summarise(await postlabLatency(postlab, latencyCount));
		log(`latency idle: p95 ${latency['postlab-idle'].p95.toFixed(2)} ms`);

		// A classroom: 300 open inboxes and 50 senders (their own process, see classroom-load.ts), while one
		// more sender is measured from here.
		const classroom = await startProcess(process.execPath, [join(root, 'bench/load/classroom-load.ts'), postlab.base, String(postlab.smtpPort)], {
			ready: /^ready$/m,
		});
		try {
			latency['postlab-classroom'] = summarise(await postlabLatency(postlab, latencyCount));
		} finally {
			await stopProcess(classroom.child, 'SIGKILL');
		}
		log(`latency under load: p95 ${latency['postlab-classroom'].p95.toFixed(2)} ms`);
	} finally {
		await postlab.stop();
	}
	if (withMaildev) {
		const maildev = await startMaildev();
		try {
			latency['maildev-idle'] = summarise(await maildevLatency(maildev, latencyCount));
		} finally {
			await maildev.stop();
		}
	}
}

// ── memory ───────────────────────────────────────────────────────────────────────────────────────

const memoryMessages = quick ? 2000 : 10_000;
const memory: Record<string, { idle: number; loaded: number; restarted: number | null }> = {};
let loadedDataDir = '';
{
	loadedDataDir = await freshDataDir();
	let postlab = await startPostlab(loadedDataDir);
	const idle = await rssBytes(postlab.pid);
	await ingest(postlab, { id: 'memory', label: '', template: smallMessage, messages: memoryMessages, connections: 4, persistent: true });
	const loaded = await rssBytes(postlab.pid);
	await postlab.stop();
	postlab = await startPostlab(loadedDataDir);
	await waitUntil(async () => (await postlab.storedCount()) === memoryMessages, 60_000, 'the restarted Postlab to list every message');
	const restarted = await rssBytes(postlab.pid);
	await postlab.stop();
	memory['postlab'] = { idle, loaded, restarted };
	if (withMaildev) {
		const maildev = await startMaildev();
		const idleMaildev = await rssBytes(maildev.pid);
		await ingest(maildev, { id: 'memory', label: '', template: smallMessage, messages: memoryMessages, connections: 4, persistent: true });
		memory['maildev'] = { idle: idleMaildev, loaded: await rssBytes(maildev.pid), restarted: null };
		await maildev.stop();
	}
	const bare = await startBare();
	const idleBare = await rssBytes(bare.pid);
	await ingest(bare, { id: 'memory', label: '', template: smallMessage, messages: memoryMessages, connections: 4, persistent: true });
	memory['bare'] = { idle: idleBare, loaded: await rssBytes(bare.pid), restarted: null };
	await bare.stop();
}

// ── start-up and page weight ─────────────────────────────────────────────────────────────────────

{
	// Server start with an empty data folder (the certificate is made on this run), then with mail on disk.
	const cold = await startPostlab(await freshDataDir());
	startup['cold'] = cold.startupMs;
	await cold.stop();
	const warm = await startPostlab(loadedDataDir);
	startup['warm'] = warm.startupMs;
	await warm.stop();
}

let weights: Record<string, PageWeight> = {};
{
	const postlab = await startPostlab(await freshDataDir());
	try {
		weights = {
			lesson: await pageWeight(`${postlab.base}/en/what-is-smtp/`),
			inbox: await pageWeight(`${postlab.base}/en/sandbox/inbox/`),
		};
	} finally {
		await postlab.stop();
	}
}

// ── report ───────────────────────────────────────────────────────────────────────────────────────

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const rate = (values: number[] | undefined): string => (values ? `${median(values).toFixed(0)}/s` : '–');
const ratio = (a: number[] | undefined, b: number[] | undefined): string => (a && b ? `${(median(a) / median(b)).toFixed(2)}×` : '–');
const ms = (value: number | undefined): string => (value === undefined ? '–' : `${value.toFixed(2)} ms`);

const lines: string[] = [];
// Other work on the machine moves every figure (fsync latency most): the load average goes with them.
const load = loadavg().map((value) => value.toFixed(2));
lines.push(`Postlab benchmark, ${new Date().toISOString()} — ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${mb(totalmem())} RAM, Node ${process.version}, load average at the end ${load.join(' / ')}${quick ? ', QUICK run' : ''}`);
lines.push('');
lines.push(`| ingest (median of ${rounds}, counted when the API lists every message) | Postlab | MailDev ${maildevVersion} | bare smtp-server | Postlab / MailDev |`);
lines.push('|---|---|---|---|---|');
for (const load of loads) {
	const row = throughput[load.id] ?? {};
	lines.push(`| ${load.label} (${load.messages} messages) | ${rate(row['postlab'])} | ${rate(row['maildev'])} | ${rate(row['bare'])} | ${ratio(row['postlab'], row['maildev'])} |`);
}
lines.push('');
lines.push(`| 250 reply → visible (${latencyCount} sends; negative = visible before the 250) | p50 | p95 | p99 | visible before the 250 |`);
lines.push('|---|---|---|---|---|');
const latencyLabels: Record<string, string> = {
	'postlab-idle': 'Postlab, SSE event at a connected client, idle',
	'postlab-classroom': 'Postlab, SSE, while 50 senders and 300 listeners are active',
	'maildev-idle': 'MailDev, listed by its REST API, idle',
};
for (const [key, value] of Object.entries(latency)) {
	lines.push(`| ${latencyLabels[key] ?? key} | ${ms(value.p50)} | ${ms(value.p95)} | ${ms(value.p99)} | ${value.visibleBefore250} of ${value.samples} |`);
}
lines.push('');
lines.push(`| RSS | idle | after ${memoryMessages} small messages | restarted with them on disk |`);
lines.push('|---|---|---|---|');
for (const [key, value] of Object.entries(memory)) {
	const notKept = key === 'bare' ? '– (keeps nothing)' : '– (keeps mail in memory only)';
	lines.push(`| ${key} | ${mb(value.idle)} | ${mb(value.loaded)} | ${value.restarted === null ? notKept : mb(value.restarted)} |`);
}
const postlabMemory = memory['postlab'];
const maildevMemory = memory['maildev'];
if (postlabMemory && maildevMemory) lines.push(`\nRSS after ${memoryMessages}, Postlab / MailDev: ${(postlabMemory.loaded / maildevMemory.loaded).toFixed(2)}×`);
lines.push('');
lines.push(`Start-up: build ${(startup['build']! / 1000).toFixed(1)} s; server to ready with an empty data folder ${ms(startup['cold'])}, with ${memoryMessages} messages on disk ${ms(startup['warm'])}.`);
lines.push('');
lines.push('| page weight | HTML | CSS | JS | all, gzipped |');
lines.push('|---|---|---|---|---|');
for (const [key, value] of Object.entries(weights)) lines.push(`| ${key} | ${kb(value.html)} | ${kb(value.css)} | ${kb(value.js)} | ${kb(value.gzipped)} |`);

console.log(lines.join('\n'));
await mkdir(join(root, 'bench', 'results'), { recursive: true });
const result = { date: new Date().toISOString(), quick, machine: { cpus: cpus().length, model: cpus()[0]?.model, memory: totalmem(), node: process.version, loadAverage: loadavg() }, throughput, latency, memory, startup, weights };
await writeFile(join(root, 'bench', 'results', quick ? 'quick.json' : 'latest.json'), JSON.stringify(result, null, '\t') + '\n');
await rm(scratch, { recursive: true, force: true });
