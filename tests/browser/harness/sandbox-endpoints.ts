/**
 * Browser test helper: what a test's own mail client needs to reach the sandbox behind the pages, the ports
 * it really listens on (the test servers ask for port 0) and the certificate its STARTTLS and implicit TLS
 * present. Both come from `/api/v1/health`, which names the certificate's file to a local caller.
 *
 *   const browser = useBrowser();
 *   const { ports, certificate } = await sandboxEndpoints(browser);
 *   nodemailer.createTransport({ host: '127.0.0.1', port: ports.smtp, requireTLS: true, tls: { ca: certificate } });
 */
import { readFile } from 'node:fs/promises';
import type { BrowserSession } from './browser.ts';

/** The listening ports as the health answer reports them (`http` is the one the pages come from). */
export interface SandboxPorts {
	smtp: number;
	smtps: number;
	pop3: number;
	pop3s: number;
	imap: number;
	imaps: number;
	http: number | null;
}

export interface SandboxEndpoints {
	ports: SandboxPorts;
	/** The sandbox's certificate (PEM), for a client's `tls.ca`; its name is `localhost`. */
	certificate: string;
}

/** The part of the health answer read here; an anonymous classroom visitor gets only `status`. */
interface HealthAnswer {
	ports?: SandboxPorts;
	tls?: { certPath: string };
}

/** Asks the server `browser` talks to for its ports and reads its certificate. */
export async function sandboxEndpoints(browser: Pick<BrowserSession, 'url'>): Promise<SandboxEndpoints> {
	const url = browser.url('/api/v1/health');
	const response = await fetch(url);
	if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
	const health = (await response.json()) as HealthAnswer;
	if (!health.ports || !health.tls) {
		throw new Error(`${url} gave no ports or certificate (a classroom server tells them only to a signed-in user): ${JSON.stringify(health)}`);
	}
	return { ports: health.ports, certificate: await readFile(health.tls.certPath, 'utf8') };
}
