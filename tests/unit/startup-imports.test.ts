/**
 * What `npm start` loads before anyone asks for it. A library on the start path sits in the main thread's
 * heap for the life of the process, and every full garbage collection marks it again (README, Performance).
 * These libraries serve rare work: making a certificate on the first start, and parsing, sanitising and
 * listing links of a message, which happens in the render worker. Each must be reached from `sandbox/main.ts`
 * only through a dynamic `import()` or a worker; a static import of one on the start path fails here with
 * the chain of modules that leads to it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LAZY_PACKAGES = ['selfsigned', 'sanitize-html', 'mailparser'];

/** Import statements that load code when the module loads: static, not `import type`, not `import()`. */
function staticImports(file: string): string[] {
	const source = readFileSync(join(ROOT, file), 'utf8');
	const found: string[] = [];
	for (const match of source.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)) {
		found.push(match[1] ?? match[2]!);
	}
	return found;
}

/** The modules `start` loads statically, each with the chain that reaches it. */
function startPath(start: string): Map<string, string[]> {
	const chains = new Map<string, string[]>([[start, [start]]]);
	const queue = [start];
	for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
		for (const specifier of staticImports(file)) {
			if (!specifier.startsWith('.')) continue;
			const target = relative(ROOT, resolve(ROOT, dirname(file), specifier));
			if (chains.has(target) || !existsSync(join(ROOT, target))) continue;
			chains.set(target, [...chains.get(file)!, target]);
			queue.push(target);
		}
	}
	return chains;
}

describe('what npm start loads', () => {
	const chains = startPath('sandbox/main.ts');

	it('follows the start path into the store, the SMTP server and the web server', () => {
		// The walk must reach the modules that matter, or the check below would pass on an empty path.
		for (const module of ['sandbox/store/mail-store.ts', 'sandbox/smtp/capture-server.ts', 'sandbox/http/routes/message-content.ts', 'sandbox/certificate.ts']) {
			expect([...chains.keys()]).toContain(module);
		}
	});

	it(`loads none of ${LAZY_PACKAGES.join(', ')} until they are needed`, () => {
		const eager = [...chains].flatMap(([file, chain]) =>
			staticImports(file)
				.filter((specifier) => LAZY_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`)))
				.map((specifier) => `${specifier} via ${chain.join(' → ')}`),
		);
		expect(eager).toEqual([]);
	});
});
