/**
 * Pages the browser tests visit, taken from the course outline (src/sidebar.mjs) rather than from
 * lesson text, so the tests hold whatever the lessons say.
 */
import { LESSON_SLUGS } from '../../../src/lesson-route.ts';

export const LANGS = ['ko', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export { LESSON_SLUGS };

export function lessonPath(lang: Lang, slug: string): string {
	return `/${lang}/${slug}/`;
}
