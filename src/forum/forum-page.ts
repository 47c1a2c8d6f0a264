/**
 * The start every forum page shares: the language from the URL, the UI strings, the forum's URLs,
 * the forum headers and the running forum service (503 when none is registered), and what the pages
 * then ask of the request: the session, the visitor, the one-time notice, the posted form (CSRF-checked),
 * the CSRF token for the page's forms and the cookies a login sets. Server-only.
 *
 * It returns null for a language we do not write in; the page itself must then
 * `return new Response(null, { status: 404 })`, because only a page's own `return` ends an Astro page.
 */
import type { AstroGlobal } from 'astro';
import { csrfOk, csrfTokenFor, forumHeaders, readForm, sessionIdOf, setCsrfCookie, setSessionCookie, type PostedForm } from './forum-http.ts';
import { isLang } from '../inbox/lang.ts';
import { getClassroom, getForum } from '../../sandbox/runtime.ts';
import { forumPaths, type ForumLang } from '../../sandbox/forum/forum-paths.ts';
import type { FieldErrors, ForumService, Visitor } from '../../sandbox/forum/forum-service.ts';
import type { Viewer } from '../../sandbox/classroom/classroom.ts';
import { viewerOfCookies } from '../../sandbox/classroom/request-viewer.ts';

export type { FieldErrors } from '../../sandbox/forum/forum-service.ts';

/** A form posted to a running forum, read and CSRF-checked. */
export interface ForumPost<K extends string> {
	form: PostedForm<K>;
	forum: ForumService;
	/** Set when the CSRF check failed: the response is already 403 and the page shows these errors, doing nothing else. */
	csrfErrors: FieldErrors | null;
}

export interface ForumPageContext {
	lang: ForumLang;
	t: App.Locals['t'];
	paths: ReturnType<typeof forumPaths>;
	/** Null when no forum runs (the response is already 503): the page shows ForumUnavailable. */
	forum: ForumService | null;
	/** The session cookie as the browser sent it. */
	sessionId: string | undefined;
	/** Who is looking, read when asked: after a POST has been handled, not before. */
	visitor(): Visitor;
	/** Reads and clears the session's one-time notice. */
	takeFlash(): Promise<string | null>;
	/** Who the classroom says is looking (the local user outside classroom mode). */
	viewer(): Viewer;
	/** The form when this request is a POST to a running forum; null otherwise. */
	post<const K extends string>(names: readonly K[]): Promise<ForumPost<K> | null>;
	/** The CSRF token for this page's forms (a browser without a valid CSRF cookie gets one). */
	csrfToken(): string;
	/** Points the browser's session cookie at this session. */
	setSession(sessionId: string): void;
	/** Django's login(): the logged-in session's cookie and a new CSRF token (rotate_token), so one planted before is worthless. */
	logInSession(sessionId: string): void;
}

export function forumPage(astro: AstroGlobal, options: { noReferrer?: boolean } = {}): ForumPageContext | null {
	const { lang } = astro.params;
	if (!isLang(lang)) return null;
	forumHeaders(astro.response.headers, options);
	const forum = getForum() ?? null;
	if (!forum) astro.response.status = 503;
	const { cookies, url, request } = astro;
	const sessionId = sessionIdOf(cookies);
	const setSession = (id: string) => setSessionCookie(cookies, id, url);
	return {
		lang,
		t: astro.locals.t,
		paths: forumPaths(lang),
		forum,
		sessionId,
		visitor: () => forum?.visitor(sessionId) ?? { sessionId: null, user: null },
		takeFlash: async () => (forum ? forum.takeFlash(forum.visitor(sessionId).sessionId) : null),
		viewer: () => viewerOfCookies((name) => cookies.get(name)?.value, getClassroom()),
		async post(names) {
			if (!forum || request.method !== 'POST') return null;
			const form = await readForm(request, names);
			if (csrfOk(forum, cookies, form)) return { form, forum, csrfErrors: null };
			astro.response.status = 403;
			// Django answers with its 403 page; here the form comes back with that as its error.
			return { form, forum, csrfErrors: { __all__: [{ code: 'csrf' }] } };
		},
		csrfToken: () => csrfTokenFor(forum, cookies, url),
		setSession,
		logInSession(id) {
			setSession(id);
			if (forum) setCsrfCookie(forum, cookies, url);
		},
	};
}
