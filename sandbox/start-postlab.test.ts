/**
 * startPostlab, the start-up every entry point shares: it registers what the Astro pages read, starts the
 * forum once however often the web server says it listens, and on close leaves no port open and nothing
 * registered. Real sockets: a closed port refuses a connection.
 */
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';
import { message, type Lang } from './i18n/messages.ts';
import { getClassroom, getForum, getRealMode, getRuntime, getSandbox } from './runtime.ts';
import { startPostlab, type Postlab } from './start-postlab.ts';
import { FREE_PORTS, makeDataDir } from './testing/test-sandbox.ts';

const started: { postlab: Postlab; dir: string }[] = [];

afterEach(async () => {
	for (const { postlab, dir } of started.splice(0)) {
		await postlab.close();
		await rm(dir, { recursive: true, force: true });
	}
});

async function start(lang: Lang = 'en'): Promise<{ postlab: Postlab; lines: string[] }> {
	const dir = await makeDataDir();
	const lines: string[] = [];
	const config = readConfig({ ...FREE_PORTS, SANDBOX_DATA_DIR: dir });
	// No .env: the settings come from an empty environment, so mail stays in the sandbox.
	const environment = { DOTENV_CONFIG_PATH: join(dir, 'no-such.env') };
	const postlab = await startPostlab({ config, environmentBeforeDotenv: environment, lang, log: { info: (m) => lines.push(m), warn: (m) => lines.push(m) } });
	started.push({ postlab, dir });
	return { postlab, lines };
}

function accepts(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

describe('startPostlab', () => {
	it('registers the sandbox, its classroom and real mode for the pages, and the forum once the web server listens', async () => {
		const { postlab, lines } = await start();
		expect(getRuntime()).toBe(postlab);
		expect(getSandbox()).toBe(postlab.sandbox);
		expect(getClassroom()).toBe(postlab.sandbox.classroom);
		expect(getRealMode()).toBe(postlab.realMode);
		expect(lines.join('\n')).toMatch(/sandbox/i);
		expect(getForum()).toBeNull();

		const [first, second] = await Promise.all([postlab.serveOn(4999), postlab.serveOn(5000)]);
		expect(second).toBe(first);
		expect(getForum()).toBe(first);
		expect(postlab.sandbox.ports.http).toBe(5000);
	});

	it('logs in the language it is given, whatever LANG says', async () => {
		const { postlab, lines } = await start('ko');
		await postlab.serveOn(4999);
		const keyPath = join(postlab.sandbox.config.dataDir, 'forum', 'secret-key');
		expect(lines.at(-1)).toBe(message('ko', 'start.forumSecretKeyMade', { path: keyPath }));
		expect(lines[0]).toMatch(/^메일 보낼 곳: 샌드박스/);
	});

	it('says a problem while it runs in the language it is given: a request whose handler throws', async () => {
		const { postlab, lines } = await start('ko');
		const server = createServer(postlab.sandbox.http.handle(() => Promise.reject(new TypeError('handler bug'))));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(500);
		} finally {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
		expect(lines.at(-1)).toMatch(/^HTTP: GET 요청이 실패해 500으로 답했습니다: TypeError: handler bug\n/);
	});

	it('closes every port and unregisters on close, and a second close waits for the same one', async () => {
		const { postlab } = await start();
		await postlab.serveOn(4999);
		const { smtp, pop3, imap } = postlab.sandbox.ports;
		expect(await accepts(smtp)).toBe(true);
		await Promise.all([postlab.close(), postlab.close()]);
		expect(getRuntime()).toBeUndefined();
		expect(getForum()).toBeNull();
		expect(await Promise.all([accepts(smtp), accepts(pop3), accepts(imap)])).toEqual([false, false, false]);
	});

	it('is closed by `await using`', async () => {
		const { postlab } = await start();
		const { smtp } = postlab.sandbox.ports;
		{
			await using scoped = postlab;
			expect(getRuntime()).toBe(scoped);
		}
		expect(getRuntime()).toBeUndefined();
		expect(await accepts(smtp)).toBe(false);
	});
});
