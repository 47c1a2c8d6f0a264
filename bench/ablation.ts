/**
 * `node bench/ablation.ts [--rounds 3] [--small 10000] [--heavy 400]`: where Postlab's ingest cost goes,
 * measured by taking work away (bench/ablation/remove-work.ts) rather than by a profiler's attribution,
 * which on a small machine spreads the cost of garbage collection, syscalls and cache misses thinly over
 * everything. Each variant is Postlab started as `npm start` starts it, with pieces of its work removed,
 * beside the bare smtp-server with and without Postlab's Node flags and MailDev (the peer, installed
 * as `npm run bench` installs it); all take the bench's load (4 persistent connections) in an order that
 * rotates each round. A run counts from the first byte sent to the last 250
 * received; CPU is the server process's user + system time from /proc, so other work on the machine moves
 * the rates more than the CPU figures. Prints medians.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { heavyMessage, runMarker, smallMessage, type MessageTemplate } from './load/messages.ts';
import { runLoad } from './load/smtp-client.ts';
import { median } from './measure/stats.ts';
import { CUTS, type CutName } from './ablation/remove-work.ts';
import { startFlags, startPostlab } from './targets/postlab.ts';
import { installMaildev, maildevVersion, startMaildev } from './targets/maildev.ts';
import { startBare } from './targets/bare.ts';
import { cpuMs } from './targets/process.ts';
import type { Target } from './targets/target.ts';

const { values: options } = parseArgs({ options: { rounds: { type: 'string' }, small: { type: 'string' }, heavy: { type: 'string' } } });
const rounds = Number(options.rounds ?? 3);
const loads: Array<{ template: MessageTemplate; messages: number }> = [
	{ template: smallMessage, messages: Number(options.small ?? 10_000) },
	{ template: heavyMessage, messages: Number(options.heavy ?? 400) },
];
// A URL, not a path: Node takes an absolute path as a package name in `--import` on Windows.
const hooks = pathToFileURL(fileURLToPath(new URL('./ablation/remove-work.ts', import.meta.url))).href;

interface Variant {
	label: string;
	start(scratch: string, messages: number): Promise<Target>;
}

function postlab(label: string, cuts: CutName[]): Variant {
	return {
		label,
		async start(scratch, messages) {
			const report = join(scratch, 'cuts-applied.txt');
			const env = { SANDBOX_MAX_MESSAGES: String(messages + 1000), POSTLAB_ABLATE: cuts.join(','), POSTLAB_ABLATE_REPORT: report };
			const target = await startPostlab(join(scratch, 'data'), env, [`--import=${hooks}`]);
			// Every cut asked for must have happened by the time Postlab is ready, or this would measure Postlab whole.
			const applied = cuts.length === 0 ? '' : await readFile(report, 'utf8').catch(() => '');
			const missing = cuts.flatMap((name) => CUTS[name].filter((cut) => !applied.includes(`${name} ${cut.file}\n`)).map((cut) => `${name} in ${cut.file}`));
			if (missing.length > 0) {
				await target.stop();
				throw new Error(`ablation: cuts not applied (their files were not loaded): ${missing.join('; ')}`);
			}
			return target;
		},
	};
}

const cutLists: CutName[][] = [[], ['no-sync'], ['no-summary'], ['no-disk'], ['no-disk', 'no-summary'], ['no-store']];
// The compile cache preload is Postlab's own; the bare server gets only the heap flags.
const heapFlags = startFlags().filter((flag) => !flag.startsWith('--import'));
const maildevLabel = `MailDev ${maildevVersion}`;
const variants: Variant[] = [
	...cutLists.map((cuts) => postlab(cuts.length === 0 ? 'Postlab' : `Postlab, ${cuts.join(' + ')}`, cuts)),
	{ label: `bare smtp-server, ${heapFlags.join(' ') || 'no flags'}`, start: () => startBare(heapFlags) },
	{ label: 'bare smtp-server, no flags', start: () => startBare() },
	// MailDev runs in the same rounds, so each variant's rate is set against the peer the targets name.
	{ label: maildevLabel, start: startMaildev },
];
await installMaildev((line) => console.error(line));

console.log(`ablation: ${rounds} rounds, medians; Node ${process.version}; flags of npm start: ${startFlags().join(' ')}`);
for (const { template, messages } of loads) {
	const rates = new Map<string, number[]>();
	const cpu = new Map<string, number[]>();
	for (let round = 0; round < rounds; round++) {
		const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
		for (const variant of order) {
			const scratch = await mkdtemp(join(tmpdir(), 'postlab-ablation-'));
			const server = await variant.start(scratch, messages);
			try {
				const marker = runMarker();
				const cpuBefore = await cpuMs(server.pid);
				const started = performance.now();
				await runLoad({ host: '127.0.0.1', port: server.smtpPort, messages, connections: 4, persistent: true, message: (n) => template.build(n, marker) });
				const elapsed = performance.now() - started;
				const used = (await cpuMs(server.pid)) - cpuBefore;
				rates.set(variant.label, [...(rates.get(variant.label) ?? []), (messages * 1000) / elapsed]);
				cpu.set(variant.label, [...(cpu.get(variant.label) ?? []), used / messages]);
			} finally {
				await server.stop();
				await rm(scratch, { recursive: true, force: true });
			}
		}
		console.error(`${template.kind}: round ${round + 1} of ${rounds} done, load ${loadavg()[0]!.toFixed(2)}`);
	}
	console.log(`\n${template.kind} (~${Math.round(template.approximateSize / 1024)} KB), ${messages} messages, 4 persistent connections`);
	const peer = median(rates.get(maildevLabel) ?? []);
	console.log(`| variant | msg/s | × ${maildevLabel} | CPU per message |\n|---|---|---|---|`);
	for (const variant of variants) {
		const rate = median(rates.get(variant.label) ?? []);
		console.log(`| ${variant.label} | ${rate.toFixed(0)} | ${(rate / peer).toFixed(2)}× | ${median(cpu.get(variant.label) ?? []).toFixed(3)} ms |`);
	}
}
console.log(`\nload average at the end: ${loadavg().map((value) => value.toFixed(2)).join(' / ')}`);
