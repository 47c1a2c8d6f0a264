/** The languages the site is written in; route parameters are checked against them. */
export const LANGS = ['ko', 'en'] as const;
export type SiteLang = (typeof LANGS)[number];

export function isLang(value: string | undefined): value is SiteLang {
	return value === 'ko' || value === 'en';
}
