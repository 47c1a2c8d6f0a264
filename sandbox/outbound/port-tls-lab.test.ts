/**
 * The port/TLS lab over real sockets and real TLS: every combination of port style and Django's two
 * booleans, through `POST /api/v1/labs/port-tls`, against a running sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';
import { CLOSED_LINE, TIMED_OUT_LINE, WRONG_VERSION_LINE } from './django-smtp-outcome.ts';
import { MUTUALLY_EXCLUSIVE_MESSAGE, type PortTlsResult } from './port-tls-lab.ts';

let sandbox: TestSandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});
afterAll(async () => {
	await sandbox.stop();
});

async function run(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
	const response = await fetch(`${sandbox.baseUrl}/api/v1/labs/port-tls`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	return { status: response.status, json: await response.json() };
}

async function attempt(port: 'starttls' | 'tls', useTls: boolean, useSsl: boolean): Promise<PortTlsResult> {
	const { status, json } = await run({ port, useTls, useSsl });
	expect(status).toBe(200);
	return json as PortTlsResult;
}

describe('POST /api/v1/labs/port-tls', () => {
	it('587-style port with EMAIL_USE_TLS: STARTTLS, the message is stored, and the server saw the upgrade', async () => {
		const stored = nextEvent(sandbox.sandbox.events, 'message');
		const result = await attempt('starttls', true, false);
		expect(result.ok).toBe(true);
		expect(result.security).toBe('starttls');
		expect(result.sandboxPort).toBe(sandbox.sandbox.ports.smtp);
		expect(result.matchesAdvice).toBe(true);
		expect(result.django).toEqual({ when: 'sent', exception: null });
		expect(result.transcript.some((entry) => entry.from === 'client' && entry.line === 'STARTTLS')).toBe(true);
		const event = await stored;
		expect(result.messageId).toBe(event.message.id);
		const detail = await sandbox.sandbox.messages.detail(event.message.id);
		expect(detail?.session.tls).toBe('starttls');
	});

	it('587-style port with neither: a plain conversation that never says STARTTLS, and advice to turn TLS on', async () => {
		const result = await attempt('starttls', false, false);
		expect(result.ok).toBe(true);
		expect(result.security).toBe('none');
		expect(result.matchesAdvice).toBe(false);
		expect(result.advice).toEqual({ port: 'starttls', realPort: 587, useTls: true, useSsl: false });
		expect(result.transcript.some((entry) => entry.line === 'STARTTLS')).toBe(false);
		expect(result.transcript.some((entry) => /^EHLO /.test(entry.line))).toBe(true);
	});

	it('587-style port with EMAIL_USE_SSL: the TLS client reads a plain greeting ("wrong version number")', async () => {
		const result = await attempt('starttls', false, true);
		expect(result.ok).toBe(false);
		expect(result.error?.id).toBe('tls-wrong-version');
		expect(result.error?.message).toMatch(/wrong version number/i);
		expect(result.advice.useTls).toBe(true);
		expect(result.django).toEqual({ when: 'at-once', exception: WRONG_VERSION_LINE });
	});

	it('465-style port with EMAIL_USE_SSL: TLS from the first byte', async () => {
		const result = await attempt('tls', false, true);
		expect(result.ok).toBe(true);
		expect(result.security).toBe('implicit');
		expect(result.sandboxPort).toBe(sandbox.sandbox.ports.smtps);
		expect(result.messageId).toBeTruthy();
		const detail = await sandbox.sandbox.messages.detail(result.messageId!);
		expect(detail?.session.tls).toBe('implicit');
	});

	it.each([
		[true, false],
		[false, false],
	])('465-style port with EMAIL_USE_TLS=%s, EMAIL_USE_SSL=%s: no greeting ever comes (timeout)', async (useTls, useSsl) => {
		const result = await attempt('tls', useTls, useSsl);
		expect(result.ok).toBe(false);
		expect(result.error?.id).toBe('greeting-timeout');
		expect(result.error?.kind).toBe('tls');
		expect(result.error?.message).toMatch(/greeting/i);
		expect(result.advice).toEqual({ port: 'tls', realPort: 465, useTls: false, useSsl: true });
		expect(result.django).toEqual({ when: 'after-timeout', exception: TIMED_OUT_LINE, exceptionWithoutTimeout: CLOSED_LINE });
	});

	it.each(['starttls', 'tls'] as const)('%s port with both on: refused before connecting, with Django\'s text', async (port) => {
		const before = sandbox.sandbox.store.count;
		const result = await attempt(port, true, true);
		expect(result.ok).toBe(false);
		expect(result.sandboxPort).toBeNull();
		expect(result.transcript).toEqual([]);
		expect(result.error?.message).toBe(MUTUALLY_EXCLUSIVE_MESSAGE);
		expect(result.error?.what.en).toContain(MUTUALLY_EXCLUSIVE_MESSAGE);
		expect(result.django).toEqual({ when: 'before-connecting', exception: `ValueError: ${MUTUALLY_EXCLUSIVE_MESSAGE}` });
		expect(sandbox.sandbox.store.count).toBe(before);
	});

	it('answers 400 with an example body to a malformed request', async () => {
		const { status, json } = await run({ port: 587, useTls: 'True' });
		expect(status).toBe(400);
		expect((json as { error: { message: string } }).error.message).toContain('"port": "starttls"');
	});

	it('refuses other sites (Origin) and other Host names', async () => {
		expect((await run({ port: 'tls', useTls: false, useSsl: true }, { origin: 'http://evil.example' })).status).toBe(403);
		const response = await fetch(`${sandbox.baseUrl}/api/v1/labs/port-tls`, { method: 'GET' });
		expect(response.status).toBe(405);
	});
});
