/**
 * A classroom sandbox reachable from the network (HOST=0.0.0.0): POP3 and IMAP refuse logins until the
 * connection is encrypted, and the API answers the LAN name a learner's browser uses while cookies still
 * gate it. Local mode keeps refusing foreign Host headers (DNS rebinding).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../testing/pop3-imap-fixtures.ts';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';
import { LEARNER_COOKIE } from './classroom.ts';

/** fetch() will not send a Host header of our choosing; node:http does, as a browser on the LAN would. */
function statusOf(port: number, headers: Record<string, string>): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, path: '/api/v1/messages', headers }, (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('error', reject);
		req.end();
	});
}

let t: TestSandbox;
let local: TestSandbox;

beforeAll(async () => {
	t = await startTestSandbox({ HOST: '0.0.0.0', SANDBOX_CLASSROOM: '1', INSTRUCTOR_TOKEN: 'network-test-token-0123456789' });
	local = await startTestSandbox();
});
afterAll(async () => {
	await Promise.all([t.stop(), local.stop()]);
});

describe('classroom mode on the network', () => {
	it('POP3: USER is refused before STLS, and works after it', async () => {
		const { credentials } = await t.sandbox.classroom.join('Net A');
		const pop = await RawClient.plain(t.sandbox.ports.pop3);
		try {
			await pop.line();
			pop.sendLine(`USER ${credentials.smtpUser}`);
			expect(await pop.line()).toMatch(/^-ERR .*STLS/);
			pop.sendLine('STLS');
			expect(await pop.line()).toMatch(/^\+OK/);
			await pop.upgrade(t.sandbox.certificate.pem);
			pop.sendLine(`USER ${credentials.smtpUser}`);
			expect(await pop.line()).toMatch(/^\+OK/);
			pop.sendLine(`PASS ${credentials.smtpPassword}`);
			expect(await pop.line()).toMatch(/^\+OK/);
		} finally {
			pop.close();
		}
	});

	it('IMAP: LOGINDISABLED until STARTTLS', async () => {
		const imap = await RawClient.plain(t.sandbox.ports.imap);
		try {
			await imap.line();
			imap.sendLine('c1 CAPABILITY');
			expect((await imap.linesUntil(/^c1 /)).join('\n')).toContain('LOGINDISABLED');
		} finally {
			imap.close();
		}
	});

	it('the API answers a LAN Host header, and still only with a classroom cookie', async () => {
		const { cookieValue } = await t.sandbox.classroom.join('Net B');
		const lan = { host: '192.168.0.10:4321' };
		expect(await statusOf(t.httpPort, lan)).toBe(401);
		expect(await statusOf(t.httpPort, { ...lan, cookie: `${LEARNER_COOKIE}=${cookieValue}` })).toBe(200);
	});

	it('local mode still refuses a foreign Host header', async () => {
		expect(await statusOf(local.httpPort, { host: '192.168.0.10:4321' })).toBe(421);
		expect(await statusOf(local.httpPort, { host: `127.0.0.1:${local.httpPort}` })).toBe(200);
	});
});
