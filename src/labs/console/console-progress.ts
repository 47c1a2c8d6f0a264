/**
 * Where a protocol console records goals the bridge confirmed, so a reload shows them done and the lesson's
 * progress counts them (this browser only, like the rest of the progress).
 *
 * Contract: localStorage key `postlab:console:<lessonId>:<goalId>` holds `'done'`; then `document` receives a
 * `postlab:console-goal` CustomEvent with `detail = { lesson, goal }`. When every goal of every console on
 * the page is done, the lesson is marked done through window.PostlabProgress.
 */
import { readStored, writeStored } from '../../progress/browser-storage.ts';
import type {} from '../../progress/progress-api.ts';

export const CONSOLE_GOAL_EVENT = 'postlab:console-goal';
export const CONSOLE_GOAL_VALUE = 'done';

export function consoleGoalKey(lesson: string, goal: string): string {
	return `postlab:console:${lesson}:${goal}`;
}

export function isGoalRecorded(lesson: string, goal: string): boolean {
	return readStored(consoleGoalKey(lesson, goal)) === CONSOLE_GOAL_VALUE;
}

export function recordGoal(lesson: string, goal: string): void {
	// Without storage the console still shows the goal done for this visit.
	writeStored(consoleGoalKey(lesson, goal), CONSOLE_GOAL_VALUE);
	document.dispatchEvent(new CustomEvent<{ lesson: string; goal: string }>(CONSOLE_GOAL_EVENT, { detail: { lesson, goal } }));
	const wanted = [...document.querySelectorAll<HTMLElement>('[data-protocol-console] [data-goal]')].map((item) => item.dataset['goal'] ?? '');
	if (wanted.length > 0 && wanted.every((id) => isGoalRecorded(lesson, id))) window.PostlabProgress?.setDone(lesson, true);
}
