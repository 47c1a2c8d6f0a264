/**
 * Test support: starts `sandbox/testing/sandbox-child.ts` with the node that runs the tests (the project's
 * Node 26) and waits for its ports line; the test can then SIGKILL it, as a power cut or `kill -9` would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./sandbox-child.ts', import.meta.url));
/** A cold start loads the whole sandbox (and on a fresh folder makes a certificate): slow on a busy machine. */
const START_TIMEOUT_MS = 60_000;

export interface ChildSandbox {
	child: ChildProcess;
	ports: { smtp: number; smtps: number; http: number };
	/** What the child wrote to stderr so far (its log). */
	log: string[];
	/** Resolves with the signal or exit code once the process is gone. */
	exited: Promise<string>;
}

export async function startChildSandbox(dataDir: string, env: Record<string, string> = {}): Promise<ChildSandbox> {
	const child = spawn(process.execPath, [CHILD, dataDir], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const log: string[] = [];
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk));
	const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
	const ports = await new Promise<ChildSandbox['ports']>((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`the sandbox child did not start within ${START_TIMEOUT_MS} ms: ${log.join('')}`));
		}, START_TIMEOUT_MS);
		child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
			out += chunk;
			const line = out.split('\n')[0];
			if (out.includes('\n') && line) {
				clearTimeout(timer);
				resolve(JSON.parse(line) as ChildSandbox['ports']);
			}
		});
		void exited.then((how) => {
			clearTimeout(timer);
			reject(new Error(`the sandbox child ended (${how}) before it listened: ${log.join('')}`));
		});
	});
	return { child, ports, log, exited };
}
