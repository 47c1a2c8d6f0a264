/**
 * The names a learner may reach this machine by in classroom mode: HOST (unless it is a wildcard), the
 * host name, and every non-internal address. The certificate names them all; start-up prints the join URLs.
 */
import { hostname, networkInterfaces } from 'node:os';

export function classroomAddresses(host: string): string[] {
	const names = new Set<string>();
	const bare = host.replace(/^\[|\]$/g, '');
	if (bare !== '0.0.0.0' && bare !== '::' && bare !== '') names.add(bare);
	if (/^[A-Za-z0-9.-]+$/.test(hostname())) names.add(hostname());
	for (const addresses of Object.values(networkInterfaces())) {
		for (const address of addresses ?? []) {
			// Link-local IPv6 needs a zone id that neither a certificate nor a URL can carry usefully.
			if (!address.internal && !address.address.toLowerCase().startsWith('fe80:')) names.add(address.address);
		}
	}
	return [...names];
}

/** `http://<name>:<port><path>` for each address, IPv6 in brackets: the lines start-up prints for the class. */
export function classroomUrls(host: string, port: number, path: string): string[] {
	return classroomAddresses(host).map((name) => `http://${name.includes(':') ? `[${name}]` : name}:${port}${path}`);
}
