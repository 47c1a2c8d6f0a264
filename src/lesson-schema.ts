import { z } from 'astro/zod';

/**
 * Front matter every lesson carries on top of Starlight's own fields (title, description, …).
 * One schema for both languages, so a Korean lesson and its English twin are checked the same way.
 */
export const lessonSchema = z.object({
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
				.enum(['sandbox-mail', 'env-parse', 'port-tls', 'quiz', 'self'])
				.describe(
					'How the result is checked: a message arriving in the sandbox, a .env parsing as meant, a port/TLS choice that connects, a quiz, or the learner ticking it off.',
				),
			hint: z.string().optional().describe('How the learner knows they succeeded.'),
		})
		.describe('The exercise and how it is checked.'),
	sources: z
		.array(z.object({ title: z.string(), url: z.url() }))
		.default([])
		.describe('Primary sources the lesson relies on.'),
});

export type LessonFrontmatter = z.infer<typeof lessonSchema>;
