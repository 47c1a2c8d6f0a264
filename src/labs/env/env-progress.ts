/**
 * Where a met .env exercise is remembered, so the reader's progress feature can count it (lessons whose
 * exercise is checked with `check: env-parse`).
 *
 * Contract (stable; other parts of the site read it):
 * - localStorage key `postlab:env:<lessonId>:<playgroundId>` holds `'met'` once every goal of that
 *   playground was met at the same time. It is never removed by editing the text afterwards: the
 *   learner has shown they can do it.
 * - `<lessonId>` is the page path without the language (as for quizzes, see quiz-progress.ts);
 *   `<playgroundId>` is the `id` prop of <EnvPlayground> (default `env-lab`).
 * - At that moment `document` receives a `postlab:env-goals-met` CustomEvent with
 *   `detail = { lesson, lab }`.
 */

export const ENV_GOALS_MET_EVENT = 'postlab:env-goals-met';
export const ENV_GOALS_MET_VALUE = 'met';

export interface EnvGoalsMetDetail {
	lesson: string;
	lab: string;
}

export function envExerciseKey(lesson: string, lab: string): string {
	return `postlab:env:${lesson}:${lab}`;
}
