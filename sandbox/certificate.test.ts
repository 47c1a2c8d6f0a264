import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateCertificate } from './certificate.ts';

const dirs: string[] = [];
afterEach(async () => {
	for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), 'postlab-cert-'));
	dirs.push(dir);
	return dir;
}

describe('loadOrCreateCertificate', () => {
	it('names extra addresses (classroom mode) and makes the certificate again when one is missing', async () => {
		const dataDir = await tempDir();
		const first = await loadOrCreateCertificate({ dataDir, extraNames: ['192.168.7.20'] });
		expect(new X509Certificate(first.cert).checkIP('192.168.7.20')).toBe('192.168.7.20');
		const again = await loadOrCreateCertificate({ dataDir, extraNames: ['192.168.7.20'] });
		expect(again.created).toBe(false);
		const moved = await loadOrCreateCertificate({ dataDir, extraNames: ['10.0.0.5', 'teacher-pc.local'] });
		expect(moved.created).toBe(true);
		const cert = new X509Certificate(moved.cert);
		expect(cert.checkIP('10.0.0.5')).toBe('10.0.0.5');
		expect(cert.checkHost('teacher-pc.local')).toBe('teacher-pc.local');
		expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
	});

	it('makes a certificate for localhost and 127.0.0.1 on first run, with a private key file', async () => {
		const dataDir = await tempDir();
		const made = await loadOrCreateCertificate({ dataDir });
		expect(made.created).toBe(true);
		expect(made.certPath).toBe(join(dataDir, 'tls', 'sandbox-cert.pem'));
		const cert = new X509Certificate(made.cert);
		expect(cert.subjectAltName).toContain('DNS:localhost');
		expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
		expect(cert.checkHost('localhost')).toBe('localhost');
		expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
		expect((await stat(made.keyPath)).mode & 0o777).toBe(0o600);
	});

	it('reuses the stored certificate on later runs', async () => {
		const dataDir = await tempDir();
		const first = await loadOrCreateCertificate({ dataDir });
		const second = await loadOrCreateCertificate({ dataDir });
		expect(second.created).toBe(false);
		expect(second.cert).toBe(first.cert);
	});

	it('loads the configured files, and names the variable when one is missing', async () => {
		const dataDir = await tempDir();
		const made = await loadOrCreateCertificate({ dataDir });
		const certPath = join(dataDir, 'mine.pem');
		await writeFile(certPath, made.cert);
		const loaded = await loadOrCreateCertificate({ dataDir, certPath, keyPath: made.keyPath });
		expect(loaded).toMatchObject({ certPath, created: false, cert: made.cert });
		await expect(loadOrCreateCertificate({ dataDir, certPath, keyPath: join(dataDir, 'missing.pem') })).rejects.toThrow(
			/SANDBOX_TLS_KEY points to .*missing\.pem/,
		);
	});

	it('makes a damaged stored certificate again, but stops on one it cannot read', async () => {
		const dataDir = await tempDir();
		const made = await loadOrCreateCertificate({ dataDir });
		await writeFile(made.certPath, made.cert.slice(0, 200));
		const remade = await loadOrCreateCertificate({ dataDir });
		expect(remade.created).toBe(true);
		expect(new X509Certificate(remade.cert).checkHost('localhost')).toBe('localhost');
		// Something in the way (here a folder) is not "no certificate yet": replacing it would hide the cause.
		await rm(made.certPath);
		await mkdir(made.certPath);
		await expect(loadOrCreateCertificate({ dataDir })).rejects.toMatchObject({ code: 'EISDIR' });
	});
});
