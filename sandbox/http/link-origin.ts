/**
 * Which origin the absolute links Postlab writes (the forum's reset link and its other mails, a learner's
 * EMAIL_HOST, the join address) start with. A link must reach the learner who clicks it, from their own
 * computer, and must never be chosen by a forged Host header (a reset link pointing at an attacker's name
 * would hand them the token, the "poisoned password reset" Django's ALLOWED_HOSTS exists to stop):
 *
 * 1. SANDBOX_PUBLIC_URL when it is set (a reverse proxy, a DNS name): the instructor said so.
 * 2. Otherwise the address the browser used, when it is a loopback address or name, or one of this
 *    machine's own addresses (`os.networkInterfaces()`): those can only reach this machine.
 * 3. Otherwise an address this machine is known by: HOST when it names one, the first LAN address when HOST
 *    is a wildcard (classroom mode), else 127.0.0.1.
 */
import { networkInterfaces } from 'node:os';
import { hostName, isLoopbackName, originOf } from './host-check.ts';

export interface LinkOriginOptions {
	/** HOST, the address Postlab listens on. */
	host: string;
	/** The web port actually listening (known once the server listens). */
	port: () => number | null;
	/** SANDBOX_PUBLIC_URL's origin, or null. */
	publicUrl: string | null;
	/** This machine's addresses; `os.networkInterfaces()` by default (tests pass their own). */
	machineAddresses?: () => string[];
}

/** `(Host header, scheme of the request) → origin` for links; see the rules above. */
export type LinkOrigin = (hostHeader: string | null | undefined, scheme?: 'http' | 'https') => string;

export function machineAddresses(): string[] {
	return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((address) => address.address.toLowerCase()));
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

export function createLinkOrigin(options: LinkOriginOptions): LinkOrigin {
	const addresses = options.machineAddresses ?? machineAddresses;
	const bracketed = (address: string) => (address.includes(':') ? `[${address}]` : address);
	const fallback = (): string => {
		const port = options.port();
		const listen = options.host.trim().toLowerCase();
		let name = WILDCARDS.has(listen) ? null : listen.replace(/^\[|\]$/g, '');
		if (name === null) {
			const lan = addresses().filter((address) => !isLoopbackName(address) && !address.includes(':'));
			name = lan[0] ?? '127.0.0.1';
		}
		return `http://${bracketed(name)}${port ? `:${port}` : ''}`;
	};
	return (hostHeader, scheme = 'http') => {
		if (options.publicUrl) return options.publicUrl;
		const host = hostHeader?.trim();
		if (!host) return fallback();
		const name = hostName(host).replace(/^\[|\]$/g, '');
		if (!isLoopbackName(name) && !addresses().includes(name)) return fallback();
		return originOf(`${scheme}://${host}`) ?? fallback();
	};
}
