/**
 * Where a protocol console records goals the bridge confirmed, so a reload shows them done and the lesson's
 * progress counts them (this browser only, like the rest of the progress).
 *
 * Contract: localStorage key `postlab:console:<lessonId>:<goalId>` holds `'done'`; then `document` receives a
 * `postlab:console-goal` CustomEvent with `detail = { lesson, goal }`. When every goal of every console on
 * the page is done, the lesson is marked done through window.PostlabProgress.
 */
import type {} from '../../progress/progress-api.ts';

export const CONSOLE_GOAL_EVENT = 'postlab:console-goal';
export const CONSOLE_GOAL_VALUE = 'done';

export function consoleGoalKey(lesson: string, goal: string): string {
	return `postlab:console:${lesson}:${goal}`;
}

export function isGoalRecorded(lesson: string, goal: string): boolean {
	try {
		return localStorage.getItem(consoleGoalKey(lesson, goal)) === CONSOLE_GOAL_VALUE;
	} catch {
		return false;
	}
}

export function recordGoal(lesson: string, goal: string): void {
	try {
		localStorage.setItem(consoleGoalKey(lesson, goal), CONSOLE_GOAL_VALUE);
	} catch {
		// Private mode without storage: the console still shows the goal done for this visit.
	}
	document.dispatchEvent(new CustomEvent<{ lesson: string; goal: string }>(CONSOLE_GOAL_EVENT, { detail: { lesson, goal } }));
	const wanted = [...document.querySelectorAll<HTMLElement>('[data-protocol-console] [data-goal]')].map((item) => item.dataset['goal'] ?? '');
	if (wanted.length > 0 && wanted.every((id) => isGoalRecorded(lesson, id))) window.PostlabProgress?.setDone(lesson, true);
}
