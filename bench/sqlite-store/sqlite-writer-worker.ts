/**
 * The SQLite writer in a worker thread: commits (and their syncs and checkpoints) happen here, so the event
 * loop goes on serving sockets meanwhile, as it does while the journal's fdatasync runs in libuv's pool.
 * Messages in: a batch of changes, or `null` to close. Out: the batch's outcomes, or the commit's error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteWriter, type Change, type Synchronous } from './sqlite-writer.ts';
import { errorMessage } from '../../sandbox/error-text.ts';

export interface WriterData {
	path: string;
	synchronous: Synchronous;
	maxMessages: number;
}

const data = workerData as WriterData;
const writer = new SqliteWriter(data.path, data.synchronous, data.maxMessages);
const port = parentPort;
if (!port) throw new Error('sqlite-writer-worker.ts runs as a worker thread');
port.on('message', (batch: Change[] | null) => {
	if (batch === null) {
		writer.close();
		port.close();
		return;
	}
	try {
		port.postMessage({ outcomes: writer.commit(batch) });
	} catch (error) {
		port.postMessage({ error: errorMessage(error) });
	}
});
