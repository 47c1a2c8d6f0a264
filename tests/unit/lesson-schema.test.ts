import { describe, expect, it } from 'vitest';
import { lessonFields, lessonSchema } from '../../src/lesson-schema';

const complete = {
	order: 2,
	chapter: 'secrets',
	outcomes: ['Keep secrets out of git'],
	prerequisites: { lessons: ['what-is-smtp'], needs: ['Python 3'] },
	minutes: { core: 15, full: 30 },
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
	it('has no unchecked exercises: "self" is not a check', () => {
		expect(() => lessonFields(lessonSchema.parse({ ...complete, exercise: { task: 'Tick it', check: 'self' } }))).toThrow();
	});
	it('keeps the mail requirement to sandbox-mail exercises', () => {
		expect(lessonFields(lessonSchema.parse({ ...complete, exercise: { task: 'Send', check: 'sandbox-mail', mail: 'envelope-differs' } }))?.exercise.mail).toBe('envelope-differs');
		expect(() => lessonFields(lessonSchema.parse({ ...complete, exercise: { task: 'Send', check: 'env-parse', mail: 'reset' } }))).toThrow();
	});
	it('refuses a full time shorter than the core path', () => {
		expect(() => lessonFields(lessonSchema.parse({ ...complete, minutes: { core: 30, full: 20 } }))).toThrow();
	});
	it('accepts a complete lesson and defaults sources to none', () => {
		expect(lessonFields(lessonSchema.parse(complete))?.sources).toEqual([]);
	});
});
