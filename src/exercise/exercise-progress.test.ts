import { describe, expect, it } from 'vitest';
import { labsDone } from './exercise-progress.ts';

function storage(entries: Record<string, string>): Pick<Storage, 'length' | 'key' | 'getItem'> {
	const keys = Object.keys(entries);
	return { length: keys.length, key: (i) => keys[i] ?? null, getItem: (k) => entries[k] ?? null };
}

describe('labsDone', () => {
	const prefix = 'postlab:quiz:env-parsing:';

	it('needs every lab of the page', () => {
		const saved = storage({ [`${prefix}q1`]: 'correct', 'postlab:quiz:other:q2': 'correct' });
		expect(labsDone(saved, prefix, 'correct', ['q1'])).toBe(true);
		expect(labsDone(saved, prefix, 'correct', ['q1', 'q2'])).toBe(false);
	});

	it('accepts any one lab of the lesson when the page names none', () => {
		expect(labsDone(storage({ [`${prefix}q9`]: 'correct' }), prefix, 'correct', [])).toBe(true);
		expect(labsDone(storage({}), prefix, 'correct', [])).toBe(false);
	});

	it('ignores other values', () => {
		expect(labsDone(storage({ [`${prefix}q1`]: 'wrong' }), prefix, 'correct', ['q1'])).toBe(false);
	});
});
