/**
 * `npm run dev` guards like `npm start`: Astro's dev server, with the sandbox inside it, answers a foreign
 * Host with our 421 and its sentence (before Vite's own host check, whose advice is to allow the name), on
 * pages, forms, static files and the API, and sends the frame headers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let dev: ChildProcess;
let dir: string;
let port = 0;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'postlab-dev-host-'));
	const env: NodeJS.ProcessEnv = { ...process.env, SANDBOX_DATA_DIR: dir, DOTENV_CONFIG_PATH: join(dir, 'no-such.env'), HOST: '127.0.0.1' };
	for (const name of ['SANDBOX_SMTP_PORT', 'SANDBOX_SMTPS_PORT', 'SANDBOX_POP3_PORT', 'SANDBOX_POP3S_PORT', 'SANDBOX_IMAP_PORT', 'SANDBOX_IMAPS_PORT']) env[name] = '0';
	delete env['VITEST'];
	// Its own process group, so stopping it stops whatever it started.
	dev = spawn(process.execPath, ['node_modules/astro/bin/astro.mjs', 'dev', '--port', '0'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	dev.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
	port = await new Promise<number>((resolve, reject) => {
		createInterface({ input: dev.stdout! }).on('line', (line) => {
			output += `${line}\n`;
			// With FORCE_COLOR (as CI sets it) Astro colours the URL: read the line without its escapes.
			const match = /Local\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(stripVTControlCharacters(line));
			if (match) resolve(Number(match[1]));
		});
		dev.once('exit', (code) => reject(new Error(`astro dev exited (${code}) before it was ready:\n${output}`)));
	});
}, 120_000);

afterAll(async () => {
	if (dev && dev.exitCode === null && dev.pid) {
		const exited = once(dev, 'exit');
		process.kill(-dev.pid, 'SIGTERM');
		await exited;
	}
	await rm(dir, { recursive: true, force: true });
});

function call(path: string, host: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		req.end();
	});
}

describe('npm run dev checks Host like npm start', { timeout: 120_000 }, () => {
	it.each(['/ko/', '/en/sandbox/forum/login/', '/favicon.svg', '/api/v1/health'])('%s', async (path) => {
		const foreign = await call(path, `rebound.example:${port}`);
		expect(foreign.status).toBe(421);
		expect(foreign.text).toContain(`Open http://127.0.0.1:${port}/ instead.`);
		const own = await call(path, `localhost:${port}`);
		expect(own.status).toBe(200);
		expect(own.headers['x-frame-options']).toBe('SAMEORIGIN');
		expect(String(own.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
	});
});
