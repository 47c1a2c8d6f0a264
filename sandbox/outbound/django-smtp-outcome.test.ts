/**
 * The lines the port/TLS lab says Django prints are the ones Python's smtplib really raises: Django's way
 * of opening the connection (testdata/django_smtp_pairs.py) is run against the sandbox's own ports for
 * every pair and compared with djangoOutcome().
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';
import { djangoOutcome } from './django-smtp-outcome.ts';
import type { LabPort } from './port-tls-lab.ts';

const SCRIPT = join(import.meta.dirname, 'testdata', 'django_smtp_pairs.py');
/** EMAIL_TIMEOUT for the run: the two 465-style pairs without SSL each wait this long. */
const EMAIL_TIMEOUT_S = 1;

let sandbox: TestSandbox;
let cafile = '';

beforeAll(async () => {
	sandbox = await startTestSandbox();
	cafile = join(sandbox.dataDir, 'ca.pem');
	await writeFile(cafile, sandbox.sandbox.certificate.pem);
}, 60_000);
afterAll(() => sandbox.stop());

describe('what Django prints for each port/TLS pair', () => {
	it('matches what smtplib raises against the sandbox', async () => {
		const pairs: Array<[LabPort, boolean, boolean]> = [];
		for (const port of ['starttls', 'tls'] as const) for (const useTls of [false, true]) for (const useSsl of [false, true]) pairs.push([port, useTls, useSsl]);
		const args = pairs.map(([port, useTls, useSsl]) => {
			const number = port === 'tls' ? sandbox.sandbox.ports.smtps : sandbox.sandbox.ports.smtp;
			return `127.0.0.1:${number}:${useTls ? 'True' : 'False'}:${useSsl ? 'True' : 'False'}`;
		});
		const { stdout } = await promisify(execFile)('python3', [SCRIPT, cafile, String(EMAIL_TIMEOUT_S), ...args], { timeout: 30_000 });
		const measured = stdout.trim().split('\n').map((line) => (JSON.parse(line) as { exception: string | null }).exception);
		const expected = pairs.map(([port, useTls, useSsl]) => djangoOutcome(port, useTls, useSsl).exception);
		// CPython names the C source line of the SSL error (_ssl.c:1006 here); it changes between versions.
		expect(measured.map((line) => line?.replace(/\(_ssl\.c:\d+\)/, '(_ssl.c:…)') ?? null)).toEqual(expected);
		// And the lab's verdicts agree: the pairs Python sends with are the ones the lab calls sent.
		expect(expected.filter((line) => line === null)).toHaveLength(3);
	}, 60_000);
});
