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
	prerequisites: z
		.object({
			lessons: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]).describe('Slugs of the lessons to do first; shown with their titles.'),
			needs: z.array(z.string().min(1)).default([]).describe('What to have at hand (software, accounts, a running Postlab); `code` allowed.'),
		})
		.describe('What the learner needs before starting.'),
	minutes: z
		.object({
			core: z.number().int().positive().describe('The chapter\'s core path of this lesson, exercise included.'),
			full: z.number().int().positive().describe('Everything, "going further" sections included.'),
		})
		.refine((minutes) => minutes.full >= minutes.core, 'minutes.full cannot be less than minutes.core')
		.describe('An honest time estimate, for a learner who reads and does the exercise.'),
	exercise: z
		.object({
			task: z.string().min(1).describe('What the learner does.'),
			// Every exercise is checked by the site from real evidence; there is no "tick it yourself".
			check: z
				.enum(['sandbox-mail', 'env-parse', 'port-tls', 'mail-read', 'quiz'])
				.describe(
					'How the result is checked: a message arriving in the sandbox, a .env parsing as meant, the port/TLS lab connecting with the right pairs, a POP3/IMAP client fetching a message, or a quiz.',
				),
			mail: z
				.enum(['any', 'reset', 'envelope-differs', 'encrypted-login', 'sent-for-real'])
				.optional()
				.describe(
					'For `sandbox-mail`: which message counts. Any new one; a password reset email; one whose envelope recipients differ from its To header; one that came over TLS with AUTH; or a copy that Postlab sent for real and the real server accepted.',
				),
			hint: z.string().optional().describe('How the learner knows they succeeded.'),
		})
		.refine((exercise) => exercise.check === 'sandbox-mail' || exercise.mail === undefined, '`mail` only applies to `check: sandbox-mail`')
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
	if (
		data.order === undefined &&
		data.chapter === undefined &&
		data.outcomes === undefined &&
		data.exercise === undefined &&
		data.prerequisites === undefined &&
		data.minutes === undefined
	) {
		return null;
	}
	return lessonFieldsSchema.parse(data);
}
