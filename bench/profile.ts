/**
 * `node bench/profile.ts [--messages 20000] [--heavy]`: where Postlab's ingest spends its CPU. Starts
 * Postlab as `npm start` does, with V8's sampling profiler on (`--cpu-prof`), sends the bench's
 * small-message load (4 persistent connections) or its heavy one, stops it, and prints where the time
 * went: the process's CPU time over the load (from /proc: the figure to compare on a busy machine) and the
 * profiler's busy time per message, then self time by place (our modules by file, packages by name, Node's
 * internals) and the top functions. The profile itself stays in a temporary folder (its path is printed).
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { heavyMessage, runMarker, smallMessage } from './load/messages.ts';
import { runLoad } from './load/smtp-client.ts';
import { startFlags, startPostlab } from './targets/postlab.ts';
import { cpuMs, rssBytes, waitUntil } from './targets/process.ts';

const { values: flags } = parseArgs({ options: { messages: { type: 'string' }, heavy: { type: 'boolean', default: false } } });
const heavy = flags.heavy ?? false;
const total = Number(flags.messages ?? (heavy ? 1000 : 20_000));
const root = fileURLToPath(new URL('../', import.meta.url));
const scratch = await mkdtemp(join(tmpdir(), 'postlab-profile-'));
const profileDir = join(scratch, 'profile');

const postlab = await startPostlab(join(scratch, 'data'), { SANDBOX_MAX_MESSAGES: String(total + 1000) }, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
const marker = runMarker();
const template = heavy ? heavyMessage : smallMessage;
const cpuBefore = await cpuMs(postlab.pid);
const started = performance.now();
await runLoad({ host: '127.0.0.1', port: postlab.smtpPort, messages: total, connections: 4, persistent: true, message: (n) => template.build(n, marker) });
await waitUntil(async () => ((await postlab.storedCount()) ?? 0) >= total, 120_000, 'Postlab to list every message');
const elapsed = performance.now() - started;
const loadCpu = (await cpuMs(postlab.pid)) - cpuBefore;
const rss = await rssBytes(postlab.pid);
// Stopping lets Node write the profile on its way out.
await postlab.stop();

const file = (await readdir(profileDir)).find((name) => name.endsWith('.cpuprofile'));
if (!file) throw new Error(`no .cpuprofile in ${profileDir}`);
interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}
const profile = JSON.parse(await readFile(join(profileDir, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

/** Where a function lives: one of our files, an npm package, Node itself, or V8's own bookkeeping. */
function placeOf(url: string, name: string): string {
	if (!url) return name.startsWith('(') ? name : '(native)';
	if (url.startsWith('node:')) return 'node internals';
	const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
	if (pkg) return pkg[1]!;
	const ours = url.indexOf(root);
	return ours >= 0 ? url.slice(ours + root.length) : url.replace(/^file:\/\//, '');
}

const places = new Map<string, number>();
const functions = new Map<string, number>();
let busyUs = 0;
for (const [id, us] of selfUs) {
	const node = byId.get(id);
	if (!node) continue;
	const { functionName, url, lineNumber } = node.callFrame;
	if (functionName === '(idle)') continue;
	busyUs += us;
	const place = placeOf(url, functionName);
	places.set(place, (places.get(place) ?? 0) + us);
	const fn = `${functionName || '(anonymous)'} ${place}${url ? `:${lineNumber + 1}` : ''}`;
	functions.set(fn, (functions.get(fn) ?? 0) + us);
}
const perMessage = (us: number) => `${(us / total / 1000).toFixed(4)} ms`;
const table = (rows: Map<string, number>, limit: number) =>
	[...rows]
		.sort((a, b) => b[1] - a[1])
		.slice(0, limit)
		.map(([name, us]) => `${((100 * us) / busyUs).toFixed(1).padStart(5)}%  ${perMessage(us).padStart(10)}  ${name}`)
		.join('\n');

console.log(`${total} ${heavy ? 'heavy (~335 KB)' : 'small (~1 KB)'} messages, 4 persistent connections: ${((total * 1000) / elapsed).toFixed(0)} msg/s under the profiler`);
console.log(`load average at the end: ${loadavg().map((value) => value.toFixed(2)).join(' / ')} (other work on the machine inflates the profiler's busy time, not the CPU time)`);
console.log(`RSS after the load: ${(rss / 1048576).toFixed(0)} MB (Node flags: ${startFlags().join(' ') || 'none'})`);
console.log(`CPU time (user + system, all threads) of the Postlab process during the load: ${loadCpu.toFixed(0)} ms, ${(loadCpu / total).toFixed(4)} ms per message`);
console.log(`busy (not idle) CPU of the Postlab process: ${(busyUs / 1000).toFixed(0)} ms, ${perMessage(busyUs)} per message (start-up and shutdown included)`);
console.log(`\nself time by place (share, per message, place)\n${table(places, 25)}`);
console.log(`\ntop functions by self time\n${table(functions, 40)}`);
console.error(`profile: ${join(profileDir, file)}`);
