/**
 * Astro middleware for on-demand pages. Astro sends their Content-Security-Policy as an HTTP header, which
 * replaces the `frame-ancestors 'self'` the request gate (sandbox/http/request-gate.ts) set on every
 * response; this puts the directive back into Astro's policy, so no other site can frame the inbox, the
 * forum or the dashboard. Prerendered pages carry their policy in a <meta> tag, where browsers ignore
 * frame-ancestors, and keep the gate's header.
 */
import { defineMiddleware } from 'astro:middleware';
import { withFrameAncestors } from '../sandbox/http/frame-policy.ts';

export const onRequest = defineMiddleware(async (_context, next) => {
	const response = await next();
	const policy = response.headers.get('content-security-policy');
	if (policy !== null) response.headers.set('content-security-policy', withFrameAncestors(policy));
	return response;
});
