/**
 * Starting the servers under test as child processes and reading what the OS says about them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

export interface Started {
	child: ChildProcess;
	/** The first match of `ready` in the child's output. */
	match: RegExpMatchArray;
	/** Milliseconds from spawn to the ready line. */
	startupMs: number;
}

/** Spawns `command` and resolves once its output matches `ready`; rejects with the output if it exits first. */
export function startProcess(
	command: string,
	args: string[],
	options: { env?: NodeJS.ProcessEnv; cwd?: string; ready: RegExp; timeoutMs?: number },
): Promise<Started> {
	const started = performance.now();
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: { ...process.env, ...options.env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${command} ${args.join(' ')} was not ready after ${options.timeoutMs ?? 60_000} ms:\n${output}`));
		}, options.timeoutMs ?? 60_000);
		const onOutput = (chunk: Buffer): void => {
			output += chunk.toString();
			const match = output.match(options.ready);
			if (match) {
				clearTimeout(timer);
				child.stdout?.off('data', onOutput);
				child.stderr?.off('data', onOutput);
				// Keep draining so a chatty child never blocks on a full pipe.
				child.stdout?.resume();
				child.stderr?.resume();
				resolve({ child, match, startupMs: performance.now() - started });
			}
		};
		child.stdout?.on('data', onOutput);
		child.stderr?.on('data', onOutput);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${command} exited with ${code} before it was ready:\n${output}`));
		});
	});
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
		child.once('exit', () => {
			clearTimeout(force);
			resolve();
		});
		child.kill(signal);
	});
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export async function rssBytes(pid: number): Promise<number> {
	const status = await readFile(`/proc/${pid}/status`, 'utf8');
	const kb = status.match(/^VmRSS:\s+(\d+) kB/m);
	if (!kb?.[1]) throw new Error(`no VmRSS for process ${pid}`);
	return Number(kb[1]) * 1024;
}

/**
 * CPU time (user + system, all threads) a process has used so far, in milliseconds, from /proc (Linux).
 * Unlike a sampling profiler's busy time, it does not grow when other work on the machine preempts the process.
 */
export async function cpuMs(pid: number): Promise<number> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
	// Fields after the command name (which may hold spaces and parentheses): state is field 3, utime 14, stime 15.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const ticks = Number(fields[11]) + Number(fields[12]);
	if (!Number.isFinite(ticks)) throw new Error(`no CPU times for process ${pid}`);
	return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** USER_HZ: 100 on every Linux build Node supports (sysconf(_SC_CLK_TCK)). */
const CLOCK_TICKS_PER_SECOND = 100;

/** A loopback port that was free a moment ago, for tools that cannot be told to pick their own. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** Polls `probe` until it returns true; the probe's own latency paces the loop. */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = performance.now() + timeoutMs;
	while (!(await probe())) {
		if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
