/**
 * Whether a request to the settings panel's check comes from this computer: the check logs in to the real
 * SMTP server with the learner's app password, so only the local user may start it. Three locks: the Host
 * header names loopback (no DNS-rebinding page), an Origin, when sent, is this very site (scheme, host, port), and the TCP peer is a
 * loopback address (no one else on the network, even if HOST was opened up).
 */
import { isAllowedHost, originOf } from '../../sandbox/http/host-check.ts';

export function isLoopbackAddress(address: string): boolean {
	const bare = address.replace(/^::ffff:/i, '');
	return bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

export function isLocalRequest(request: { host: string | null; origin: string | null; clientAddress: string | null }): boolean {
	// '127.0.0.1' as the configured host: only loopback names pass, whatever HOST is.
	if (request.host === null || !isAllowedHost(request.host, '127.0.0.1')) return false;
	// Scheme, host and port: a page of another program on localhost (another port) is another site.
	if (request.origin !== null && (originOf(request.origin) === null || originOf(request.origin) !== originOf(`http://${request.host}`))) return false;
	return request.clientAddress !== null && isLoopbackAddress(request.clientAddress);
}
