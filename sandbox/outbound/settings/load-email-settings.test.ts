import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmailSettings } from './load-email-settings.ts';

let dir: string;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'postlab-env-'));
});

afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('loadEmailSettings', () => {
	it('reads a .env file from disk with dotenv', async () => {
		const envPath = join(dir, '.env');
		await writeFile(envPath, "EMAIL_HOST=smtp.gmail.com\r\nEMAIL_PORT=587\r\nEMAIL_USE_TLS=True\r\nEMAIL_HOST_USER=me@gmail.com\r\nEMAIL_HOST_PASSWORD='abcd efgh ijkl mnop'\r\nDEFAULT_FROM_EMAIL=me@gmail.com\r\n");
		const { settings, envFileFound } = await loadEmailSettings({ envPath, environment: {} });
		expect(envFileFound).toBe(true);
		expect(settings).toMatchObject({ mode: 'real', host: 'smtp.gmail.com', port: 587, security: 'starttls' });
		expect(settings.mode === 'real' && settings.password).toBe('abcdefghijklmnop');
		expect(settings.problems.map((p) => p.code)).toEqual(['crlfLineEndings', 'app-password-spaces']);
	});

	it('falls back to the environment and says the file is missing', async () => {
		const { settings, envFileFound } = await loadEmailSettings({ envPath: join(dir, 'missing.env'), environment: { EMAIL_HOST: 'mail.example.com', EMAIL_HOST_USER: 'u', EMAIL_HOST_PASSWORD: 'p' } });
		expect(envFileFound).toBe(false);
		expect(settings.mode).toBe('real');
		expect(settings.problems[0]).toMatchObject({ code: 'env-file-missing', severity: 'warning', variable: '.env' });
	});

	it('is sandbox mode with neither file nor environment', async () => {
		const { settings } = await loadEmailSettings({ envPath: join(dir, 'missing.env'), environment: {} });
		expect(settings.mode).toBe('sandbox');
	});
});
