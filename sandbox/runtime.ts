/**
 * The running Postlab, reachable from anywhere in the process. Astro's SSR pages, the dev integration and
 * `sandbox/main.ts` are separate module graphs (Vite loads its own copies of modules), so a module-level
 * variable would exist once per graph; one `globalThis` slot under a registered symbol is shared.
 * startPostlab() fills it and empties it on close; nothing else writes it.
 */
import type { Classroom } from './classroom/classroom.ts';
import type { ForumService } from './forum/forum-service.ts';
import type { RealModeState } from './outbound/real-mode.ts';
import type { SandboxHandle } from './sandbox.ts';
import type { Postlab } from './start-postlab.ts';

const SLOT = Symbol.for('postlab.runtime');

type RuntimeGlobal = typeof globalThis & { [SLOT]?: Postlab };

export function getRuntime(): Postlab | undefined {
	return (globalThis as RuntimeGlobal)[SLOT];
}

export function setRuntime(runtime: Postlab | undefined): void {
	if (runtime) (globalThis as RuntimeGlobal)[SLOT] = runtime;
	else delete (globalThis as RuntimeGlobal)[SLOT];
}

/** The sandbox started in this process, or undefined (a static build, a unit test). */
export function getSandbox(): SandboxHandle | undefined {
	return getRuntime()?.sandbox;
}

/** The running classroom (local or classroom mode), undefined only where no sandbox runs. */
export function getClassroom(): Classroom | undefined {
	return getRuntime()?.sandbox.classroom;
}

/** The running forum, or null (not started yet, or no sandbox). */
export function getForum(): ForumService | null {
	return getRuntime()?.forum ?? null;
}

/** Real SMTP mode's state, or null (no sandbox, or the settings could not be read). */
export function getRealMode(): RealModeState | null {
	return getRuntime()?.realMode ?? null;
}
