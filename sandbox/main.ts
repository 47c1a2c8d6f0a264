/**
 * `npm start`: serves the built lessons and runs the sandbox in one process.
 */
import { createServer } from 'node:http';
import { loadAstroHandler } from './astro-handler.ts';

const host = process.env['HOST'] ?? '127.0.0.1';
const port = Number(process.env['PORT'] ?? 4321);

const astro = await loadAstroHandler();
const server = createServer((req, res) => astro(req, res));
server.listen(port, host, () => {
	// PORT=0 lets the OS pick a free port (the browser tests do this); print the one actually bound.
	const address = server.address();
	const bound = typeof address === 'object' && address !== null ? address.port : port;
	console.log(`Postlab is ready: http://${host}:${bound}/`);
});
