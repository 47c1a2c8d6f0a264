/**
 * A port another program holds stops the start-up with a line the operator can act on: which port, which
 * setting to change, in the terminal's language, for the mail-reading ports as for SMTP's. A real listener
 * holds the port.
 */
import { createServer, type Server } from 'node:net';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../config.ts';
import { OperatorError } from '../operator-error.ts';
import { startSandbox } from '../sandbox.ts';
import { cannotStartLine } from '../start-failure.ts';
import { FREE_PORTS, makeDataDir } from '../testing/test-sandbox.ts';

let holder: Server;
let taken: number;
let dataDir: string;

beforeAll(async () => {
	holder = createServer();
	await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
	const address = holder.address();
	taken = typeof address === 'object' && address ? address.port : 0;
	dataDir = await makeDataDir();
});

afterAll(async () => {
	await new Promise((resolve) => holder.close(resolve));
	await rm(dataDir, { recursive: true, force: true });
});

async function startFailure(variable: string): Promise<unknown> {
	const config = readConfig({ ...FREE_PORTS, [variable]: String(taken), SANDBOX_DATA_DIR: dataDir });
	return startSandbox(config, { log: () => undefined }).then(
		async (sandbox) => {
			await sandbox.close();
			throw new Error(`the sandbox started although ${variable} was taken`);
		},
		(error: unknown) => error,
	);
}

describe('a service port that is already in use', () => {
	it.each(['SANDBOX_POP3_PORT', 'SANDBOX_POP3S_PORT', 'SANDBOX_IMAP_PORT', 'SANDBOX_IMAPS_PORT', 'SANDBOX_SMTP_PORT'])(
		'%s: says which port and setting, in Korean in a Korean terminal',
		async (variable) => {
			const error = await startFailure(variable);
			expect(error).toBeInstanceOf(OperatorError);
			expect((error as OperatorError).cause).toMatchObject({ code: 'EADDRINUSE' });
			expect(cannotStartLine(error, 'en')).toBe(
				`Postlab cannot start: port ${taken} (${variable}) is already in use by another program. Stop it, or set ${variable} to a free port in .env.`,
			);
			expect(cannotStartLine(error, 'ko')).toBe(
				`Postlab을 시작할 수 없습니다: ${taken}번 포트(${variable})를 다른 프로그램이 이미 쓰고 있습니다. 그 프로그램을 끄거나 .env에서 ${variable}를 비어 있는 포트로 바꾸세요.`,
			);
		},
	);
});
