/**
 * The running sandbox, reachable from anywhere in the process. Astro's SSR pages, the dev integration and
 * `sandbox/main.ts` are separate module graphs (Vite loads its own copies), so a module-level variable
 * would not be shared; a `globalThis` slot under a registered symbol is.
 */
import type { SandboxHandle } from './sandbox.ts';

const SLOT = Symbol.for('postlab.sandbox');

type SandboxGlobal = typeof globalThis & { [SLOT]?: SandboxHandle };

/** The sandbox started in this process, or undefined (e.g. in a static build or a unit test). */
export function getSandbox(): SandboxHandle | undefined {
	return (globalThis as SandboxGlobal)[SLOT];
}

export function setSandbox(handle: SandboxHandle | undefined): void {
	if (handle) (globalThis as SandboxGlobal)[SLOT] = handle;
	else delete (globalThis as SandboxGlobal)[SLOT];
}
