/**
 * The start every forum page shares: the language from the URL, the UI strings, the forum's URLs,
 * the forum headers and the running forum service (503 when none is registered). Server-only.
 *
 * It returns null for a language we do not write in; the page itself must then
 * `return new Response(null, { status: 404 })`, because only a page's own `return` ends an Astro page.
 */
import type { AstroGlobal } from 'astro';
import { forumHeaders } from './forum-http.ts';
import { isLang } from '../inbox/lang.ts';
import { getForum } from '../../sandbox/runtime.ts';
import { forumPaths } from '../../sandbox/forum/forum-paths.ts';

export function forumPage(astro: AstroGlobal, options: { noReferrer?: boolean } = {}) {
	const { lang } = astro.params;
	if (!isLang(lang)) return null;
	forumHeaders(astro.response.headers, options);
	const forum = getForum();
	if (!forum) astro.response.status = 503;
	return { lang, t: astro.locals.t, paths: forumPaths(lang), forum };
}
