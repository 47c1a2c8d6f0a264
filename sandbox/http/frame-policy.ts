/**
 * Which sites may put our pages in a frame: only our own (the inbox frames a message's HTML). Sent as HTTP
 * headers, because browsers ignore frame-ancestors in a <meta> policy; X-Frame-Options is for browsers that
 * predate CSP's frame-ancestors.
 */
export const FRAME_ANCESTORS = "frame-ancestors 'self'";
export const FRAME_HEADERS = { 'content-security-policy': FRAME_ANCESTORS, 'x-frame-options': 'SAMEORIGIN' } as const;

/** A Content-Security-Policy with `frame-ancestors 'self'` added, unless it already names frame ancestors. */
export function withFrameAncestors(policy: string): string {
	if (/(^|;)\s*frame-ancestors\s/i.test(policy)) return policy;
	const trimmed = policy.trim().replace(/;\s*$/, '');
	return trimmed === '' ? FRAME_ANCESTORS : `${trimmed}; ${FRAME_ANCESTORS}`;
}
