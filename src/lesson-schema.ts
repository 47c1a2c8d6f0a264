import { z } from 'astro/zod';

/**
 * Front matter every lesson carries on top of Starlight's own fields (title, description, …).
 * One schema for both languages, so a Korean lesson and its English twin are checked the same way.
 *
 * The fields are optional at the schema level because Starlight validates every page against the
 * docs collection's schema, including pages that are not lessons (the home pages, and the sandbox
 * pages rendered with <StarlightPage>). `lessonFields()` below, and a content test, require all of
 * them on every lesson.
 */
const lessonFieldsSchema = z.object({
	order: z.number().int().positive().describe('Position in the course; ko and en twins share it.'),
	chapter: z
		.enum(['smtp', 'receiving', 'secrets', 'live'])
		.describe('Sidebar group the lesson belongs to.'),
	outcomes: z
		.array(z.string().min(1))
		.min(1)
		.describe('What the learner will be able to do after the lesson, one sentence each.'),
	exercise: z
		.object({
			task: z.string().min(1).describe('What the learner does.'),
			check: z
				.enum(['sandbox-mail', 'env-parse', 'port-tls', 'mail-read', 'quiz', 'self'])
				.describe(
					'How the result is checked: a message arriving in the sandbox, a .env parsing as meant, a port/TLS choice that connects, a POP3/IMAP client fetching a message, a quiz, or the learner ticking it off.',
				),
			hint: z.string().optional().describe('How the learner knows they succeeded.'),
		})
		.describe('The exercise and how it is checked.'),
	sources: z
		.array(z.object({ title: z.string(), url: z.url() }))
		.default([])
		.describe('Primary sources the lesson relies on.'),
});

export const lessonSchema = lessonFieldsSchema.partial();

export type LessonFrontmatter = z.infer<typeof lessonFieldsSchema>;

/**
 * The lesson fields of a page's front matter, or null for a page that is not a lesson. A page that
 * has some of the fields but not all is a mistake in the content and fails loudly.
 */
export function lessonFields(data: z.infer<typeof lessonSchema>): LessonFrontmatter | null {
	if (data.order === undefined && data.chapter === undefined && data.outcomes === undefined && data.exercise === undefined) {
		return null;
	}
	return lessonFieldsSchema.parse(data);
}
