/**
 * Hardening: the HTTP fuzz corpus (fuzz/make-http-corpus.ts, made from a fixed seed) against a real started
 * Postlab: `node sandbox/main.ts` with the built site, as `npm start` runs it. After every case the process
 * must still answer health and give an SMTP greeting; no case may get a 500 (a request the server could not
 * handle); and at the end the process has logged no crash and no unexpected error. (`GET //` used to end the
 * process with "TypeError: Invalid URL".)
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../browser/harness/server-process.ts';
import { makeHttpCorpus, type HttpCase } from './fuzz/make-http-corpus.ts';
import { apiGet, mapLimit } from './support/api-client.ts';
import { WireClient } from './support/wire-client.ts';

/** Cases at once: enough to overlap, far below the web's connection limit. */
const CONCURRENCY = 8;
/** A server that has not answered or closed by then has still answered health: the case is let go. */
const CASE_MS = 5_000;
const SITE = fileURLToPath(new URL('../../dist/server/entry.mjs', import.meta.url));

const corpus = makeHttpCorpus();
let dataDir = '';
let server: RunningServer;
let httpPort = 0;
let smtpPort = 0;

beforeAll(async () => {
	if (!existsSync(SITE)) throw new Error(`The HTTP fuzz runs the built site, and ${SITE} is missing. Run "npm run build" first (npm test does it for you).`);
	dataDir = await mkdtemp(join(tmpdir(), 'postlab-http-fuzz-'));
	server = await startServer({ dataDir, env: { DOTENV_CONFIG_PATH: join(dataDir, 'no-such.env') } });
	httpPort = Number(new URL(server.url).port);
	smtpPort = Number(/Sandbox SMTP: [^\s]+:(\d+) /.exec(server.output())?.[1]);
	expect(smtpPort).toBeGreaterThan(0);
});

afterAll(async () => {
	await server?.stop();
	if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface CaseOutcome {
	/** Status codes of every response the case got back (pipelined requests get several). */
	statuses: number[];
}

/** Plays one case: writes its bytes, leaves as it says, and collects the status lines that came back. */
function play(test: HttpCase): Promise<CaseOutcome> {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port: httpPort });
		let received = '';
		let done = false;
		const finish = () => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			socket.destroy();
			resolve({ statuses: [...received.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3}) /g)].map((match) => Number(match[1])) });
		};
		const timer = setTimeout(finish, CASE_MS);
		socket.on('data', (chunk: Buffer) => {
			received += chunk.toString('latin1');
			// An event stream stays open by design: its first answer is all there is to see.
			if (received.includes('text/event-stream')) finish();
		});
		socket.on('error', () => undefined);
		socket.on('close', finish);
		socket.once('connect', () => {
			let from = 0;
			for (const cut of [...test.cuts.filter((at) => at > 0 && at < test.bytes.length).sort((a, c) => a - c), test.bytes.length]) {
				if (cut > from) socket.write(test.bytes.subarray(from, cut));
				from = cut;
			}
			if (test.ending === 'half-close') socket.end();
			else socket.destroy();
		});
	});
}

/** The process still answers: health over HTTP, and a greeting on SMTP. */
async function stillAnswers(): Promise<string | null> {
	const health = await apiGet(httpPort, '/api/v1/health', 20_000).catch((error: unknown) => error);
	if (!(health && typeof health === 'object' && 'status' in health) || health.status !== 200) return `health: ${health instanceof Error ? health.message : JSON.stringify(health)}`;
	const smtp = await WireClient.open({ port: smtpPort }).catch((error: unknown) => error);
	if (!(smtp instanceof WireClient)) return `SMTP: ${smtp instanceof Error ? smtp.message : String(smtp)}`;
	const greeting = await smtp.reply(20_000).catch(() => null);
	smtp.destroy();
	return greeting?.code === 220 ? null : `SMTP greeting: ${greeting?.text ?? 'none'}`;
}

describe('HTTP fuzz against a started Postlab', () => {
	it(`plays ${corpus.length} malformed requests; after each the process answers health and SMTP, and none gets a 500`, async () => {
		expect(corpus.length).toBeGreaterThan(500);
		const problems: string[] = [];
		const seen = new Map<number, number>();
		await mapLimit(corpus, CONCURRENCY, async (test) => {
			const outcome = await play(test);
			for (const status of outcome.statuses) {
				seen.set(status, (seen.get(status) ?? 0) + 1);
				// 501 (a method Postlab does not serve) and 503 (a limit) are answers; the others are failures.
				if (status >= 500 && status !== 501 && status !== 503) problems.push(`${test.name}: ${status}`);
			}
			const down = await stillAnswers();
			if (down) problems.push(`${test.name}: then ${down}`);
		});
		expect(problems.slice(0, 20)).toEqual([]);
		// The corpus reaches the site and the API and gets their own answers, not only the parser's 400.
		expect([...seen.keys()].filter((status) => status < 400).length).toBeGreaterThan(0);
		expect(seen.get(404)).toBeGreaterThan(0);
	}, 300_000);

	it('logged no crash and no request that failed', () => {
		const log = server.output();
		expect(log).not.toMatch(/Unhandled|uncaught|TypeError|RangeError|failed and was answered 500|Could not render/i);
	});
});
