/**
 * Defence against DNS rebinding and cross-site requests, in the spirit of Django's ALLOWED_HOSTS and its
 * CSRF Origin check. A web page on evil.example can make its own name resolve to 127.0.0.1 and then read
 * our pages and API from the browser as "same origin"; such requests carry the attacker's name in the Host
 * header, so local mode serves only loopback names (and the configured HOST). A changing request must come
 * from a page of the very origin it is sent to: scheme, host and port all equal (another program on
 * localhost:3000 is another site), or from SANDBOX_PUBLIC_URL's origin behind a reverse proxy.
 */
import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** The host part of a Host header or an origin, lower-cased, without port. */
export function hostName(value: string): string {
	const trimmed = value.trim().toLowerCase();
	if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
	// A bare IPv6 address (`::1`) has no port: only `name:port` has exactly one colon.
	if (trimmed.indexOf(':') !== trimmed.lastIndexOf(':')) return trimmed;
	return trimmed.replace(/:\d+$/, '');
}

/** True for loopback names and addresses: localhost, *.localhost, 127.0.0.0/8, ::1. */
export function isLoopbackName(name: string): boolean {
	const bare = hostName(name).replace(/^\[|\]$/g, '');
	return LOOPBACK_NAMES.has(bare) || bare.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(bare);
}

export function isAllowedHost(hostHeader: string | undefined, configuredHost: string): boolean {
	// HTTP/1.0 tools may omit Host; a browser never does, so this opens nothing to a rebinding page.
	if (hostHeader === undefined || hostHeader === '') return true;
	const name = hostName(hostHeader);
	if (isLoopbackName(name)) return true;
	const configured = hostName(configuredHost);
	return configured !== '0.0.0.0' && configured !== '::' && name === configured;
}

/**
 * The origin a request was sent to, `http://host:port` from its Host header (https when it came over TLS),
 * normalised like a browser's Origin (default port dropped, lower case); null without a usable Host.
 */
export function requestOrigin(req: Pick<IncomingMessage, 'headers' | 'socket'>): string | null {
	const host = req.headers.host?.trim();
	if (!host) return null;
	const scheme = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
	return originOf(`${scheme}://${host}`);
}

/** `scheme://host[:port]` of a URL or Origin header value; null when it is not an http(s) origin. */
export function originOf(value: string): string | null {
	const url = URL.parse(value);
	return url !== null && (url.protocol === 'http:' || url.protocol === 'https:') ? url.origin : null;
}

/**
 * Whether a changing request (POST, PATCH, DELETE) may act: without an Origin header (curl, an old client)
 * it may, as before; `null` (a sandboxed frame, a privacy redirect) and any other origin may not. Allowed
 * are the request's own origin, scheme, host and port compared, and `publicOrigin` (SANDBOX_PUBLIC_URL).
 */
export function isSameOriginRequest(req: Pick<IncomingMessage, 'headers' | 'socket'>, publicOrigin: string | null = null): boolean {
	const origin = req.headers.origin;
	if (origin === undefined) return true;
	const given = originOf(origin);
	if (given === null) return false;
	return given === requestOrigin(req) || (publicOrigin !== null && given === publicOrigin);
}
