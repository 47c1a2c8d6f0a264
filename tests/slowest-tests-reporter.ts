/**
 * Prints the ten slowest tests after a run, beside Vitest's own report, so a test that creeps toward its
 * timeout (or CI's 12 minutes) shows up before it fails.
 */
import type { Reporter, TestModule } from 'vitest/node';

const SHOWN = 10;

export default class SlowestTestsReporter implements Reporter {
	onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
		const timed: Array<{ name: string; ms: number }> = [];
		for (const testModule of testModules) {
			for (const testCase of testModule.children.allTests()) {
				const duration = testCase.diagnostic()?.duration;
				if (duration !== undefined) timed.push({ name: `${testModule.relativeModuleId} > ${testCase.fullName}`, ms: duration });
			}
		}
		if (timed.length === 0) return;
		timed.sort((a, b) => b.ms - a.ms);
		const lines = timed.slice(0, SHOWN).map(({ name, ms }) => `${(ms / 1000).toFixed(1).padStart(6)} s  ${name}`);
		process.stdout.write(`\nThe ${Math.min(SHOWN, timed.length)} slowest tests:\n${lines.join('\n')}\n`);
	}
}
