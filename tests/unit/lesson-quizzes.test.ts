/**
 * Quizzes that cannot be passed by pattern: across each language's lessons, no one position holds the
 * right answer of more than 40% of the single-answer quizzes, and the right answer is the one longest
 * option in no more than 40% of them. Each quiz keeps feedback for every answer, and the ko and en twins
 * of a quiz put their right answers in the same places (they are one quiz in two languages).
 */
import { describe, expect, it } from 'vitest';
import { readQuizzes, type QuizSource } from './quiz-sources.ts';

const LANGS = ['ko', 'en'] as const;
/** Above this share, "pick the second one" or "pick the longest one" pays off. */
const MAX_SHARE = 0.4;

function rightIndexes(quiz: QuizSource): number[] {
	return quiz.options.flatMap((option, index) => (option.correct ? [index] : []));
}

/** True when the single right answer is strictly longer than every other option. */
function rightIsLongest(quiz: QuizSource): boolean {
	const [right] = rightIndexes(quiz);
	const lengths = quiz.options.map((option) => [...option.text].length);
	return lengths.every((length, index) => index === right || length < lengths[right!]!);
}

describe.each(LANGS)('quizzes (%s)', (lang) => {
	const quizzes = readQuizzes(lang);
	const single = quizzes.filter((quiz) => !quiz.multiple);

	it('are all found, each with one right answer unless marked multiple', () => {
		expect(quizzes.length).toBeGreaterThanOrEqual(20);
		for (const quiz of quizzes) {
			const right = rightIndexes(quiz).length;
			expect(right, `${quiz.lesson}#${quiz.id}`).toBeGreaterThanOrEqual(1);
			if (!quiz.multiple) expect(right, `${quiz.lesson}#${quiz.id} has ${right} right answers`).toBe(1);
		}
	});

	it(`spread the right answer so no position holds more than ${MAX_SHARE * 100}%`, () => {
		const byPosition = new Map<number, string[]>();
		for (const quiz of single) {
			const [index] = rightIndexes(quiz);
			byPosition.set(index!, [...(byPosition.get(index!) ?? []), `${quiz.lesson}#${quiz.id}`]);
		}
		for (const [index, names] of byPosition) {
			expect(names.length / single.length, `position ${index + 1} holds ${names.length} of ${single.length}: ${names.join(', ')}`).toBeLessThanOrEqual(MAX_SHARE);
		}
	});

	it(`make the right answer the longest option in no more than ${MAX_SHARE * 100}%`, () => {
		const longest = single.filter(rightIsLongest).map((quiz) => `${quiz.lesson}#${quiz.id}`);
		expect(longest.length / single.length, `the right answer is the longest in ${longest.length} of ${single.length}: ${longest.join(', ')}`).toBeLessThanOrEqual(MAX_SHARE);
	});
});

describe('quiz twins', () => {
	it('have the same ids and the right answers in the same positions in ko and en', () => {
		const key = (quiz: QuizSource) => `${quiz.lesson}#${quiz.id}`;
		const ko = new Map(readQuizzes('ko').map((quiz) => [key(quiz), quiz]));
		const en = readQuizzes('en');
		expect([...ko.keys()].sort()).toEqual(en.map(key).sort());
		for (const quiz of en) {
			const twin = ko.get(key(quiz))!;
			expect(rightIndexes(twin), key(quiz)).toEqual(rightIndexes(quiz));
			expect(twin.options.length, key(quiz)).toBe(quiz.options.length);
		}
	});
});
