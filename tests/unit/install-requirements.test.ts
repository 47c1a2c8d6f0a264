/**
 * What a learner's machine needs, said the same way in package.json and the README: `engines` names the
 * Node that runs npm (the scripts run on the `node` devDependency), and the README's quick start repeats it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
	engines: { node: string };
	devDependencies: Record<string, string>;
	scripts: Record<string, string>;
};
const readme = readFileSync(new URL('README.md', root), 'utf8');

describe('install requirements', () => {
	it('engines.node is a plain minimum major, and the README states the same one', () => {
		const major = /^>=(\d+)$/.exec(manifest.engines.node)?.[1];
		expect(major, `engines.node should read ">=N", not ${manifest.engines.node}`).toBeDefined();
		expect(readme).toContain(`You need Node.js ${major} or newer and npm`);
	});

	it('the scripts run on a newer Node of their own than engines asks of the machine', () => {
		const own = Number(/\d+/.exec(manifest.devDependencies['node'] ?? '')?.[0]);
		expect(own).toBeGreaterThan(Number(/\d+/.exec(manifest.engines.node)?.[0]));
		expect(Number(process.versions.node.split('.')[0])).toBe(own);
	});
});
