/**
 * Starlight route middleware: adds the lesson's exercise (and its sources) to the on-page table of
 * contents. Starlight builds the TOC from the Markdown headings only, and these sections are
 * rendered from the front matter (src/components/MarkdownContent.astro), after the text.
 * It also keeps "previous" and "next" within the course: Starlight takes them from the sidebar, which
 * after the lessons links the playground and the instructors' pages.
 */
import { defineRouteMiddleware } from '@astrojs/starlight/route-data';
import { lessonFields } from './lesson-schema.ts';
import { isLessonPath, pageKind } from './lesson-route.ts';

export const onRequest = defineRouteMiddleware((context) => {
	const route = context.locals.starlightRoute;
	const isLesson = pageKind(route.id).kind === 'lesson';
	if (!isLesson || (route.pagination.prev && !isLessonPath(route.pagination.prev.href))) route.pagination.prev = undefined;
	if (!isLesson || (route.pagination.next && !isLessonPath(route.pagination.next.href))) route.pagination.next = undefined;
	if (route.toc === undefined || !isLesson) return;
	const lesson = lessonFields(route.entry.data);
	if (lesson === null) return;
	const t = context.locals.t;
	route.toc.items.push({ depth: 2, slug: 'postlab-exercise-title', text: t('lesson.exercise'), children: [] });
	if (lesson.sources.length > 0) {
		route.toc.items.push({ depth: 2, slug: 'postlab-sources-title', text: t('lesson.sources'), children: [] });
	}
});
