import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionLimiter } from '../connections/connection-limiter.ts';
import { message } from '../i18n/messages.ts';
import type { MessageSummary } from '../store/types.ts';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';
import { createHttpGuard, type RequestListener } from './http-guard.ts';
import { englishLog } from '../testing/english-log.ts';

/**
 * Sends one raw request (any request line at all) and resolves with the status line and the body as sent
 * (a chunked body keeps its chunk lines); '' when the server hung up.
 */
function raw(port: number, requestLine: string, from = '127.0.0.1'): Promise<{ status: string; body: string }> {
	return new Promise((resolve) => {
		const socket = connect({ port, host: '127.0.0.1', localAddress: from });
		const chunks: Buffer[] = [];
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('error', () => undefined);
		socket.on('close', () => {
			const out = Buffer.concat(chunks).toString('utf8');
			resolve({ status: out.split('\r\n')[0] ?? '', body: out.slice(out.indexOf('\r\n\r\n') + 4) });
		});
		socket.write(`${requestLine} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
	});
}

describe('the API with any request target', () => {
	let t: TestSandbox;
	beforeAll(async () => {
		t = await startTestSandbox();
	});
	afterAll(async () => {
		await t.stop();
	});

	it('treats //, /// and HEAD // as paths, never as a host, and keeps answering', async () => {
		// These ended the process (TypeError: Invalid URL) before: the API parsed them as scheme-relative URLs.
		for (const line of ['GET //', 'GET ///', 'HEAD //', 'GET //evil.example/api/v1/health', 'GET /\\evil.example/']) {
			const answer = await raw(t.httpPort, line);
			expect(answer.status, line).toBe('HTTP/1.1 404 Not Found');
			if (!line.startsWith('HEAD')) expect(answer.body, line).toContain('not the API');
		}
		expect((await raw(t.httpPort, 'GET //api/v1//health')).body).toContain('not the API');
		// Absolute-form (RFC 9112 §3.2.2): its path is what counts.
		expect((await raw(t.httpPort, 'GET http://postlab.example/api/v1/health')).status).toBe('HTTP/1.1 200 OK');
		expect((await raw(t.httpPort, 'OPTIONS *')).body).toContain('not the API');
		expect((await raw(t.httpPort, 'GET /api/v1/messages/%E0%A4%A')).status).toBe('HTTP/1.1 400 Bad Request');
		expect((await raw(t.httpPort, 'HEAD /api/v1/health')).status).toBe('HTTP/1.1 200 OK');
		expect((await raw(t.httpPort, 'GET /api/v1/health')).status).toBe('HTTP/1.1 200 OK');
	});

	it('stops writing to an event stream it ended for a slow reader, however many events follow', async () => {
		const big = (n: number): MessageSummary => ({
			id: `slow${n}`,
			mailbox: 'default',
			subject: 'x'.repeat(200_000),
			from: null,
			to: [],
			date: '',
			receivedAt: '',
			size: 0,
			snippet: '',
			attachmentCount: 0,
			read: false,
			uid: n + 1,
			flags: [],
			parsed: true,
		});
		const ended = new Promise<void>((resolve, reject) => {
			const req = request({ host: '127.0.0.1', port: t.httpPort, path: '/api/v1/events' }, (res) => {
				res.once('data', () => {
					// A client that stops reading: the server's buffer for it fills past its limit.
					res.pause();
					for (let n = 0; n < 12; n += 1) t.sandbox.events.emit({ type: 'message', message: big(n) });
					// Read again while events keep coming: the ended stream drains, and nothing may be written to it.
					let n = 12;
					const more = setInterval(() => t.sandbox.events.emit({ type: 'message', message: big(n++) }), 1);
					res.on('end', () => {
						clearInterval(more);
						resolve();
					});
					res.on('error', reject);
					res.resume();
				});
			});
			req.on('error', reject);
			req.end();
		});
		await ended;
		for (let n = 0; n < 20; n += 1) t.sandbox.events.emit({ type: 'message', message: big(100 + n) });
		expect((await raw(t.httpPort, 'GET /api/v1/health')).status).toBe('HTTP/1.1 200 OK');
	});
});

describe('the HTTP guard', () => {
	const servers: Server[] = [];
	afterEach(async () => {
		for (const server of servers.splice(0)) {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	});

	async function serve(listener: RequestListener, limits = { total: 100, perAddress: null as number | null }) {
		const log: string[] = [];
		const guard = createHttpGuard({ connections: new ConnectionLimiter(limits), loginTimeoutMs: 30_000, log: englishLog(log) });
		const server = createServer(guard.handle(listener));
		guard.attach(server);
		servers.push(server);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const address = server.address();
		return { port: typeof address === 'object' && address ? address.port : 0, log };
	}

	it('answers 500 to a request whose handler throws, logs it once without the URL, and serves the next', async () => {
		const { port, log } = await serve((req, res) => {
			if (req.url?.includes('boom')) throw new TypeError('handler bug');
			if (req.url?.includes('later')) return Promise.reject(new Error('async handler bug'));
			res.end('fine');
			return undefined;
		});
		const thrown = await raw(port, 'GET /reset/MQ/boom-secret-token/');
		expect(thrown.status).toBe('HTTP/1.1 500 Internal Server Error');
		expect(thrown.body).toBe(`${message('en', 'http.internalError')}\n${message('ko', 'http.internalError')}\n`);
		expect(thrown.body).toMatch(/could not answer this request/);
		expect((await raw(port, 'GET /later-secret')).status).toBe('HTTP/1.1 500 Internal Server Error');
		expect((await raw(port, 'GET /')).body).toBe('fine');
		expect(log).toHaveLength(2);
		expect(log[0]).toMatch(/^HTTP: a GET request failed and was answered 500: TypeError: handler bug/);
		expect(log.join('\n')).not.toMatch(/secret/);
	});

	it('answers a method no handler can take with 501 in both languages, and logs nothing', async () => {
		const { port, log } = await serve((_req, res) => res.end('fine'));
		const trace = await raw(port, 'TRACE /');
		expect(trace.status).toBe('HTTP/1.1 501 Not Implemented');
		expect(trace.body).toBe(`Postlab does not serve TRACE requests.\n${message('ko', 'http.methodNotServed', { method: 'TRACE' })}\n`);
		expect(log).toEqual([]);
	});

	it('refuses a client address over its share with 429, another address still gets in, and the total with 503', async () => {
		const { port } = await serve((_req, res) => res.end('fine'), { total: 4, perAddress: 2 });
		// Two idle connections from one machine hold its share.
		const idle = await Promise.all(
			[1, 2].map(
				() =>
					new Promise<ReturnType<typeof connect>>((resolve) => {
						const socket = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' }, () => resolve(socket));
					}),
			),
		);
		const refused = await raw(port, 'GET /', '127.0.0.2');
		expect(refused.status).toBe('HTTP/1.1 429 Too Many Requests');
		expect(refused.body).toMatch(/Too many connections from your address \(2 at once\)/);
		expect(refused.body).toMatch(/연결이 너무 많습니다/);
		expect((await raw(port, 'GET /', '127.0.0.3')).body).toBe('fine');
		// Two more idle from a third machine fill the total.
		idle.push(
			...(await Promise.all(
				[1, 2].map(
					() =>
						new Promise<ReturnType<typeof connect>>((resolve) => {
							const socket = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.4' }, () => resolve(socket));
						}),
				),
			)),
		);
		expect((await raw(port, 'GET /', '127.0.0.5')).status).toBe('HTTP/1.1 503 Service Unavailable');
		for (const socket of idle) socket.destroy();
	});
});
