/**
 * When the email settings point at this machine's own Postlab sandbox (a loopback host and one of its SMTP
 * ports), `mail:check` trusts the sandbox's certificate for that one connection, as a learner's Django is
 * told to with SSL_CERT_FILE. The sandbox's ports and certificate are read the way `npm start` reads them
 * here: the environment, then Postlab's `.env` (DOTENV_CONFIG_PATH), whatever file the email settings
 * came from.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import dotenv from 'dotenv';
import { ConfigError, readConfig, type Env } from '../config.ts';
import { CERT_FILE } from '../certificate.ts';
import { hasErrorCode } from '../error-code.ts';

export interface SandboxTrust {
	/** The certificate file, to name in the report. */
	readonly certPath: string;
	/** Its PEM text, to pass as the connection's CA. */
	readonly pem: string;
}

function isLoopback(host: string): boolean {
	const name = host.toLowerCase().replace(/^\[|\]$/g, '');
	if (name === 'localhost' || name === '::1') return true;
	return isIP(name) === 4 && name.startsWith('127.');
}

/**
 * The sandbox certificate to trust for `host:port`, or null when that is not this machine's sandbox (or
 * its certificate does not exist yet: then the connection fails on its own, and the report says why).
 */
export async function sandboxTrustFor(host: string, port: number, env: Env = process.env, cwd: string = process.cwd()): Promise<SandboxTrust | null> {
	if (!isLoopback(host)) return null;
	let fileValues: Record<string, string> = {};
	try {
		fileValues = dotenv.parse(await readFile(resolve(cwd, env['DOTENV_CONFIG_PATH'] ?? '.env'), 'utf8'));
	} catch (error) {
		// No Postlab .env: the sandbox runs on its defaults and the environment.
		if (!hasErrorCode(error, 'ENOENT')) throw error;
	}
	let config;
	try {
		config = readConfig({ ...fileValues, ...env }, cwd);
	} catch (error) {
		// A sandbox setting npm start would refuse: there is no sandbox to trust.
		if (error instanceof ConfigError) return null;
		throw error;
	}
	if (port !== config.smtpPort && port !== config.smtpsPort) return null;
	const certPath = config.tlsCertPath ?? join(config.dataDir, 'tls', CERT_FILE);
	try {
		return { certPath, pem: await readFile(certPath, 'utf8') };
	} catch (error) {
		// Not made yet (the sandbox never started here): the connection fails on its own.
		if (hasErrorCode(error, 'ENOENT')) return null;
		throw error;
	}
}
