/**
 * Local mode against a real `node sandbox/main.ts`: every page, form, static file and API route answers only
 * to loopback names (a DNS-rebinding page's own name gets 421 and a sentence), changing requests must come
 * from this very origin (scheme, host and port), and no other site can frame a page. Forged Host headers
 * need node:http: fetch and browsers will not send them.
 */
import { request, createServer, type Server } from 'node:http';
import { describe, expect, it, afterAll, beforeAll } from 'vitest';
import { useBrowser } from './harness/browser.ts';

const browser = useBrowser();

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
}

function call(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
	const base = new URL(browser.url('/'));
	return new Promise((resolve, reject) => {
		const req = request({ host: base.hostname, port: base.port, path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		req.end(options.body);
	});
}

const port = (): string => new URL(browser.url('/')).port;

/** One of each: a prerendered lesson, an on-demand page, a form, a static file, the API. */
const PATHS = ['/ko/', '/en/what-is-smtp/', '/ko/sandbox/forum/login/', '/en/sandbox/inbox/', '/en/sandbox/settings/', '/favicon.svg', '/api/v1/messages'];

describe('Host check in local mode', () => {
	it.each(PATHS)('%s answers a foreign Host with 421 and says why and what to open', async (path) => {
		const answer = await call(path, { headers: { host: `rebound.example:${port()}` } });
		expect(answer.status).toBe(421);
		expect(answer.text).toContain('rebound.example');
		expect(answer.text).toContain(`http://127.0.0.1:${port()}/`);
		expect(answer.text).toMatch(/DNS[- ]rebinding/);
		expect(answer.text).toContain('DNS 리바인딩');
	});

	it.each(PATHS)('%s answers loopback names and addresses', async (path) => {
		for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `127.0.0.2:${port()}`, `[::1]:${port()}`]) {
			const answer = await call(path, { headers: { host } });
			expect(answer.status, `${path} with Host ${host}`).toBe(200);
		}
	});

	it('a form posted under a rebound name does nothing', async () => {
		const body = new URLSearchParams({ username: 'rebound', email: 'victim@example.com', password1: 'a-long-pass-phrase-1', password2: 'a-long-pass-phrase-1' }).toString();
		const answer = await call('/en/sandbox/forum/signup/', {
			method: 'POST',
			headers: { host: `rebound.example:${port()}`, 'content-type': 'application/x-www-form-urlencoded', origin: `http://rebound.example:${port()}` },
			body,
		});
		expect(answer.status).toBe(421);
		expect(answer.headers['set-cookie']).toBeUndefined();
	});
});

describe('Origin check compares scheme, host and port', () => {
	it('refuses a change from another port or scheme on this computer, allows this very origin', async () => {
		for (const origin of [`http://127.0.0.1:${Number(port()) + 1}`, `https://127.0.0.1:${port()}`, `http://localhost:${port()}`, 'null']) {
			const answer = await call('/api/v1/messages', { method: 'DELETE', headers: { origin } });
			expect(answer.status, origin).toBe(403);
		}
		const own = await call('/api/v1/messages', { method: 'DELETE', headers: { origin: `http://127.0.0.1:${port()}` } });
		expect(own.status).toBe(200);
	});
});

describe('no other site can frame a page', () => {
	it.each(PATHS.filter((path) => !path.startsWith('/api/')))('%s sends frame-ancestors and X-Frame-Options as HTTP headers', async (path) => {
		const answer = await call(path);
		expect(answer.status).toBe(200);
		expect(String(answer.headers['content-security-policy'])).toMatch(/frame-ancestors 'self'/);
		expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
	});

	let framer: Server;
	let framerUrl = '';
	beforeAll(async () => {
		// Another site on this computer (another port is another origin) that frames the inbox.
		framer = createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end(`<!doctype html><title>framer</title><iframe id="inbox" src="${browser.url('/en/sandbox/inbox/')}"></iframe>`);
		});
		await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
		const address = framer.address();
		framerUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
	});
	afterAll(async () => {
		await new Promise<void>((resolve) => framer.close(() => resolve()));
	});

	it('Chromium refuses to show the inbox inside another site', async () => {
		const page = await browser.newPage();
		const refused = page.waitForEvent('console', (message) => /frame-ancestors|Refused to (display|frame)/i.test(message.text()));
		await page.goto(framerUrl);
		await refused;
		const frame = page.frames().find((f) => f !== page.mainFrame());
		expect(frame).toBeDefined();
		// A refused frame holds Chromium's error page, never the inbox.
		expect(await frame!.locator('#inbox-list, [data-inbox]').count()).toBe(0);
		expect(frame!.url()).not.toContain('/sandbox/inbox/');
	});
});
