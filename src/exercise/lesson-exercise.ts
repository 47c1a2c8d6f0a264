/**
 * Browser side of a lesson's exercise box (src/components/LessonExercise.astro): watches for the
 * exercise's result and shows it as passed.
 *
 * - `sandbox-mail`: after "Start checking", reads the newest messages from `/api/v1/messages` and
 *   then follows `/api/v1/events`; a message that arrived since the lesson was opened and fits the
 *   lesson's requirement (src/exercise/sandbox-mail-match.ts; some need the message's detail, read from
 *   `/api/v1/messages/{id}`) passes it, and one that does not is named with the reason. Without a
 *   sandbox (static hosting, server stopped) it says so and how to start one.
 * - `env-parse` / `quiz` / `port-tls` / `mail-read`: passes when the labs of this page record their
 *   result (src/labs/env/env-progress.ts, src/labs/quiz/quiz-progress.ts, src/labs/port-tls/port-tls-progress.ts,
 *   src/labs/mailread/mailread-progress.ts): every playground met, every quiz solved, both right port/TLS
 *   pairs connected, a POP3/IMAP client seen fetching a message.
 *
 * A pass is stored (exercise-progress.ts) and marks the lesson done through window.PostlabProgress.
 */
import type { MessageSummary } from '../../sandbox/store/types.ts';
import { apiErrorText } from '../inbox/api-error.ts';
import { el, fill } from '../inbox/element.ts';
import { ENV_GOALS_MET_EVENT, ENV_GOALS_MET_VALUE } from '../labs/env/env-progress.ts';
import { MAIL_READ_EVENT, MAIL_READ_VALUE, mailReadPrefix } from '../labs/mailread/mailread-progress.ts';
import { PORT_TLS_CONNECTED_EVENT, PORT_TLS_CONNECTED_VALUE, PORT_TLS_STYLES, portTlsPrefix } from '../labs/port-tls/port-tls-progress.ts';
import { QUIZ_SOLVED_EVENT, QUIZ_SOLVED_VALUE } from '../labs/quiz/quiz-progress.ts';
import { readStored, useStorage, writeStored } from '../progress/browser-storage.ts';
import type {} from '../progress/progress-api.ts';
import { EXERCISE_PASSED_EVENT, EXERCISE_PASSED_VALUE, exerciseKey, labsDone, type ExercisePassedDetail } from './exercise-progress.ts';
import {
	arrivedSince,
	judgeDetail,
	judgeSummary,
	needsDetail,
	parseRequirement,
	serverCutoff,
	type ArrivedDetail,
	type MailRequirement,
	type MailVerdict,
} from './sandbox-mail-match.ts';
import { errorMessage } from '../../sandbox/error-text.ts';

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
		// Without storage the box still shows the pass for this visit.
		writeStored(exerciseKey(lesson), EXERCISE_PASSED_VALUE);
		window.PostlabProgress?.setDone(lesson, true);
		say(`${message} ${text('exercise.lessonDone')}`, ...extra);
		document.dispatchEvent(new CustomEvent<ExercisePassedDetail>(EXERCISE_PASSED_EVENT, { detail: { lesson } }));
	}

	if (readStored(exerciseKey(lesson)) === EXERCISE_PASSED_VALUE) {
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
	} else if (check === 'port-tls') {
		watchLabs(portTlsPrefix(lesson), PORT_TLS_CONNECTED_VALUE, PORT_TLS_CONNECTED_EVENT, [...PORT_TLS_STYLES], 'exercise.passedPortTls', 'exercise.pendingPortTls');
	} else if (check === 'mail-read') {
		watchLabs(mailReadPrefix(lesson), MAIL_READ_VALUE, MAIL_READ_EVENT, [], 'exercise.passedMailRead', 'exercise.pendingMailRead');
	}

	function idsOf(selector: string, key: string): string[] {
		return [...document.querySelectorAll<HTMLElement>(selector)].flatMap((node) => node.dataset[key] ?? []);
	}

	function watchLabs(prefix: string, value: string, eventName: string, expected: string[], passedKey: string, pendingKey: string): void {
		/** False without storage: then the labs cannot record anything either. */
		const update = (): boolean => {
			const done = useStorage((storage) => labsDone(storage, prefix, value, expected), null);
			if (done) pass(text(passedKey));
			return done !== null;
		};
		say(text(pendingKey));
		if (!update()) return;
		document.addEventListener(eventName, update);
		// Solved in another tab.
		addEventListener('storage', (event) => {
			if (event.key?.startsWith(prefix)) update();
		});
	}

	async function checkMail(): Promise<void> {
		const requirement = parseRequirement(root.dataset['mail']);
		const waiting = text(WAITING[requirement]);
		/** Messages already judged, so the list and the live stream do not judge one twice. */
		const judged = new Set<string>();
		let events: EventSource | null = null;

		/** Judges one arrival; passes the exercise, or says why it does not count. */
		async function consider(message: MessageSummary): Promise<void> {
			if (passed || judged.has(message.id)) return;
			judged.add(message.id);
			let verdict: MailVerdict;
			let detail: ArrivedDetail | null = null;
			if (needsDetail(requirement)) {
				const response = await fetch(`/api/v1/messages/${encodeURIComponent(message.id)}`, { headers: { accept: 'application/json' } });
				if (!response.ok) return; // Deleted meanwhile: nothing to judge.
				detail = (await response.json()) as ArrivedDetail;
				verdict = judgeDetail(detail, requirement);
			} else {
				verdict = judgeSummary(message, requirement);
			}
			if (passed) return;
			if (verdict.ok) {
				events?.close();
				passWithMail(message, requirement, detail);
			} else {
				say(`${refusal(message, verdict)} ${waiting}`);
			}
		}

		/** Looks at the newest messages for those that arrived since the lesson was opened. */
		async function catchUp(): Promise<void> {
			const response = await fetch(`/api/v1/messages?limit=${RECENT_MESSAGES}`, { headers: { accept: 'application/json' } });
			if (!response.ok) throw new Error(await apiErrorText(response));
			const page = (await response.json()) as { messages?: unknown };
			if (!Array.isArray(page.messages)) throw new Error('not the sandbox API');
			const since = serverCutoff(openedAt, Date.now(), response.headers.get('date'));
			for (const message of arrivedSince(page.messages as MessageSummary[], since)) await consider(message);
		}

		/** Says plainly that the sandbox did not answer as expected, with what went wrong. */
		const unreachable = (error: unknown): void => say(text('exercise.unreachable', { detail: errorMessage(error) }));

		startButton!.disabled = true;
		say(text('exercise.connecting'));
		try {
			await catchUp();
		} catch (error) {
			unreachable(error);
			startButton!.disabled = false;
			return;
		}
		if (passed) return;
		if (judged.size === 0) say(waiting);

		const stream = new EventSource('/api/v1/events');
		events = stream;
		let broken = false;
		stream.addEventListener('open', () => {
			root.dataset['checking'] = 'true';
			if (broken) say(waiting);
			broken = false;
			// Mail that arrived before the stream was (re)connected is only in the list. The stream stays open, so
			// a failure here is said, and the next arrival is judged all the same.
			void catchUp().catch(unreachable);
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
			void consider(JSON.parse((event as MessageEvent<string>).data) as MessageSummary).catch(unreachable);
		});
	}

	function subjectOf(message: { subject: string }): string {
		return message.subject || text('message.noSubject');
	}

	/** Why an arrival does not count, naming what was seen. */
	function refusal(message: MessageSummary, verdict: Exclude<MailVerdict, { ok: true }>): string {
		const subject = subjectOf(message);
		switch (verdict.why) {
			case 'not-reset':
				return text('exercise.notTheOne', { subject });
			case 'envelope-same':
				return text('exercise.envelopeSame', { subject, envelope: verdict.envelope.join(', ') || '—', header: verdict.header.join(', ') || '—' });
			case 'plain':
				return text('exercise.notEncrypted', { subject });
			case 'no-login':
				return text('exercise.noLogin', { subject });
			case 'not-outbound':
				return text('exercise.notOutbound', { subject });
			case 'refused':
				return text('exercise.refused', { subject, reply: verdict.reply });
		}
	}

	function passWithMail(message: { id: string; subject: string }, requirement: MailRequirement, detail: ArrivedDetail | null): void {
		const link = el('a', { href: `/${lang}/sandbox/inbox/${encodeURIComponent(message.id)}`, 'data-exercise-message': message.id }, text('exercise.openMessage'));
		const subject = subjectOf(message);
		let said = text('exercise.passedMail', { subject });
		if (requirement === 'envelope-differs' && detail) {
			said = text('exercise.passedEnvelope', {
				subject,
				envelope: detail.session.envelope.rcptTo.join(', '),
				header: detail.to.map((to) => to.address).join(', ') || '—',
			});
		} else if (requirement === 'sent-for-real' && detail?.session.relay) {
			const { relay } = detail.session;
			said = text('exercise.passedReal', { subject, server: `${relay.host}:${relay.port}`, reply: relay.reply });
		}
		pass(said, document.createTextNode(' '), link);
	}
}

/** What the box says while it waits, per requirement. */
const WAITING: Record<MailRequirement, string> = {
	any: 'exercise.waiting',
	reset: 'exercise.waitingReset',
	'envelope-differs': 'exercise.waitingEnvelope',
	'encrypted-login': 'exercise.waitingLogin',
	'sent-for-real': 'exercise.waitingReal',
};
