/**
 * What kind of page Starlight is rendering: one of the course's lessons, a language home page, or
 * something else (the sandbox pages, 404). Components that add lesson-only parts ask here.
 */
import { sidebar } from './sidebar.mjs';
import { isLang, type SiteLang } from './inbox/lang.ts';

/** Lesson slugs in course order, as listed in the sidebar (src/sidebar.mjs). */
export const LESSON_SLUGS: readonly string[] = sidebar.flatMap((group) =>
	typeof group === 'object' && 'items' in group
		? group.items.filter((item): item is string => typeof item === 'string')
		: [],
);

export type PageKind =
	| { readonly kind: 'lesson'; readonly lang: SiteLang; readonly slug: string }
	| { readonly kind: 'home'; readonly lang: SiteLang }
	| { readonly kind: 'other' };

/** Classifies a Starlight route id such as `ko/what-is-smtp` (a lesson) or `en` (a home page). */
export function pageKind(routeId: string): PageKind {
	const [lang, slug, ...rest] = routeId.split('/');
	if (!isLang(lang) || rest.length > 0) return { kind: 'other' };
	if (slug === undefined || slug === '' || slug === 'index') return { kind: 'home', lang };
	return LESSON_SLUGS.includes(slug) ? { kind: 'lesson', lang, slug } : { kind: 'other' };
}

/** Whether a site path (`/ko/what-is-smtp/`) is a lesson's page. */
export function isLessonPath(path: string): boolean {
	const [, lang, slug, ...rest] = path.split('/');
	return isLang(lang) && slug !== undefined && LESSON_SLUGS.includes(slug) && rest.every((part) => part === '');
}
