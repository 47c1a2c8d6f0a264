/**
 * Issue 18, "weigh the database the platform now ships": the product's journal MailStore beside the SQLite
 * prototype (bench/sqlite-store/), on the same messages, in one run (not a test; figures depend on the machine):
 *
 *  1. lines of storage code;
 *  2. ingest at the store (4 producers, each awaiting its add as an SMTP session awaits its 250; ~1 KB and
 *     ~335 KB messages) with the event loop's worst stall meanwhile, and through an smtp-server whose only work
 *     is storing (the bench's shape: 4 connections, clients in this process, server in its own);
 *  3. start-up of a fresh process with 10,000 messages on disk: open + first page, RSS after GC, a search;
 *  4. kill -9: a child adds messages and prints each acknowledged id; it is SIGKILLed mid-stream; on reopening,
 *     every acknowledged message must be there, byte for byte.
 *
 *   node bench/store-compare.ts
 *
 * Medians of 3 rounds, the stores' order rotated each round. Prints markdown tables.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { heavyMessage, runMarker, smallMessage, type MessageTemplate } from './load/messages.ts';
import { runLoad } from './load/smtp-client.ts';
import { median } from './measure/stats.ts';
import { benchSession, DESCRIPTION, KINDS, openStore, type ComparedStore, type Kind } from './sqlite-store/stores.ts';

const ROUNDS = 3;
const PRODUCERS = 4;
const STORE_SMALL = 2000;
const STORE_HEAVY = 100;
const SMTP_SMALL = 1500;
const SMTP_HEAVY = 80;
const STARTUP_MESSAGES = 10_000;
const KILL_AFTER = [1, 40, 200];
const CHILD = fileURLToPath(new URL('./sqlite-store/compare-child.ts', import.meta.url));

const load = (): string => loadavg().map((value) => value.toFixed(2)).join(' / ');
const rounded = (value: number, digits = 0): string => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const log = (line: string): void => console.log(line);
const began = performance.now();
/** Progress on stderr, so a slow run on a busy machine shows where its time goes. */
const progress = (what: string): void => console.error(`${what} at ${((performance.now() - began) / 1000).toFixed(0)} s, load ${load()}`);

function rotated(round: number): Kind[] {
	return KINDS.map((_, i) => KINDS[(i + round) % KINDS.length]!);
}

function build(template: MessageTemplate, count: number): Buffer[] {
	const marker = runMarker();
	return Array.from({ length: count }, (_, n) => template.build(n, marker));
}

async function produce(store: ComparedStore, messages: readonly Buffer[], producers: number): Promise<void> {
	let next = 0;
	const producer = async (): Promise<void> => {
		while (next < messages.length) {
			const n = next++;
			await store.add({ raw: messages[n]!, session: benchSession(n) });
		}
	};
	await Promise.all(Array.from({ length: producers }, producer));
}

async function withDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
	const dir = await mkdtemp(join(tmpdir(), 'postlab-store-compare-'));
	try {
		return await work(dir);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

/** Bytes this process has passed to write calls so far (Linux): the disk traffic a store makes per message. */
function writtenBytes(): number {
	const match = /^wchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
	return Number(match?.[1] ?? Number.NaN);
}

interface IngestFigures {
	rate: number;
	/** Bytes written per message (raw message, metadata, indexes, WAL and checkpoint copies, preallocated zeros). */
	writtenPerMessage: number;
	/** The event loop's longest stall during the run: how long an SSE write or HTTP answer could wait. */
	stallMaxMs: number;
	stallP99Ms: number;
}

async function ingestAtStore(kind: Kind, messages: readonly Buffer[]): Promise<IngestFigures> {
	return withDir(async (dir) => {
		const store = await openStore(kind, dir);
		const delay = monitorEventLoopDelay({ resolution: 1 });
		delay.enable();
		const written = writtenBytes();
		const started = performance.now();
		await produce(store, messages, PRODUCERS);
		const seconds = (performance.now() - started) / 1000;
		delay.disable();
		await store.close();
		const writtenPerMessage = (writtenBytes() - written) / messages.length;
		return { rate: messages.length / seconds, writtenPerMessage, stallMaxMs: delay.max / 1e6, stallP99Ms: delay.percentile(99) / 1e6 };
	});
}

function startChild(args: readonly string[]): ChildProcess {
	return spawn(process.execPath, ['--expose-gc', CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
}

async function firstLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
	const lines = createInterface({ input: child.stdout! });
	for await (const line of lines) {
		const match = pattern.exec(line);
		if (match) return match;
	}
	throw new Error(`the child ended without printing ${String(pattern)}`);
}

async function ingestOverSmtp(kind: Kind, messages: readonly Buffer[]): Promise<number> {
	return withDir(async (dir) => {
		const child = startChild(['smtp', kind, dir]);
		const exited = new Promise((resolve) => child.once('exit', resolve));
		const port = Number((await firstLine(child, /^port (\d+)$/))[1]);
		const { perSecond } = await runLoad({
			host: '127.0.0.1',
			port,
			messages: messages.length,
			connections: PRODUCERS,
			persistent: true,
			message: (n) => messages[n]!,
		});
		child.kill('SIGTERM');
		await exited;
		return perSecond;
	});
}

interface OpenFigures {
	count: number;
	openMs: number;
	searchMs: number;
	found: number;
	rssMb: number;
}

async function openInChild(kind: Kind, dir: string): Promise<OpenFigures> {
	const child = startChild(['open', kind, dir]);
	const json = (await firstLine(child, /^\{.*\}$/))[0];
	await new Promise((resolve) => child.once('exit', resolve));
	return JSON.parse(json) as OpenFigures;
}

async function diskBytes(dir: string): Promise<number> {
	let total = 0;
	for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
		if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
	}
	return total;
}

interface KillFigures {
	acked: number;
	lost: number;
	wrongBytes: number;
	stored: number;
}

/** One kill -9 round on `dir` (rounds share the folder, as a real one outlives several crashes). */
async function killRound(kind: Kind, dir: string, round: number, killAfter: number): Promise<KillFigures> {
	const child = startChild(['kill', kind, dir, String(round)]);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const acked = new Map<string, string>();
	for await (const line of createInterface({ input: child.stdout! })) {
		const match = /^ack (\S+) (\S+)$/.exec(line);
		if (!match) continue;
		acked.set(match[1]!, match[2]!);
		// Lines already written when the signal lands are acknowledgements too: reading goes on until the pipe closes.
		if (acked.size === killAfter) child.kill('SIGKILL');
	}
	await exited;
	const store = await openStore(kind, dir);
	let lost = 0;
	let wrongBytes = 0;
	for (const [id, sha] of acked) {
		const raw = await store.readRaw(id);
		if (raw === null) lost += 1;
		else if (createHash('sha256').update(raw).digest('hex') !== sha) wrongBytes += 1;
	}
	const stored = store.count;
	await store.close();
	return { acked: acked.size, lost, wrongBytes, stored };
}

function storageLines(files: readonly string[]): { lines: number; code: number } {
	let lines = 0;
	let code = 0;
	for (const file of files) {
		const text = readFileSync(new URL(file, import.meta.url), 'utf8').split('\n');
		if (text.at(-1) === '') text.pop();
		lines += text.length;
		// Code lines: neither blank nor comment (the product's files explain themselves at length).
		code += text.filter((line) => !/^\s*($|\/\/|\/\*|\*)/.test(line)).length;
	}
	return { lines, code };
}

// --- 1. lines of storage code -----------------------------------------------------------------------------------
const STORE = '../sandbox/store/';
const journalFiles = ['journal', 'replay', 'records', 'message-index', 'compaction', 'uids', 'mailbox-state', 'ids', 'shared-parts', 'preview-queue', 'mail-store'].map((name) => `${STORE}${name}.ts`);
const sqliteFiles = ['./sqlite-store/sqlite-mail-store.ts', './sqlite-store/sqlite-writer.ts', './sqlite-store/sqlite-writer-worker.ts', `${STORE}ids.ts`];
const journalLines = storageLines(journalFiles);
const sqliteLines = storageLines(sqliteFiles);
const searchLines = storageLines(['./sqlite-store/search-text.ts']);
const sharedLines = storageLines(['header-index', 'body-index', 'types'].map((name) => `${STORE}${name}.ts`));
log(`# Store comparison, ${new Date().toISOString()}, Node ${process.version}, load average at start ${load()}`);
log('');
log('| storage code (wc -l, tests excluded) | lines | code lines (no blanks, no comments) |');
log('|---|---|---|');
log(`| journal store: ${journalFiles.length} files (journal, replay, records, message-index, compaction, uids, mailbox-state, ids, shared-parts, preview-queue, mail-store) | ${journalLines.lines} | ${journalLines.code} |`);
log(`| SQLite prototype: sqlite-mail-store, sqlite-writer, sqlite-writer-worker, ids | ${sqliteLines.lines} | ${sqliteLines.code} |`);
log(`| SQLite prototype's decoded-body text for FTS (search-text.ts; the journal store has no body search) | ${searchLines.lines} | ${searchLines.code} |`);
log(`| shared by both, not counted: header-index, body-index, types | ${sharedLines.lines} | ${sharedLines.code} |`);
log('');

// --- 2. ingest ----------------------------------------------------------------------------------------------------
const small = build(smallMessage, STORE_SMALL);
const heavy = build(heavyMessage, STORE_HEAVY);
const atStore = new Map<Kind, { small: IngestFigures[]; heavy: IngestFigures[] }>(KINDS.map((kind) => [kind, { small: [], heavy: [] }]));
const overSmtp = new Map<Kind, { small: number[]; heavy: number[] }>(KINDS.map((kind) => [kind, { small: [], heavy: [] }]));
const loads: string[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
	for (const kind of rotated(round)) {
		atStore.get(kind)!.small.push(await ingestAtStore(kind, small));
		atStore.get(kind)!.heavy.push(await ingestAtStore(kind, heavy));
		overSmtp.get(kind)!.small.push(await ingestOverSmtp(kind, small.slice(0, SMTP_SMALL)));
		overSmtp.get(kind)!.heavy.push(await ingestOverSmtp(kind, heavy.slice(0, SMTP_HEAVY)));
	}
	loads.push(load());
	progress(`ingest round ${round + 1} done`);
}
const journalAt = atStore.get('journal')!;
const journalSmtp = overSmtp.get('journal')!;
const ratio = (value: number, base: number): string => `${(value / base).toFixed(2)}×`;
log(`Ingest, medians of ${ROUNDS} (load average after each round: ${loads.join('; ')}). Store level: ${STORE_SMALL} × ~1 KB and ${STORE_HEAVY} × ~335 KB, ${PRODUCERS} producers awaiting each add. SMTP: ${SMTP_SMALL} × ~1 KB and ${SMTP_HEAVY} × ~335 KB over ${PRODUCERS} connections to an smtp-server that only stores.`);
log('');
log('| store | store ~1 KB msg/s | event-loop stall max / p99 | written per ~1 KB msg | store ~335 KB msg/s | stall max / p99 | written per ~335 KB msg | SMTP ~1 KB msg/s | SMTP ~335 KB msg/s | vs journal (store 1 KB / 335 KB; SMTP 1 KB / 335 KB) |');
log('|---|---|---|---|---|---|---|---|---|---|');
for (const kind of KINDS) {
	const figures = atStore.get(kind)!;
	const smtp = overSmtp.get(kind)!;
	const row = [
		DESCRIPTION[kind],
		rounded(median(figures.small.map((f) => f.rate))),
		`${rounded(median(figures.small.map((f) => f.stallMaxMs)), 1)} / ${rounded(median(figures.small.map((f) => f.stallP99Ms)), 1)} ms`,
		`${rounded(median(figures.small.map((f) => f.writtenPerMessage)) / 1024, 1)} KB`,
		rounded(median(figures.heavy.map((f) => f.rate))),
		`${rounded(median(figures.heavy.map((f) => f.stallMaxMs)), 1)} / ${rounded(median(figures.heavy.map((f) => f.stallP99Ms)), 1)} ms`,
		`${rounded(median(figures.heavy.map((f) => f.writtenPerMessage)) / 1024, 0)} KB`,
		rounded(median(smtp.small)),
		rounded(median(smtp.heavy)),
		[
			ratio(median(figures.small.map((f) => f.rate)), median(journalAt.small.map((f) => f.rate))),
			ratio(median(figures.heavy.map((f) => f.rate)), median(journalAt.heavy.map((f) => f.rate))),
			ratio(median(smtp.small), median(journalSmtp.small)),
			ratio(median(smtp.heavy), median(journalSmtp.heavy)),
		].join(' / '),
	];
	log(`| ${row.join(' | ')} |`);
}
log('');

// --- 3. start-up with 10,000 messages -------------------------------------------------------------------------------
log(`Start-up of a fresh process (\`--expose-gc\`), medians of ${ROUNDS}: open + first page of 50 (the worker's start included); RSS after GC; a subject search matching 1 of ${STARTUP_MESSAGES}; NORMAL opens the same file as FULL. Load average at start: ${load()}.`);
log('');
log(`| store | open, empty folder | open, ${STARTUP_MESSAGES} messages | RSS empty | RSS with ${STARTUP_MESSAGES} | search | on disk |`);
log('|---|---|---|---|---|---|---|');
const startupMessages = build(smallMessage, STARTUP_MESSAGES);
// The main-thread and worker settings open the same file: it is built once and copied.
const startupKinds: Kind[] = ['journal', 'sqlite-main-full', 'sqlite-worker-full', 'sqlite-worker-nofts'];
const builtFor: Partial<Record<Kind, Kind>> = { 'sqlite-worker-full': 'sqlite-main-full' };
const built = new Map<Kind, string>();
try {
	for (const kind of startupKinds) {
		const dir = await mkdtemp(join(tmpdir(), 'postlab-store-compare-'));
		const source = built.get(builtFor[kind] ?? kind);
		if (source) await cp(source, dir, { recursive: true });
		else {
			const store = await openStore(kind, dir);
			await produce(store, startupMessages, 64);
			await store.close();
		}
		built.set(kind, dir);
		const empty = await withDir((emptyDir) => openInChild(kind, emptyDir));
		const opened: OpenFigures[] = [];
		for (let round = 0; round < ROUNDS; round += 1) opened.push(await openInChild(kind, dir));
		if (opened.some((figures) => figures.count !== STARTUP_MESSAGES || figures.found !== 1)) throw new Error(`${kind} reopened wrong: ${JSON.stringify(opened)}`);
		const row = [
			DESCRIPTION[kind],
			`${rounded(empty.openMs, 1)} ms`,
			`${rounded(median(opened.map((f) => f.openMs)), 1)} ms`,
			`${rounded(empty.rssMb, 1)} MB`,
			`${rounded(median(opened.map((f) => f.rssMb)), 1)} MB`,
			`${rounded(median(opened.map((f) => f.searchMs)), 2)} ms`,
			`${rounded((await diskBytes(dir)) / 1048576, 1)} MB`,
		];
		log(`| ${row.join(' | ')} |`);
	}
} finally {
	for (const dir of built.values()) await rm(dir, { recursive: true, force: true });
}
log('');

progress('start-up done');

// --- 4. kill -9 ---------------------------------------------------------------------------------------------------
log(`kill -9: a child adds messages from ${PRODUCERS} producers (every fifth ~335 KB) and prints each acknowledged id; SIGKILL after ${KILL_AFTER.join(', ')} acks (${KILL_AFTER.length} rounds on one folder); then reopen and read every acknowledged message back. Load average at start: ${load()}.`);
log('');
log('| store | acknowledged (per round) | lost | bytes differ | stored after the last round |');
log('|---|---|---|---|---|');
for (const kind of KINDS) {
	const rounds = await withDir(async (dir) => {
		const out: KillFigures[] = [];
		for (const [round, killAfter] of KILL_AFTER.entries()) out.push(await killRound(kind, dir, round, killAfter));
		return out;
	});
	const sum = (pick: (f: KillFigures) => number): number => rounds.reduce((total, f) => total + pick(f), 0);
	log(`| ${DESCRIPTION[kind]} | ${rounds.map((f) => f.acked).join(', ')} | ${sum((f) => f.lost)} | ${sum((f) => f.wrongBytes)} | ${rounds.at(-1)?.stored ?? 0} |`);
}
log('');
log(`Load average at the end: ${load()}.`);
progress('kill -9 done');
