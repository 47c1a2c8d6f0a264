/**
 * "Quiz: 2/3 correct" next to the lesson's "mark as done" button (src/components/MarkDone.astro).
 * It counts the <Quiz> forms of this lesson on the page and the ones the reader has solved, as recorded
 * under `postlab:quiz:<lesson>:<quiz>` (contract: src/labs/quiz/quiz-progress.ts). It only reports;
 * marking the lesson done stays the reader's choice.
 */
import { QUIZ_SOLVED_EVENT, solvedQuizzes } from '../labs/quiz/quiz-progress.ts';
import { useStorage } from './browser-storage.ts';

/** Solved quizzes among those on the page; stale keys of removed quizzes do not count. */
export function quizScore(quizIds: readonly string[], solvedIds: readonly string[]): { solved: number; total: number } {
	const solved = new Set(solvedIds);
	return { solved: quizIds.filter((id) => solved.has(id)).length, total: quizIds.length };
}

/** Fills `{{solved}}` and `{{total}}` of the translated template. */
export function quizScoreText(template: string, score: { solved: number; total: number }): string {
	return template.replaceAll('{{solved}}', String(score.solved)).replaceAll('{{total}}', String(score.total));
}

function readSolved(lesson: string): string[] {
	// Without storage nothing was recorded either.
	return useStorage((storage) => solvedQuizzes(storage, lesson), []);
}

export function startQuizScore(output: HTMLElement): void {
	const lesson = output.dataset['quizScore'] ?? '';
	const template = output.dataset['template'] ?? '';
	const quizIds = [...document.querySelectorAll<HTMLFormElement>('form[data-quiz]')]
		.filter((form) => form.dataset['lesson'] === lesson)
		.flatMap((form) => (form.dataset['quizId'] ? [form.dataset['quizId']] : []));
	if (lesson === '' || quizIds.length === 0) return;
	const show = () => {
		const score = quizScore(quizIds, readSolved(lesson));
		output.textContent = quizScoreText(template, score);
		output.dataset['complete'] = String(score.solved === score.total);
		output.hidden = false;
	};
	show();
	document.addEventListener(QUIZ_SOLVED_EVENT, show);
	// Solved in another tab of the same lesson.
	addEventListener('storage', (event) => {
		if (event.key?.startsWith(`postlab:quiz:${lesson}:`)) show();
	});
}
