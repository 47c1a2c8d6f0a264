import { describe, expect, it } from 'vitest';
import { lessonFields, lessonSchema } from '../../src/lesson-schema';

const complete = {
	order: 2,
	chapter: 'secrets',
	outcomes: ['Keep secrets out of git'],
	exercise: { task: 'Write a .env', check: 'env-parse' },
} as const;

describe('lesson front matter', () => {
	it('lets pages that are not lessons leave the lesson fields out', () => {
		expect(lessonFields(lessonSchema.parse({}))).toBeNull();
	});
	it('rejects a lesson without outcomes', () => {
		expect(() => lessonFields(lessonSchema.parse({ ...complete, outcomes: [] }))).toThrow();
	});
	it('rejects a lesson that has only some of the fields', () => {
		expect(() => lessonFields(lessonSchema.parse({ order: 1, chapter: 'smtp' }))).toThrow(/outcomes/);
	});
	it('accepts a complete lesson and defaults sources to none', () => {
		expect(lessonFields(lessonSchema.parse(complete))?.sources).toEqual([]);
	});
});
