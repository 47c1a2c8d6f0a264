/**
 * Which language `/` sends a visitor to: the one they last read in (a cookie the pages set), else the
 * first language of their browser's Accept-Language list (RFC 9110 §12.5.4) that Postlab is written
 * in, else Korean, the course's own language.
 */
import { isLang, type SiteLang } from '../inbox/lang.ts';

/** Set by every page (src/components/ProgressBoot.astro) to the language it is written in. */
export const LANG_COOKIE = 'postlab-lang';
export const DEFAULT_LANG: SiteLang = 'ko';

interface Weighted {
	readonly lang: string;
	readonly q: number;
}

/** `ko-KR,ko;q=0.9,en;q=0.8` → primary subtags by descending weight, weight 0 ("not this") left out. */
export function parseAcceptLanguage(header: string): string[] {
	const ranges: Weighted[] = [];
	for (const part of header.split(',')) {
		const [tag = '', ...params] = part.trim().split(';');
		const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		const q = qParam === undefined ? 1 : Number(qParam.slice(2));
		const lang = tag.trim().toLowerCase().split('-')[0] ?? '';
		if (lang !== '' && Number.isFinite(q) && q > 0) ranges.push({ lang, q });
	}
	// Array.prototype.sort is stable, so equal weights keep the browser's order.
	return ranges.sort((a, b) => b.q - a.q).map((range) => range.lang);
}

export function preferredLanguage(acceptLanguage: string | null, remembered: string | undefined): SiteLang {
	if (isLang(remembered)) return remembered;
	const fromBrowser = parseAcceptLanguage(acceptLanguage ?? '').find((lang) => isLang(lang));
	return isLang(fromBrowser) ? fromBrowser : DEFAULT_LANG;
}
