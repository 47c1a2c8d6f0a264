/** The language of the page a lab is rendered on, from its URL (`/ko/...` or `/en/...`; the default is Korean). */
export function pageLang(url: URL): 'ko' | 'en' {
	return url.pathname.startsWith('/en/') || url.pathname === '/en' ? 'en' : 'ko';
}
