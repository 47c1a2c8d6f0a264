import { fileURLToPath } from 'node:url';
import { startProcess, stopProcess } from './process.ts';
import type { Target } from './target.ts';

const script = fileURLToPath(new URL('./bare-smtp-server.ts', import.meta.url));

/** `nodeFlags` go before the script (bench/ablation.ts runs it with Postlab's heap flags too). */
export async function startBare(nodeFlags: readonly string[] = []): Promise<Target> {
	const { child, match, startupMs } = await startProcess(process.execPath, [...nodeFlags, script], { ready: /ready on (\d+)/ });
	return {
		name: 'bare smtp-server',
		pid: child.pid ?? 0,
		smtpPort: Number(match[1]),
		startupMs,
		// It keeps nothing: a 250 is all there is to count.
		storedCount: async () => null,
		stop: () => stopProcess(child),
	};
}
