/**
 * What the forum pages share about HTTP: the session cookie, reading a posted form, the CSRF check
 * and the response headers every forum page sends. Server-only (Astro SSR routes); nothing here
 * reaches the browser.
 *
 * Status codes follow Django's views: a form with mistakes comes back with 200 and the errors; a
 * refused CSRF token is 403, a rate limit 429 (with Retry-After), an unreachable mail server 503.
 */
import type { AstroCookies } from 'astro';
import { getSandbox } from '../../sandbox/runtime.ts';
import type { ForumService } from '../../sandbox/forum/forum-service.ts';
import { CSRF_COOKIE, CSRF_COOKIE_MAX_AGE_S, CSRF_FIELD } from '../../sandbox/forum/csrf.ts';

export const SESSION_COOKIE = 'postlab_forum_session';
/** Django's SESSION_COOKIE_AGE (two weeks); the server ends anonymous sessions sooner on its own. */
const SESSION_COOKIE_MAX_AGE_S = 14 * 24 * 3600;

export function sessionIdOf(cookies: AstroCookies): string | undefined {
	return cookies.get(SESSION_COOKIE)?.value;
}

/**
 * HttpOnly: page scripts (and anything injected into a page) cannot read it. SameSite=Lax: the
 * browser leaves it off POSTs started by other sites, yet sends it when a learner follows the reset
 * link from an email, which Strict would not (Django's default is Lax for the same reason).
 */
export function setSessionCookie(cookies: AstroCookies, sessionId: string, url: URL): void {
	cookies.set(SESSION_COOKIE, sessionId, {
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		path: '/',
		maxAge: SESSION_COOKIE_MAX_AGE_S,
	});
}

export function clearSessionCookie(cookies: AstroCookies): void {
	cookies.delete(SESSION_COOKIE, { path: '/' });
}

/** The posted fields as strings, with the hidden fields every forum form carries. */
export type PostedForm<K extends string> = Record<K | typeof CSRF_FIELD | 'submission', string>;

/** The posted fields as strings (files and missing fields become ''). */
export async function readForm<const K extends string>(request: Request, names: readonly K[]): Promise<PostedForm<K>> {
	let data: FormData;
	try {
		data = await request.formData();
	} catch (error) {
		// A body that is not a form (another Content-Type, or cut off): every field is '', so the CSRF check refuses it.
		if (!(error instanceof TypeError)) throw error;
		data = new FormData();
	}
	const fields = [...names, CSRF_FIELD, 'submission'] as const;
	return Object.fromEntries(fields.map((name) => {
		const value = data.get(name);
		return [name, typeof value === 'string' ? value : ''];
	})) as Record<K | typeof CSRF_FIELD | 'submission', string>;
}

/**
 * The CSRF token for this browser's forms. A browser without a valid CSRF cookie gets a new one (signed, not
 * stored: reading a page leaves nothing on the server). Empty when no forum runs: then every POST is refused.
 */
export function csrfTokenFor(forum: ForumService | null, cookies: AstroCookies, url: URL): string {
	if (!forum) return '';
	let cookie = cookies.get(CSRF_COOKIE)?.value;
	if (!forum.csrf.isValidCookie(cookie)) cookie = setCsrfCookie(forum, cookies, url);
	return forum.csrf.tokenFor(cookie);
}

/**
 * A new CSRF cookie, as Django's rotate_token does at login: a token an attacker planted or saw before the
 * login is worth nothing after it. Returns the new value.
 */
export function setCsrfCookie(forum: ForumService, cookies: AstroCookies, url: URL): string {
	const cookie = forum.csrf.newCookie();
	// HttpOnly: our forms carry the token in a hidden field; no script needs the cookie. SameSite=Lax as the session's.
	cookies.set(CSRF_COOKIE, cookie, { httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', path: '/', maxAge: CSRF_COOKIE_MAX_AGE_S });
	return cookie;
}

/** True when the POST carries the token of the CSRF cookie it came with. */
export function csrfOk(forum: ForumService, cookies: AstroCookies, form: Record<string, string>): boolean {
	return forum.csrf.check(cookies.get(CSRF_COOKIE)?.value, form[CSRF_FIELD]);
}

/**
 * Headers for every forum page: never cached (they hold per-session CSRF tokens and account data),
 * and a Referrer-Policy. `same-origin` (Django's SECURE_REFERRER_POLICY default) keeps our URLs from
 * other sites. `noReferrer` is for responses whose URL holds a reset token: nothing at all is sent
 * from them. It cannot be used on pages with forms: under `no-referrer` browsers send `Origin: null`
 * with a POST, and Astro's checkOrigin then refuses the form as cross-site.
 */
export function forumHeaders(headers: Headers, options: { noReferrer?: boolean } = {}): void {
	headers.set('Cache-Control', 'no-store');
	headers.set('Referrer-Policy', options.noReferrer ? 'no-referrer' : 'same-origin');
}

/** Post/Redirect/Get: a 303 makes the browser follow with GET, so reloading the next page resends nothing. */
export function seeOther(location: string, headers: Record<string, string> = {}): Response {
	return new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store', ...headers } });
}

/**
 * The origin for absolute links in what this request makes (the reset email): the browser's own address when
 * it is this machine's, else SANDBOX_PUBLIC_URL or a known address; never a foreign Host header
 * (sandbox/http/link-origin.ts). Undefined where no sandbox runs.
 */
export function linkOriginOf(request: Request, url: URL): string | undefined {
	return getSandbox()?.linkOrigin(request.headers.get('host'), url.protocol === 'https:' ? 'https' : 'http');
}
