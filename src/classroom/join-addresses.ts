/**
 * The addresses learners type to join, shown big on the instructor's dashboard. When the instructor
 * opened the dashboard on this very computer (localhost) while Postlab listens on every interface,
 * "localhost" would send each learner to their own machine, so the machine's network addresses are
 * listed instead. Otherwise the address the instructor used is the one that works.
 * Server-only (reads network interfaces through the caller).
 */
import type { NetworkInterfaceInfo } from 'node:os';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

function isLoopbackName(hostname: string): boolean {
	const bare = hostname.replace(/^\[|\]$/g, '');
	return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

export interface JoinAddressInput {
	/** The URL the instructor's browser used for the dashboard. */
	readonly pageUrl: URL;
	/** HOST that Postlab listens on. */
	readonly listenHost: string;
	readonly interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
	readonly lang: string;
}

export function joinAddresses(input: JoinAddressInput): string[] {
	const path = `/${input.lang}/classroom/`;
	const { pageUrl } = input;
	if (!isLoopbackName(pageUrl.hostname) || !WILDCARD_HOSTS.has(input.listenHost)) return [`${pageUrl.origin}${path}`];
	const port = pageUrl.port ? `:${pageUrl.port}` : '';
	const addresses = Object.values(input.interfaces)
		.flatMap((list) => list ?? [])
		.filter((info) => !info.internal && info.family === 'IPv4')
		.map((info) => `${pageUrl.protocol}//${info.address}${port}${path}`);
	return addresses.length > 0 ? [...new Set(addresses)] : [`${pageUrl.origin}${path}`];
}
