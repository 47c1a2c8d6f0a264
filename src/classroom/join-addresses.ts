/**
 * The addresses learners type to join, shown big on the instructor's dashboard. When the instructor
 * opened the dashboard on this very computer (localhost) while Postlab listens on every interface,
 * "localhost" would send each learner to their own machine, so the machine's own addresses are listed
 * instead (the list start-up prints and the certificate names: sandbox/classroom/lan-addresses.ts).
 * Otherwise the address the instructor used is the one that works. Pure: the page passes the list in.
 */

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '']);

function isLoopbackName(hostname: string): boolean {
	const bare = hostname.replace(/^\[|\]$/g, '');
	return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

export interface JoinAddressInput {
	/** The URL the instructor's browser used for the dashboard. */
	readonly pageUrl: URL;
	/** HOST that Postlab listens on. */
	readonly listenHost: string;
	/** This machine's join URLs (`classroomUrls(HOST, port, path)`). */
	readonly machineUrls: readonly string[];
	readonly lang: string;
}

export function joinAddresses(input: JoinAddressInput): string[] {
	const own = `${input.pageUrl.origin}/${input.lang}/classroom/`;
	if (!isLoopbackName(input.pageUrl.hostname) || !WILDCARD_HOSTS.has(input.listenHost)) return [own];
	return input.machineUrls.length > 0 ? [...input.machineUrls] : [own];
}
