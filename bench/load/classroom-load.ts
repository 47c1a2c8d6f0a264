/**
 * A classroom's load as its own process: 300 open inboxes on the event stream and 50 senders sending
 * as fast as the server answers, until the parent kills it. It runs apart from the measuring client so
 * that the 300 listeners' own parsing cannot delay the one arrival being timed: the figure is the
 * server's latency under load, not the load generator's.
 *
 *   node bench/load/classroom-load.ts <http base> <smtp port>
 *
 * Prints "ready" once every listener is connected and the senders have started.
 */
import { smallMessage } from './messages.ts';
import { runLoad } from './smtp-client.ts';
import { errorMessage } from '../../sandbox/error-text.ts';

const LISTENERS = 300;
const SENDERS = 50;

const [base, smtpPort] = process.argv.slice(2);
if (!base || !smtpPort) throw new Error('usage: classroom-load.ts <http base> <smtp port>');

/** Reads an event stream to its end as a browser would (every byte decoded), keeping nothing. */
async function drain(url: string, opened: () => void): Promise<void> {
	const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
	if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
	opened();
	const decoder = new TextDecoder();
	for await (const chunk of response.body) decoder.decode(chunk, { stream: true });
}

let connected = 0;
const streams = Array.from({ length: LISTENERS }, () =>
	drain(`${base}/api/v1/events`, () => {
		connected += 1;
		if (connected === LISTENERS) startSenders();
	}),
);
for (const stream of streams) {
	stream.catch((error: unknown) => {
		console.error(`a listener failed: ${errorMessage(error)}`);
		process.exit(1);
	});
}

function startSenders(): void {
	runLoad({
		host: '127.0.0.1',
		port: Number(smtpPort),
		messages: Number.MAX_SAFE_INTEGER,
		connections: SENDERS,
		persistent: true,
		message: (n) => smallMessage.build(n, 'background'),
	}).catch((error: unknown) => {
		console.error(`the senders failed: ${errorMessage(error)}`);
		process.exit(1);
	});
	console.log('ready');
}
