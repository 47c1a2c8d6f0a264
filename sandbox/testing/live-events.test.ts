import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStreamParser, openLiveEvents } from './live-events.ts';

describe('EventStreamParser (HTML standard, interpreting an event stream)', () => {
	it('dispatches on a blank line, joins data lines with LF and defaults the type to message', () => {
		const parts = new EventStreamParser().push('data: one\ndata: two\n\nevent: mail\ndata: {"id":1}\n\n');
		expect(parts.events).toEqual([
			{ type: 'message', data: 'one\ntwo', lastEventId: '' },
			{ type: 'mail', data: '{"id":1}', lastEventId: '' },
		]);
	});

	it('takes CRLF, LF and CR line ends, even a CRLF split between two chunks', () => {
		const parser = new EventStreamParser();
		const first = parser.push('event: a\r\ndata: 1\r');
		const second = parser.push('\n\r\nevent: b\rdata: 2\r\r');
		expect(first.events).toEqual([]);
		expect(second.events.map((e) => [e.type, e.data])).toEqual([
			['a', '1'],
			['b', '2'],
		]);
	});

	it('waits for the blank line when a block arrives in pieces', () => {
		const parser = new EventStreamParser();
		expect(parser.push('event: mess').events).toEqual([]);
		expect(parser.push('age\ndata: par').events).toEqual([]);
		expect(parser.push('t\n').events).toEqual([]);
		expect(parser.push('\n').events).toEqual([{ type: 'message', data: 'part', lastEventId: '' }]);
	});

	it('removes one leading space only, and takes a field with no colon as an empty value', () => {
		const parts = new EventStreamParser().push('data:  two spaces\ndata\ndata:x\n\n');
		expect(parts.events[0]!.data).toBe(' two spaces\n\nx');
	});

	it('keeps the last id for later events and ignores an id containing NUL', () => {
		const parts = new EventStreamParser().push('id: 7-1\ndata: a\n\ndata: b\n\nid: bad\0id\ndata: c\n\nid\ndata: d\n\n');
		expect(parts.events.map((e) => e.lastEventId)).toEqual(['7-1', '7-1', '7-1', '']);
	});

	it('drops a block without data, and reports comments and retry apart from events', () => {
		const parts = new EventStreamParser().push('retry: 3000\n: connected\n\nevent: lonely\n\nunknown: field\ndata: kept\n\n');
		expect(parts.comments).toEqual(['connected']);
		expect(parts.retryMs).toBe(3000);
		expect(parts.events).toEqual([{ type: 'message', data: 'kept', lastEventId: '' }]);
	});
});

describe('openLiveEvents over a real socket', () => {
	let server: Server;
	let base: string;
	const streams = new Set<ServerResponse>();

	beforeAll(async () => {
		server = createServer((req, res) => {
			if (req.url === '/refuse') {
				res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' });
				res.end('busy');
				return;
			}
			res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
			res.write(`retry: 1000\n: connected\n\n`);
			// The client's headers come back as an event, so the test sees what was sent.
			res.write(`id: 1-0\nevent: hello\ndata: ${JSON.stringify({ cookie: req.headers.cookie ?? null })}\n\n`);
			streams.add(res);
			res.on('close', () => streams.delete(res));
			if (req.url === '/short') res.end();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		for (const res of streams) res.destroy();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});

	it('sends the headers given, reads the comment and waits for an event still to come', async () => {
		const seen: string[] = [];
		const client = openLiveEvents(`${base}/events`, { headers: { cookie: 'a=b' }, onEvent: (event) => seen.push(event.type) });
		await client.opened;
		await client.waitForComment('connected');
		expect(JSON.parse((await client.waitFor((e) => e.type === 'hello')).data)).toEqual({ cookie: 'a=b' });
		const later = client.waitFor((e) => e.type === 'later');
		for (const res of streams) res.write('event: later\ndata: 2\n\n');
		expect(await later).toEqual({ type: 'later', data: '2', lastEventId: '1-0' });
		expect(seen).toEqual(['hello', 'later']);
		client.close();
	});

	it('rejects `opened` on a refusal, so a test awaiting it fails', async () => {
		const client = openLiveEvents(`${base}/refuse`);
		await expect(client.opened).rejects.toThrow(/status 503/);
		expect(await client.ended).toMatch(/status 503/);
	});

	it('fails a wait when the stream ends before the event comes, and says why it ended', async () => {
		const client = openLiveEvents(`${base}/short`);
		await expect(client.waitFor((e) => e.type === 'never', 5_000)).rejects.toThrow(/stream ended first/);
		expect(await client.ended).toBe('the server ended the stream');
	});

	it('fails a wait that times out', async () => {
		const client = openLiveEvents(`${base}/events`);
		await expect(client.waitFor((e) => e.type === 'never', 50)).rejects.toThrow(/within 50 ms/);
		client.close();
	});
});
