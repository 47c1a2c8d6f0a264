/**
 * Some sandbox modules are bundled into pages as well: the `.env` analysis (the playground), the SMTP
 * explanations and glossary (the inbox's transcript view, the labs), and the protocol console's line
 * explanations and goal list. They must never reach for Node: this follows their imports and fails on any
 * Node built-in (which breaks the browser bundle) or package (which bloats it).
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const NODE = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Every module reachable from `entry` through value imports, with the bare specifiers each one imports. */
function importGraph(entry: string): Map<string, string[]> {
	const seen = new Map<string, string[]>();
	const visit = (file: string): void => {
		if (seen.has(file)) return;
		const bare: string[] = [];
		seen.set(file, bare);
		for (const [statement, specifier = ''] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
			if (/^\s*(?:import|export)\s+type\b/.test(statement)) continue;
			if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
			else bare.push(specifier);
		}
	};
	visit(entry);
	return seen;
}

describe('sandbox modules that pages bundle', () => {
	it.each(['env-file/analyze-env.ts', 'outbound/smtp-reply-explainer.ts', 'outbound/smtp-glossary.ts', 'console/mailread-glossary.ts', 'console/console-goals.ts'])('%s imports only its own modules', (entry) => {
		const graph = importGraph(resolve(here, entry));
		const imported = [...graph].flatMap(([file, bare]) => bare.map((name) => `${file.slice(here.length + 1)}: ${name}${NODE.has(name) ? ' (Node)' : ''}`));
		expect(imported).toEqual([]);
		expect(graph.size).toBeGreaterThan(1);
	});
});
