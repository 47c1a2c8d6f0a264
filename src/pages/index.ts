/**
 * `/` sends the visitor to /ko/ or /en/. Rendered per request (the answer depends on the request
 * headers), so caches must key on them: Vary names both inputs.
 */
import type { APIRoute } from 'astro';
import { LANG_COOKIE, preferredLanguage } from '../i18n/preferred-language.ts';

export const prerender = false;

export const GET: APIRoute = ({ request, cookies }) => {
	const lang = preferredLanguage(request.headers.get('accept-language'), cookies.get(LANG_COOKIE)?.value);
	return new Response(null, {
		status: 302,
		headers: { Location: `/${lang}/`, Vary: 'Accept-Language, Cookie', 'Cache-Control': 'no-store' },
	});
};
