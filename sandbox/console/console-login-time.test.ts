/**
 * A person typing in the console gets the console's own time to log in, where a program gets
 * SANDBOX_LOGIN_TIMEOUT_SECONDS: with that at 1 s, a plain client that connected after the console is
 * closed for not logging in, and the console, older than it, still talks. Real sockets throughout.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';
import { openConsole } from './console-test-client.ts';

let t: TestSandbox;
beforeAll(async () => {
	t = await startTestSandbox({ SANDBOX_LOGIN_TIMEOUT_SECONDS: '1' });
});
afterAll(async () => {
	await t.stop();
});

/** Connects a plain client that never logs in, and resolves with all it heard once the server hangs up. */
function heardUntilClosed(port: number): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket: Socket = connect(port, '127.0.0.1');
		let heard = '';
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => (heard += chunk));
		socket.on('error', reject);
		socket.on('close', () => resolve(heard));
	});
}

describe('the console’s time to log in', () => {
	it.each([
		['smtp', () => t.sandbox.ports.smtp, /^220 /, 'EHLO django.local', /^250 /, /421 Closing: no login or message within 1 second/],
		['imap', () => t.sandbox.ports.imap, /^\* OK/, 'a1 CAPABILITY', /^a1 OK/, /BYE/],
	] as const)('%s: outlasts a program’s login timeout', async (protocol, port, greeting, command, answer, programHears) => {
		const c = await openConsole(t.baseUrl, `protocol=${protocol}`);
		await c.reply(greeting);
		// Connected after the console, so when it is closed the console has been waiting longer.
		expect(await heardUntilClosed(port())).toMatch(programHears);
		c.type(command);
		await c.reply(answer);
		c.close();
	});
});
