/**
 * The directions dependencies may take, read from the import statements of every non-test module: the
 * Node side never reaches into the site, storage knows nothing of protocols, HTTP, views or the forum,
 * and outbound mail knows no forum (the forum uses outbound mail, not the other way round). A new
 * import against these fails here with the file and the line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Edge {
	from: string;
	to: string;
	line: number;
}

function modules(folder: string): string[] {
	return readdirSync(join(ROOT, folder), { recursive: true })
		.map(String)
		.filter((file) => /\.(ts|mts)$/.test(file) && !/\.test\.ts$|\.d\.ts$/.test(file))
		.map((file) => join(folder, file));
}

/** Relative imports (static, `export … from` and dynamic) of one module, as paths from the project root. */
function edges(file: string): Edge[] {
	const found: Edge[] = [];
	readFileSync(join(ROOT, file), 'utf8')
		.split('\n')
		.forEach((text, index) => {
			for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
				found.push({ from: file, to: relative(ROOT, resolve(ROOT, dirname(file), match[1]!)), line: index + 1 });
			}
		});
	return found;
}

const sandboxEdges = modules('sandbox').flatMap(edges);

function breaking(fromPrefix: string, forbidden: readonly string[]): string[] {
	return sandboxEdges
		.filter((edge) => edge.from.startsWith(fromPrefix) && forbidden.some((prefix) => edge.to.startsWith(prefix)))
		.map((edge) => `${edge.from}:${edge.line} imports ${edge.to}`);
}

describe('import directions', () => {
	it('reads the imports it judges', () => {
		expect(sandboxEdges.length).toBeGreaterThan(300);
		expect(sandboxEdges).toContainEqual(expect.objectContaining({ from: 'sandbox/sandbox.ts', to: 'sandbox/store/mail-store.ts' }));
	});

	it('sandbox/ never imports the site (src/)', () => {
		expect(breaking('sandbox/', ['src/'])).toEqual([]);
	});

	it('the store imports no protocol, HTTP, view, forum, classroom or outbound code', () => {
		const outside = ['smtp/', 'pop3/', 'imap/', 'line-protocol/', 'http/', 'console/', 'forum/', 'classroom/', 'outbound/', 'drills/', 'mail/message-'].map((p) => `sandbox/${p}`);
		expect(breaking('sandbox/store/', outside)).toEqual([]);
	});

	it('outbound mail knows no forum, classroom or protocol server', () => {
		const outside = ['forum/', 'classroom/', 'pop3/', 'imap/', 'line-protocol/', 'console/'].map((p) => `sandbox/${p}`);
		expect(breaking('sandbox/outbound/', outside)).toEqual([]);
	});
});
