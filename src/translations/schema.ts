import { z } from 'astro/zod';

/** Postlab's own UI strings. Every key is required so a missing translation fails the build. */
export const uiStringsSchema = z.object({
	'progress.markDone': z.string(),
	'progress.markUndone': z.string(),
	'progress.done': z.string(),
	'progress.continue': z.string(),
	'progress.start': z.string(),
	'progress.summary': z.string(),
	'lesson.outcomes': z.string(),
	'lesson.exercise': z.string(),
	'lesson.sources': z.string(),
});
