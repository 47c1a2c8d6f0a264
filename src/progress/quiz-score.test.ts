import { describe, expect, it } from 'vitest';
import { quizScore, quizScoreText } from './quiz-score.ts';

describe('quiz score', () => {
	it('counts only the quizzes that are on the page', () => {
		expect(quizScore(['a', 'b', 'c'], ['c', 'a', 'removed'])).toEqual({ solved: 2, total: 3 });
		expect(quizScore(['a', 'b'], [])).toEqual({ solved: 0, total: 2 });
	});

	it('fills both placeholders of the template', () => {
		expect(quizScoreText('Quiz: {{solved}}/{{total}} correct', { solved: 3, total: 3 })).toBe('Quiz: 3/3 correct');
		expect(quizScoreText('퀴즈: {{total}}문제 중 {{solved}}문제 정답', { solved: 1, total: 3 })).toBe('퀴즈: 3문제 중 1문제 정답');
	});
});
