/**
 * MailDev, the peer: installed by the benchmark into a cache folder outside the project (never a
 * project dependency), started with its defaults apart from loopback ports.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startProcess, stopProcess } from './process.ts';
import type { Target } from './target.ts';

const run = promisify(execFile);
export const maildevVersion = process.env['BENCH_MAILDEV_VERSION'] ?? '3.0.0';
const folder = join(tmpdir(), `postlab-bench-maildev-${maildevVersion}`);
const entry = join(folder, 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js');

/** Installs MailDev once per machine; later runs reuse the folder. */
export async function installMaildev(log: (line: string) => void): Promise<void> {
	if (existsSync(entry)) return;
	log(`installing maildev@${maildevVersion} into ${folder} (once)…`);
	await mkdir(folder, { recursive: true });
	await run('npm', ['install', '--no-fund', '--no-audit', '--no-save', '--prefix', folder, `maildev@${maildevVersion}`], {
		maxBuffer: 16 * 1024 * 1024,
	});
}

export async function startMaildev(): Promise<Target> {
	const smtpPort = await freePort();
	const webPort = await freePort();
	const { child, startupMs } = await startProcess(
		process.execPath,
		[entry, '--smtp', String(smtpPort), '--ip', '127.0.0.1', '--web', String(webPort), '--web-ip', '127.0.0.1'],
		// MailDev prints this banner once both its SMTP and web servers listen.
		{ ready: /Press Ctrl\+C to stop/ },
	);
	const base = `http://127.0.0.1:${webPort}`;
	return {
		name: `MailDev ${maildevVersion}`,
		pid: child.pid ?? 0,
		smtpPort,
		startupMs,
		async storedCount() {
			const response = await fetch(`${base}/api/email/summary?limit=1`);
			if (!response.ok) throw new Error(`MailDev API answered ${response.status}`);
			const body = (await response.json()) as { total: number };
			return body.total;
		},
		stop: () => stopProcess(child),
	};
}
