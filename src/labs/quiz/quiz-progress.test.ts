import { describe, expect, it } from 'vitest';
import { judgeQuiz, lessonIdFromPath, quizStorageKey, solvedQuizzes } from './quiz-progress';

describe('quiz progress contract', () => {
	it('names the storage key from the lesson and the quiz', () => {
		expect(quizStorageKey('env-parsing', 'spaces')).toBe('postlab:quiz:env-parsing:spaces');
	});
	it('takes the language out of the lesson id so ko and en share progress', () => {
		expect(lessonIdFromPath('/ko/env-parsing/')).toBe('env-parsing');
		expect(lessonIdFromPath('/en/env-parsing')).toBe('env-parsing');
		expect(lessonIdFromPath('/en/labs/env/')).toBe('labs/env');
	});
	it('lists the solved quizzes of one lesson only', () => {
		const data = new Map([
			['postlab:quiz:a:one', 'correct'],
			['postlab:quiz:a:two', 'something else'],
			['postlab:quiz:b:three', 'correct'],
			['other', 'correct'],
		]);
		const keys = [...data.keys()];
		const storage = { length: keys.length, key: (i: number) => keys[i] ?? null, getItem: (k: string) => data.get(k) ?? null };
		expect(solvedQuizzes(storage, 'a')).toEqual(['one']);
	});
});

describe('judgeQuiz', () => {
	it('is correct only for exactly the correct options', () => {
		expect(judgeQuiz([1], [1])).toBe('correct');
		expect(judgeQuiz([0], [1])).toBe('incorrect');
		expect(judgeQuiz([], [1])).toBe('empty');
		expect(judgeQuiz([0, 2], [0, 2])).toBe('correct');
		expect(judgeQuiz([0], [0, 2])).toBe('partial');
		expect(judgeQuiz([0, 1, 2], [0, 2])).toBe('partial');
	});
});
