/**
 * The parts of bench/store-compare.ts that must run in a process of their own:
 *
 *   open  KIND DIR         opens a store, lists the first page and searches it; prints JSON (times, RSS after GC)
 *   kill  KIND DIR ROUND   adds messages from 4 producers forever, printing `ack ID SHA256` once each add resolved
 *                          (the moment the SMTP server would send 250); the parent SIGKILLs it
 *   smtp  KIND DIR         an smtp-server whose only work is storing each message before its 250; prints the port
 */
import { createHash } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { PLAIN_SMTP_OPTIONS } from '../targets/plain-smtp-options.ts';
import { heavyMessage, smallMessage } from '../load/messages.ts';
import { benchSession, isKind, openStore } from './stores.ts';

const [mode, kind, dataDir, round] = process.argv.slice(2);
if (!isKind(kind) || !dataDir) throw new Error('usage: compare-child.ts open|kill|smtp KIND DIR [ROUND]');

if (mode === 'open') {
	const started = performance.now();
	const store = await openStore(kind, dataDir);
	const page = store.list({ limit: 50 });
	const openMs = performance.now() - started;
	const searchStarted = performance.now();
	// A subject substring (both stores search subjects) that matches one message of the 10,000.
	const found = store.list({ query: '#4321]' }).total;
	const searchMs = performance.now() - searchStarted;
	globalThis.gc?.();
	const rssMb = process.memoryUsage().rss / 1048576;
	console.log(JSON.stringify({ count: store.count, listed: page.messages.length, openMs, searchMs, found, rssMb }));
	await store.close();
} else if (mode === 'kill') {
	const store = await openStore(kind, dataDir);
	console.log('ready');
	let n = 0;
	const producer = async (): Promise<void> => {
		for (;;) {
			const i = n++;
			// Every fifth message ~335 KB, so a kill lands mid-write too.
			const raw = (i % 5 === 4 ? heavyMessage : smallMessage).build(i, `kill-${round ?? 0}`);
			const summary = await store.add({ raw, session: benchSession(i) });
			process.stdout.write(`ack ${summary.id} ${createHash('sha256').update(raw).digest('hex')}\n`);
		}
	};
	await Promise.all([producer(), producer(), producer(), producer()]);
} else if (mode === 'smtp') {
	const store = await openStore(kind, dataDir);
	let next = 0;
	const server = new SMTPServer({
		...PLAIN_SMTP_OPTIONS,
		onData(stream, _session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				store.add({ raw: Buffer.concat(chunks), session: benchSession(next++) }).then(
					() => callback(),
					(error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
				);
			});
		},
	});
	server.listen(0, '127.0.0.1', () => {
		const address = server.server.address();
		console.log(`port ${typeof address === 'object' && address ? address.port : 0}`);
	});
	process.on('SIGTERM', () => {
		server.close(() => {
			void store.close().then(() => process.exit(0));
		});
	});
} else {
	throw new Error(`unknown mode ${mode ?? ''}`);
}
