/**
 * Browser side of a lesson's exercise box (src/components/LessonExercise.astro): watches for the
 * exercise's result and shows it as passed.
 *
 * - `sandbox-mail`: after "Start checking", reads the newest messages from `/api/v1/messages` and
 *   then follows `/api/v1/events`; a message that arrived since the lesson was opened and fits the
 *   lesson (src/exercise/sandbox-mail-match.ts) passes it. Without a sandbox (static hosting, server
 *   stopped) it says so and how to start one.
 * - `env-parse` / `quiz`: passes when every .env playground / quiz of this page is met / solved, as
 *   their own scripts record it (src/labs/env/env-progress.ts, src/labs/quiz/quiz-progress.ts).
 *
 * A pass is stored (exercise-progress.ts) and marks the lesson done through window.PostlabProgress.
 */
import type { MessageSummary } from '../../sandbox/store/types.ts';
import { el, fill } from '../inbox/element.ts';
import { ENV_GOALS_MET_EVENT, ENV_GOALS_MET_VALUE } from '../labs/env/env-progress.ts';
import { QUIZ_SOLVED_EVENT, QUIZ_SOLVED_VALUE } from '../labs/quiz/quiz-progress.ts';
import type {} from '../progress/progress-api.ts';
import { EXERCISE_PASSED_EVENT, EXERCISE_PASSED_VALUE, exerciseKey, labsDone, type ExercisePassedDetail } from './exercise-progress.ts';
import { firstSatisfying, mailRequirementFor, satisfiesMailCheck, serverCutoff } from './sandbox-mail-match.ts';

type Strings = Record<string, string>;

/** How many of the newest messages are looked at when checking starts; the rest are older anyway. */
const RECENT_MESSAGES = 20;
/** When the lesson was opened: mail sent while reading counts, mail from before does not. */
const openedAt = Date.now();

export function startLessonExercise(root: HTMLElement): void {
	const lesson = root.dataset['lesson'] ?? '';
	const lang = root.dataset['lang'] ?? 'en';
	const check = root.dataset['check'] ?? '';
	const strings = JSON.parse(root.dataset['strings'] ?? '{}') as Strings;
	const status = root.querySelector<HTMLElement>('[data-exercise-status]')!;
	const startButton = root.querySelector<HTMLButtonElement>('[data-exercise-start]');
	const text = (key: string, values: Record<string, string | number> = {}) => fill(strings[key] ?? key, values);
	const say = (message: string, ...extra: Node[]) => status.replaceChildren(message, ...extra);

	let passed = false;
	function pass(message: string, ...extra: Node[]): void {
		if (passed) return;
		passed = true;
		root.dataset['passed'] = 'true';
		if (startButton) startButton.hidden = true;
		try {
			localStorage.setItem(exerciseKey(lesson), EXERCISE_PASSED_VALUE);
		} catch {
			// Storage can be off (private windows); the box still shows the pass for this visit.
		}
		window.PostlabProgress?.setDone(lesson, true);
		say(`${message} ${text('exercise.lessonDone')}`, ...extra);
		document.dispatchEvent(new CustomEvent<ExercisePassedDetail>(EXERCISE_PASSED_EVENT, { detail: { lesson } }));
	}

	if (readStorage(exerciseKey(lesson)) === EXERCISE_PASSED_VALUE) {
		passed = true;
		root.dataset['passed'] = 'true';
		say(text('exercise.passedEarlier'));
		return;
	}

	if (check === 'sandbox-mail' && startButton) {
		startButton.hidden = false;
		startButton.addEventListener('click', () => void checkMail());
	} else if (check === 'env-parse') {
		watchLabs(`postlab:env:${lesson}:`, ENV_GOALS_MET_VALUE, ENV_GOALS_MET_EVENT, idsOf('[data-env-lab]', 'lab'), 'exercise.passedEnv', 'exercise.pendingEnv');
	} else if (check === 'quiz') {
		watchLabs(`postlab:quiz:${lesson}:`, QUIZ_SOLVED_VALUE, QUIZ_SOLVED_EVENT, idsOf('form[data-quiz]', 'quizId'), 'exercise.passedQuiz', 'exercise.pendingQuiz');
	}

	function idsOf(selector: string, key: string): string[] {
		return [...document.querySelectorAll<HTMLElement>(selector)].flatMap((node) => node.dataset[key] ?? []);
	}

	function watchLabs(prefix: string, value: string, eventName: string, expected: string[], passedKey: string, pendingKey: string): void {
		const update = () => {
			if (labsDone(localStorage, prefix, value, expected)) pass(text(passedKey));
		};
		say(text(pendingKey));
		try {
			update();
		} catch {
			return; // No storage: the labs cannot record anything either.
		}
		document.addEventListener(eventName, update);
		// Solved in another tab.
		addEventListener('storage', (event) => {
			if (event.key?.startsWith(prefix)) update();
		});
	}

	async function checkMail(): Promise<void> {
		const requirement = mailRequirementFor(lesson);
		const waiting = text(requirement === 'reset' ? 'exercise.waitingReset' : 'exercise.waiting');
		let events: EventSource | null = null;

		/** Looks at the newest messages for one that arrived since the lesson was opened. */
		async function catchUp(): Promise<void> {
			const response = await fetch(`/api/v1/messages?limit=${RECENT_MESSAGES}`, { headers: { accept: 'application/json' } });
			if (!response.ok) throw new Error(`HTTP ${response.status}`);
			const page = (await response.json()) as { messages?: unknown };
			if (!Array.isArray(page.messages)) throw new Error('not the sandbox API');
			const since = serverCutoff(openedAt, Date.now(), response.headers.get('date'));
			const hit = firstSatisfying(page.messages as MessageSummary[], requirement, since);
			if (hit) {
				events?.close();
				passWithMail(hit);
			}
		}

		startButton!.disabled = true;
		say(text('exercise.connecting'));
		try {
			await catchUp();
		} catch (error) {
			say(text('exercise.unreachable', { detail: error instanceof Error ? error.message : String(error) }));
			startButton!.disabled = false;
			return;
		}
		if (passed) return;
		say(waiting);

		const stream = new EventSource('/api/v1/events');
		events = stream;
		let broken = false;
		stream.addEventListener('open', () => {
			root.dataset['checking'] = 'true';
			if (broken) say(waiting);
			broken = false;
			// Mail that arrived before the stream was (re)connected is only in the list.
			void catchUp().catch(() => undefined);
		});
		stream.addEventListener('error', () => {
			broken = true;
			root.dataset['checking'] = 'false';
			if (stream.readyState === EventSource.CLOSED) {
				say(text('exercise.unreachable', { detail: 'EventSource' }));
				startButton!.disabled = false;
			} else {
				say(text('exercise.reconnecting'));
			}
		});
		stream.addEventListener('message', (event) => {
			if (passed) return;
			const message = JSON.parse((event as MessageEvent<string>).data) as MessageSummary;
			if (satisfiesMailCheck(message, requirement)) {
				stream.close();
				passWithMail(message);
			} else {
				say(`${text('exercise.notTheOne', { subject: message.subject || text('message.noSubject') })} ${waiting}`);
			}
		});
	}

	function passWithMail(message: { id: string; subject: string }): void {
		const link = el('a', { href: `/${lang}/sandbox/inbox/${encodeURIComponent(message.id)}`, 'data-exercise-message': message.id }, text('exercise.openMessage'));
		pass(text('exercise.passedMail', { subject: message.subject || text('message.noSubject') }), document.createTextNode(' '), link);
	}
}

function readStorage(key: string): string | null {
	try {
		return localStorage.getItem(key);
	} catch {
		return null;
	}
}
