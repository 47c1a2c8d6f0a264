/**
 * Defence against DNS rebinding: a web page on evil.example can make its own name resolve to 127.0.0.1
 * and then read our API from the browser as "same origin". Such requests carry the attacker's name in
 * the Host header, so only loopback names (and the configured HOST) are served. State-changing requests
 * from another site's page are refused by their Origin header as well.
 */
import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** The host part of a Host header or an origin, lower-cased, without port. */
export function hostName(value: string): string {
	const trimmed = value.trim().toLowerCase();
	if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
	return trimmed.replace(/:\d+$/, '');
}

export function isAllowedHost(hostHeader: string | undefined, configuredHost: string): boolean {
	// HTTP/1.0 tools may omit Host; a browser never does, so this opens nothing to a rebinding page.
	if (hostHeader === undefined || hostHeader === '') return true;
	const name = hostName(hostHeader);
	if (LOOPBACK_NAMES.has(name) || name.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(name)) return true;
	const configured = hostName(configuredHost);
	return configured !== '0.0.0.0' && configured !== '::' && name === configured;
}

/** Only the site itself may change the mailbox: a foreign Origin on a non-GET request is refused. */
export function isAllowedOrigin(req: IncomingMessage, configuredHost: string): boolean {
	const origin = req.headers.origin;
	if (!origin || origin === 'null') return origin !== 'null';
	try {
		return isAllowedHost(new URL(origin).host, configuredHost);
	} catch {
		return false;
	}
}

/**
 * Classroom mode serves any Host (learners reach it by the LAN address), so a changing request must come
 * from a page of the very host it is sent to: its Origin names the Host it was sent to. A request without
 * Origin (curl, a same-origin GET turned HEAD) passes, as above; cookies still gate it.
 */
export function isSameOrigin(req: IncomingMessage): boolean {
	const origin = req.headers.origin;
	if (!origin) return true;
	if (origin === 'null') return false;
	try {
		return new URL(origin).host.toLowerCase() === (req.headers.host ?? '').trim().toLowerCase();
	} catch {
		return false;
	}
}
