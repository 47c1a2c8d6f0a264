/// <reference types="vitest/config" />
import { getViteConfig } from 'astro/config';

// getViteConfig gives tests the same module resolution as the site, which the Astro container API
// needs to render components.
export default getViteConfig({
	test: {
		reporters: ['default', './tests/slowest-tests-reporter.ts'],
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['sandbox/**/*.test.ts', 'src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
					// A run group of its own, after the browser files, with two workers: in one group with the browser
					// project, whose files go one at a time, these did too (measured: 106 s of files over 148 s, never
					// two at once); alone they take 53 s.
					sequence: { groupOrder: 3 },
					maxWorkers: 2,
				},
			},
			{
				extends: true,
				test: {
					name: 'hardening',
					include: ['tests/hardening/**/*.test.ts'],
					// Fuzzing, kill -9 and a classroom's load each fill both cores: one file at a time, in a run
					// group of their own (never beside unit files), so neither side's timeouts measure the other's load.
					fileParallelism: false,
					sequence: { groupOrder: 1 },
					testTimeout: 120_000,
					hookTimeout: 120_000,
				},
			},
			{
				extends: true,
				test: {
					name: 'browser',
					include: ['tests/browser/**/*.test.ts'],
					sequence: { groupOrder: 2 },
					// Checks dist/ and Chromium, then starts one `node sandbox/main.ts` for every file.
					globalSetup: ['tests/browser/harness/global-setup.ts'],
					// One server and one Chromium are shared; files run one after another.
					fileParallelism: false,
					testTimeout: 60_000,
					// Chromium on a busy two-core CI machine can take over a second for one round trip;
					// the default 1 s poll would fail on load, not on behaviour.
					expect: { poll: { timeout: 10_000 } },
					hookTimeout: 120_000,
				},
			},
		],
	},
});
