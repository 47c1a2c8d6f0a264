/**
 * For a test file that starts Gmail-like servers as it goes: one certificate made before the file's tests,
 * servers that accept one password, and every server closed after the file's tests.
 */
import { afterAll, beforeAll } from 'vitest';
import { makeLocalhostCertificate, startGmailLikeServer, type GmailLikeServer, type GmailLikeServerOptions, type TestCertificate } from './gmail-like-server.ts';

export interface GmailLikeServers {
	/** The servers' certificate (PEM), for a client's `ca`; there from the first test on. */
	ca(): string;
	/** Starts one more server (closed after the file's tests). */
	start(options?: Partial<GmailLikeServerOptions>): Promise<GmailLikeServer>;
}

export function useGmailLikeServers(password: string): GmailLikeServers {
	let made: TestCertificate | undefined;
	const servers: GmailLikeServer[] = [];
	// Generating an RSA key can take seconds on a loaded machine.
	beforeAll(async () => {
		made = await makeLocalhostCertificate();
	}, 60_000);
	afterAll(async () => {
		await Promise.all(servers.map((s) => s.close()));
	});
	const certificate = (): TestCertificate => {
		if (!made) throw new Error('the certificate is made in beforeAll: ask for it inside a test');
		return made;
	};
	return {
		ca: () => certificate().cert,
		async start(options = {}) {
			const started = await startGmailLikeServer({ certificate: certificate(), password, ...options });
			servers.push(started);
			return started;
		},
	};
}
