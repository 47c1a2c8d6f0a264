/**
 * Browser side of try-the-reset's drill exercise (src/components/DrillExercise.astro): after "Start checking",
 * asks the sandbox every few seconds for its drill refusals (`/api/v1/drills`) and its newest messages
 * (`/api/v1/messages`, with the detail of the few that could count), and judges them with
 * drill-exercise-check.ts. A pass is remembered in this browser.
 */
import type { DrillRefusal } from '../../sandbox/drills/drill-switch.ts';
import type { MessageSummary } from '../../sandbox/store/types.ts';
import { fill } from '../inbox/element.ts';
import { readStored, writeStored } from '../progress/browser-storage.ts';
import { arrivedSince, judgeSummary, serverCutoff } from '../exercise/sandbox-mail-match.ts';
import { judgeDrillExercise, type DeliveredCandidate } from './drill-exercise-check.ts';

const POLL_MS = 3_000;
/** Details fetched per round at most: only reset emails that arrived after the refusal are candidates. */
const MAX_DETAILS = 5;
const PASSED = 'passed';

export function startDrillExercise(root: HTMLElement): void {
	const lang = root.dataset['lang'] === 'ko' ? 'ko' : 'en';
	const key = `postlab:drill-exercise:${root.dataset['lesson'] ?? ''}`;
	const strings = JSON.parse(root.dataset['strings'] ?? '{}') as Record<string, string>;
	const text = (name: string, values: Record<string, string | number> = {}) => fill(strings[name] ?? name, values);
	const status = root.querySelector<HTMLElement>('[data-drill-exercise-status]')!;
	const start = root.querySelector<HTMLButtonElement>('[data-drill-exercise-start]')!;
	const time = (iso: string) => new Date(iso).toLocaleTimeString(lang);

	// Without storage the check still works for this visit.
	if (readStored(key) === PASSED) {
		root.dataset['passed'] = 'true';
		status.textContent = text('drillExercise.passedEarlier');
		return;
	}
	start.hidden = false;
	/** Each message's login, once read: a message's detail never changes that. */
	const users = new Map<string, string | null>();

	start.addEventListener('click', async () => {
		start.disabled = true;
		const openedAt = Date.now();
		let since = openedAt;
		const round = async (): Promise<boolean> => {
			const [drills, messages] = await Promise.all([fetch('/api/v1/drills'), fetch('/api/v1/messages?limit=20')]);
			if (!drills.ok || !messages.ok) throw new Error(`HTTP ${drills.status}/${messages.status}`);
			if (since === openedAt) since = serverCutoff(openedAt, Date.now(), messages.headers.get('date'));
			const refusals = ((await drills.json()) as { refusals: DrillRefusal[] }).refusals;
			const page = (await messages.json()) as { messages: MessageSummary[] };
			const first = judgeDrillExercise(refusals, [], since);
			if (first.state === 'need-refusal') {
				status.textContent = text('drillExercise.needRefusal');
				return false;
			}
			const candidates = arrivedSince(page.messages, Date.parse(first.refusal.at)).filter((m) => judgeSummary(m, 'reset').ok);
			for (const message of candidates.filter((m) => !users.has(m.id)).slice(0, MAX_DETAILS)) {
				const response = await fetch(`/api/v1/messages/${encodeURIComponent(message.id)}`);
				const detail = response.ok ? ((await response.json()) as { session?: { auth?: { user: string } } }) : null;
				users.set(message.id, detail?.session?.auth?.user ?? null);
			}
			const delivered: DeliveredCandidate[] = candidates.map((m) => ({ id: m.id, subject: m.subject, receivedAt: m.receivedAt, authUser: users.get(m.id) ?? null }));
			const verdict = judgeDrillExercise(refusals, delivered, since);
			if (verdict.state === 'passed') {
				root.dataset['passed'] = 'true';
				start.hidden = true;
				status.textContent = text('drillExercise.passed', { refused: time(verdict.refusal.at), subject: verdict.message.subject, delivered: time(verdict.message.receivedAt) });
				writeStored(key, PASSED); // Without storage, shown as passed for this visit.
				return true;
			}
			status.textContent = text('drillExercise.needDelivery', { time: time(first.refusal.at), reply: first.refusal.reply ?? '' });
			return false;
		};
		const loop = async () => {
			try {
				if (await round()) return;
			} catch {
				status.textContent = text('drillExercise.offline');
				start.disabled = false;
				return;
			}
			setTimeout(() => void loop(), POLL_MS);
		};
		void loop();
	});
}
