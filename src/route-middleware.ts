/**
 * Starlight route middleware: adds the lesson's exercise (and its sources) to the on-page table of
 * contents. Starlight builds the TOC from the Markdown headings only, and these sections are
 * rendered from the front matter (src/components/MarkdownContent.astro), after the text.
 */
import { defineRouteMiddleware } from '@astrojs/starlight/route-data';
import { lessonFields } from './lesson-schema.ts';
import { pageKind } from './lesson-route.ts';

export const onRequest = defineRouteMiddleware((context) => {
	const route = context.locals.starlightRoute;
	if (route.toc === undefined || pageKind(route.id).kind !== 'lesson') return;
	const lesson = lessonFields(route.entry.data);
	if (lesson === null) return;
	const t = context.locals.t;
	route.toc.items.push({ depth: 2, slug: 'postlab-exercise-title', text: t('lesson.exercise'), children: [] });
	if (lesson.sources.length > 0) {
		route.toc.items.push({ depth: 2, slug: 'postlab-sources-title', text: t('lesson.sources'), children: [] });
	}
});
