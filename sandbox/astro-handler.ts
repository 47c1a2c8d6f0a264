/**
 * Loads the request handler of the built site (`astro build` with @astrojs/node in standalone mode).
 * The build's entry would start its own server on import; ASTRO_NODE_AUTOSTART=disabled stops that
 * so the site and the sandbox share one process and one port.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OperatorError } from './operator-error.ts';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

const ENTRY = new URL('../dist/server/entry.mjs', import.meta.url);

export async function loadAstroHandler(): Promise<NodeHandler> {
	if (!existsSync(fileURLToPath(ENTRY))) {
		throw new OperatorError('start.siteNotBuilt', { path: fileURLToPath(ENTRY) });
	}
	process.env['ASTRO_NODE_AUTOSTART'] = 'disabled';
	const entry = (await import(ENTRY.href)) as { handler: NodeHandler };
	return entry.handler;
}
