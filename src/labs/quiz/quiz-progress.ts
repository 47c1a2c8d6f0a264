/**
 * Where a solved quiz is remembered, so the reader's progress feature can count it.
 *
 * Contract (stable; other parts of the site read it):
 * - localStorage key `postlab:quiz:<lessonId>:<quizId>` holds the string `'correct'` once the learner
 *   has answered that quiz correctly. Nothing is stored for a wrong answer.
 * - `<lessonId>` is the lesson's path without the language: `/ko/env-parsing/` and `/en/env-parsing/`
 *   both give `env-parsing`, so progress is shared between the two languages. `<quizId>` is the `id`
 *   prop of <Quiz>.
 * - On a correct answer, `document` receives a `postlab:quiz-solved` CustomEvent whose `detail` is
 *   `{ lesson: lessonId, quiz: quizId }`.
 */

export const QUIZ_SOLVED_EVENT = 'postlab:quiz-solved';
export const QUIZ_SOLVED_VALUE = 'correct';
const PREFIX = 'postlab:quiz:';
const LANGS = new Set(['ko', 'en']);

export interface QuizSolvedDetail {
	lesson: string;
	quiz: string;
}

export function quizStorageKey(lesson: string, quiz: string): string {
	return `${PREFIX}${lesson}:${quiz}`;
}

/** `/ko/env-parsing/` → `env-parsing`; `/en/labs/env/` → `labs/env`. */
export function lessonIdFromPath(pathname: string): string {
	const segments = pathname.split('/').filter(Boolean);
	if (segments[0] !== undefined && LANGS.has(segments[0])) segments.shift();
	return segments.join('/');
}

/** The ids of the quizzes of one lesson that are solved in this storage. */
export function solvedQuizzes(storage: Pick<Storage, 'length' | 'key' | 'getItem'>, lesson: string): string[] {
	const prefix = `${PREFIX}${lesson}:`;
	const solved: string[] = [];
	for (let i = 0; i < storage.length; i += 1) {
		const key = storage.key(i);
		if (key?.startsWith(prefix) && storage.getItem(key) === QUIZ_SOLVED_VALUE) solved.push(key.slice(prefix.length));
	}
	return solved;
}

export type QuizVerdict = 'correct' | 'partial' | 'incorrect' | 'empty';

/** Correct when the chosen options are exactly the correct ones. */
export function judgeQuiz(chosen: readonly number[], correct: readonly number[]): QuizVerdict {
	if (chosen.length === 0) return 'empty';
	const right = new Set(correct);
	const hits = chosen.filter((index) => right.has(index)).length;
	if (hits === right.size && hits === chosen.length) return 'correct';
	return hits > 0 ? 'partial' : 'incorrect';
}
