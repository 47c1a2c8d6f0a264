/**
 * The TLS certificate behind STARTTLS (2525) and implicit TLS (2465). Made once per installation and kept
 * in `<data>/tls/`, so a learner can point Python at it (`SSL_CERT_FILE`, or `cafile=` in
 * `ssl.create_default_context`): Django >= 4.2 verifies the server's certificate. smtp-server's built-in
 * certificate would also work, but its private key is public. Or the paths in SANDBOX_TLS_CERT/_KEY are used.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { OperatorError } from './operator-error.ts';
import { hasErrorCode } from './error-code.ts';
import { errorMessage } from './error-text.ts';

export interface SandboxCertificate {
	/** Absolute path of the PEM certificate: what clients are told to trust. */
	certPath: string;
	keyPath: string;
	/** PEM text of the certificate and its key. */
	cert: string;
	key: string;
	/** True when this start made the certificate. */
	created: boolean;
}

export const CERT_FILE = 'sandbox-cert.pem';
export const KEY_FILE = 'sandbox-key.pem';
/** Long enough that a course never meets an expired certificate; the sandbox is local only. */
const VALID_DAYS = 5 * 365;

export interface CertificateOptions {
	dataDir: string;
	certPath?: string | null;
	keyPath?: string | null;
	/**
	 * Names and addresses the certificate must cover besides localhost (classroom mode: this machine's LAN
	 * addresses, which learners' Django >= 4.2 checks the certificate against). A stored certificate that
	 * lacks one is made again.
	 */
	extraNames?: readonly string[];
}

/** Loads the configured or stored certificate, or makes and stores a new one. */
export async function loadOrCreateCertificate(options: CertificateOptions): Promise<SandboxCertificate> {
	if (options.certPath && options.keyPath) {
		const [cert, key] = await Promise.all([
			readPem(options.certPath, 'SANDBOX_TLS_CERT'),
			readPem(options.keyPath, 'SANDBOX_TLS_KEY'),
		]);
		return { certPath: options.certPath, keyPath: options.keyPath, cert, key, created: false };
	}
	const dir = join(options.dataDir, 'tls');
	const certPath = join(dir, CERT_FILE);
	const keyPath = join(dir, KEY_FILE);
	const extraNames = [...new Set(options.extraNames ?? [])];
	const stored = await readStored(certPath, keyPath, extraNames);
	if (stored) return { certPath, keyPath, ...stored, created: false };

	const made = await makeCertificate(extraNames);
	await mkdir(dir, { recursive: true, mode: 0o700 });
	// Key first and cert last: a crash in between leaves no cert, so the next start makes a fresh pair
	// instead of pairing a cert with the wrong key.
	await writePrivate(keyPath, made.key);
	await writePrivate(certPath, made.cert, 0o644);
	return { certPath, keyPath, ...made, created: true };
}

type AltName = { type: 2; value: string } | { type: 7; ip: string };

function altNameOf(name: string): AltName {
	return isIP(name) ? { type: 7, ip: name } : { type: 2, value: name };
}

async function makeCertificate(extraNames: readonly string[]): Promise<{ cert: string; key: string }> {
	// Loaded only when a certificate is made (the first start, or new names to cover): with what it loads
	// (an X.509 and ASN.1 library) it is ~3 MB of live heap that every full collection marks, and ~110 ms of
	// start-up, in a process that reads the stored certificate with node:crypto every other time.
	const { generate } = await import('selfsigned');
	const notBeforeDate = new Date(Date.now() - 60_000);
	const notAfterDate = new Date(notBeforeDate.getTime() + VALID_DAYS * 86_400_000);
	const pems = await generate([{ name: 'commonName', value: 'localhost' }, { name: 'organizationName', value: 'Postlab sandbox' }], {
		keyType: 'ec',
		curve: 'P-256',
		algorithm: 'sha256',
		notBeforeDate,
		notAfterDate,
		extensions: [
			{ name: 'basicConstraints', cA: false, critical: true },
			{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
			{ name: 'extKeyUsage', serverAuth: true },
			{
				name: 'subjectAltName',
				altNames: [
					{ type: 2, value: 'localhost' },
					{ type: 7, ip: '127.0.0.1' },
					{ type: 7, ip: '::1' },
					...extraNames.filter((name) => !['localhost', '127.0.0.1', '::1'].includes(name)).map(altNameOf),
				],
			},
		],
	});
	return { cert: pems.cert, key: pems.private };
}

async function readStored(certPath: string, keyPath: string, extraNames: readonly string[]): Promise<{ cert: string; key: string } | null> {
	let cert: string;
	let key: string;
	try {
		[cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
	} catch (error) {
		// The first start, or one of the pair deleted: a new pair is made. A file there but unreadable is not
		// quietly replaced: its error (with the path) stops the start.
		if (hasErrorCode(error, 'ENOENT')) return null;
		throw error;
	}
	let parsed: X509Certificate;
	try {
		parsed = new X509Certificate(cert);
	} catch (error) {
		// A damaged certificate (cut short, edited by hand) is replaced rather than served; OpenSSL's parse errors are ERR_OSSL_*.
		if (error instanceof Error && (error as NodeJS.ErrnoException).code?.startsWith('ERR_OSSL_')) return null;
		throw error;
	}
	// So is an expired one.
	if (new Date(parsed.validTo).getTime() < Date.now() + 86_400_000) return null;
	// And one that does not name every address the class reaches us by (the machine moved networks).
	const covers = (name: string) => (isIP(name) ? parsed.checkIP(name) !== undefined : parsed.checkHost(name, { subject: 'never' }) !== undefined);
	if (!extraNames.every(covers)) return null;
	return { cert, key };
}

async function readPem(path: string, variable: string): Promise<string> {
	try {
		return await readFile(path, 'utf8');
	} catch (error) {
		throw new OperatorError('certificate.unreadable', { variable, path, reason: errorMessage(error) }, { cause: error });
	}
}

async function writePrivate(path: string, text: string, mode = 0o600): Promise<void> {
	const temp = `${path}.tmp-${process.pid}`;
	await writeFile(temp, text, { mode });
	await chmod(temp, mode);
	await rename(temp, path);
}
