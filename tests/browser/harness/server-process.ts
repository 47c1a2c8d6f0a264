/**
 * Starts the production entry (`node sandbox/main.ts`) as a child process for the browser tests, the
 * way a learner's `npm start` runs it, and resolves with the address it prints once it is listening.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const READY_LINE = /Postlab is ready: (http:\/\/\S+\/)/;

/**
 * Every port the sandbox listens on. All are set to 0 so the OS picks free ones and a test run never
 * collides with a learner's running `npm start`. Names the sandbox does not (yet) read are harmless.
 */
const PORT_VARIABLES = [
	'PORT',
	'SANDBOX_SMTP_PORT',
	'SANDBOX_SMTPS_PORT',
	'SANDBOX_SUBMISSION_PORT',
	'SANDBOX_POP3_PORT',
	'SANDBOX_POP3S_PORT',
	'SANDBOX_IMAP_PORT',
	'SANDBOX_IMAPS_PORT',
] as const;

export interface RunningServer {
	/** Base URL with a trailing slash, e.g. `http://127.0.0.1:40123/`. */
	readonly url: string;
	/** Everything the server printed so far (stdout and stderr), for failure messages. */
	readonly output: () => string;
	readonly stop: () => Promise<void>;
}

export interface StartOptions {
	/** Folder for the sandbox's mail, accounts and certificate (a fresh temporary one per run). */
	readonly dataDir: string;
	/** Extra environment, applied last. */
	readonly env?: Readonly<Record<string, string>>;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
	// The tests read the server's start-up lines (the ready line, the SMTP port), which speak the terminal's
	// language: a Korean developer's LANG would hide them, so the server gets an English one.
	const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', HOST: '127.0.0.1', SANDBOX_DATA_DIR: options.dataDir };
	for (const name of PORT_VARIABLES) env[name] = '0';
	// Any other port variable the sandbox grows later is also moved off its fixed default.
	for (const name of Object.keys(env)) if (/^SANDBOX_\w+_PORT$/.test(name)) env[name] = '0';
	// Classroom mode allows one address 20 connections per service. Every learner, instructor and
	// stranger a browser test plays connects from 127.0.0.1, each from its own browser context with its
	// own keep-alive pool and event stream: a whole class behind one address. The per-address limit has
	// tests of its own (tests/hardening/); here it would only count the test's contexts.
	env['SANDBOX_MAX_CONNECTIONS_PER_ADDRESS'] = '500';
	Object.assign(env, options.env);

	// process.execPath is the Node that runs Vitest (the project's Node 26), which strips the types
	// from sandbox/main.ts; the system Node may be too old.
	const child = spawn(process.execPath, ['sandbox/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

	const url = await new Promise<string>((resolve, reject) => {
		const lines = createInterface({ input: child.stdout! });
		lines.on('line', (line) => {
			output += `${line}\n`;
			const match = READY_LINE.exec(line);
			if (match?.[1]) resolve(match[1]);
		});
		child.once('error', reject);
		child.once('exit', (code, signal) =>
			reject(
				new Error(
					`node sandbox/main.ts exited (${signal ?? `code ${code}`}) before printing "Postlab is ready". ` +
						`Its output:\n${output}`,
				),
			),
		);
	});

	return { url, output: () => output, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = once(child, 'exit');
	child.kill('SIGTERM');
	await exited;
}
