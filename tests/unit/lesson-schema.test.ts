import { describe, expect, it } from 'vitest';
import { lessonSchema } from '../../src/lesson-schema';

describe('lesson front matter', () => {
	it('rejects a lesson without outcomes', () => {
		const result = lessonSchema.safeParse({
			order: 1,
			chapter: 'smtp',
			outcomes: [],
			exercise: { task: 'Send a mail', check: 'sandbox-mail' },
		});
		expect(result.success).toBe(false);
	});
	it('accepts a complete lesson and defaults sources to none', () => {
		const result = lessonSchema.parse({
			order: 2,
			chapter: 'secrets',
			outcomes: ['Keep secrets out of git'],
			exercise: { task: 'Write a .env', check: 'env-parse' },
		});
		expect(result.sources).toEqual([]);
	});
});
