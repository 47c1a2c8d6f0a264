/**
 * Where a passed lesson exercise is remembered (this browser only, like the rest of the progress).
 *
 * Contract (stable; other parts of the site may read it):
 * - localStorage key `postlab:exercise:<lessonId>` holds `'passed'` once the site saw the exercise's
 *   result (a message in the sandbox, a met .env playground, a solved quiz). `<lessonId>` is the
 *   lesson's slug, shared by both languages (as for quizzes, see src/labs/quiz/quiz-progress.ts).
 * - At that moment `document` receives a `postlab:exercise-passed` CustomEvent with `detail = { lesson }`.
 */

export const EXERCISE_PASSED_EVENT = 'postlab:exercise-passed';
export const EXERCISE_PASSED_VALUE = 'passed';

export interface ExercisePassedDetail {
	lesson: string;
}

export function exerciseKey(lesson: string): string {
	return `postlab:exercise:${lesson}`;
}

/**
 * Whether every expected lab id has its key set to `value` under `prefix` (e.g. `postlab:env:<lesson>:`).
 * With no expected ids (the page holds no such lab), any one key set is enough.
 */
export function labsDone(
	storage: Pick<Storage, 'length' | 'key' | 'getItem'>,
	prefix: string,
	value: string,
	expected: readonly string[],
): boolean {
	const done = new Set<string>();
	for (let i = 0; i < storage.length; i += 1) {
		const key = storage.key(i);
		if (key?.startsWith(prefix) && storage.getItem(key) === value) done.add(key.slice(prefix.length));
	}
	return expected.length === 0 ? done.size > 0 : expected.every((id) => done.has(id));
}
