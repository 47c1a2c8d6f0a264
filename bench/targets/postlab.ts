/**
 * Postlab as `npm start` runs it (the built site and the sandbox in one process), on free ports and
 * a data folder of the benchmark's choosing.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FREE_PORTS } from '../../sandbox/testing/test-sandbox.ts';
import { startProcess, stopProcess } from './process.ts';
import type { Target } from './target.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface PostlabTarget extends Target {
	base: string;
}

/**
 * The Node flags of `npm start` (package.json), so the benchmark runs the process exactly as learners do:
 * `node --max-semi-space-size=4 sandbox/main.ts` gives `['--max-semi-space-size=4']`.
 */
export function startFlags(): string[] {
	const manifest = JSON.parse(readFileSync(new URL('package.json', `file://${root}`), 'utf8')) as { scripts: Record<string, string> };
	const words = (manifest.scripts['start'] ?? '').split(/\s+/);
	return words.slice(1, words.indexOf('sandbox/main.ts')).filter((word) => word.startsWith('--'));
}

/** `nodeFlags` go after npm start's own (bench/profile.ts adds V8's profiler). */
export async function startPostlab(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}, nodeFlags: readonly string[] = []): Promise<PostlabTarget> {
	const { child, match, startupMs } = await startProcess(process.execPath, [...startFlags(), ...nodeFlags, 'sandbox/main.ts'], {
		cwd: root,
		env: {
			// The ready line below is read in English; Postlab prints in the terminal's language otherwise.
			LANG: 'C.UTF-8',
			LC_ALL: '',
			LC_MESSAGES: '',
			HOST: '127.0.0.1',
			PORT: '0',
			SANDBOX_DATA_DIR: dataDir,
			...FREE_PORTS,
			// The benchmark stores more than the default retention of 1,000.
			SANDBOX_MAX_MESSAGES: '20000',
			...extraEnv,
		},
		ready: /Postlab is ready: (http:\/\/[^/\s]+)\//,
	});
	const base = match[1] ?? '';
	const health = (await (await fetch(`${base}/api/v1/health`)).json()) as { ports: { smtp: number } };
	return {
		name: 'Postlab',
		base,
		pid: child.pid ?? 0,
		smtpPort: health.ports.smtp,
		startupMs,
		async storedCount() {
			const response = await fetch(`${base}/api/v1/messages?limit=1`);
			if (!response.ok) throw new Error(`Postlab API answered ${response.status}`);
			const body = (await response.json()) as { total: number };
			return body.total;
		},
		stop: () => stopProcess(child),
	};
}
