/**
 * Test support: plain node:http calls to the sandbox's JSON API (no keep-alive agent, so a test that
 * kills the server leaves no pooled socket behind), and small helpers the hardening tests share.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import type { MessageSummary } from '../../../sandbox/store/types.ts';

export interface ApiAnswer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

export function apiGet(port: number, path: string, timeoutMs = 30_000): Promise<ApiAnswer> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer within ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end();
	});
}

export async function apiJson<T>(port: number, path: string): Promise<T> {
	const answer = await apiGet(port, path);
	if (answer.status !== 200) throw new Error(`GET ${path} → ${answer.status} ${answer.body.toString().slice(0, 300)}`);
	return JSON.parse(answer.body.toString('utf8')) as T;
}

/** Every stored message through the list API, newest first, page by page. */
export async function listAll(port: number): Promise<MessageSummary[]> {
	const out: MessageSummary[] = [];
	for (;;) {
		const page = await apiJson<{ total: number; messages: MessageSummary[] }>(port, `/api/v1/messages?limit=500&start=${out.length}`);
		out.push(...page.messages);
		if (page.messages.length === 0 || out.length >= page.total) return out;
	}
}

export function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** Runs `work` over `items` with at most `limit` at once; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await work(items[index]!, index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return results;
}
