/**
 * Browser side of the instructor's dashboard. The server is the one source of truth: the roster comes
 * from `/api/v1/classroom/roster`, a learner's mail from `/api/v1/messages?mailbox=`, and every live
 * event (`message`, `message-deleted`, `mailbox-cleared`, `learner-joined` on the instructor's
 * `/api/v1/events` stream) only says "ask again". Refetching instead of patching keeps one rule for the
 * counts (the server's), and a class of forty is one small request.
 */
import type { RosterEntry } from '../../sandbox/classroom/classroom';
import type { MessageSummary } from '../../sandbox/store/types';
import { el, fill } from '../inbox/element';
import { formatAddress, formatListDate } from '../inbox/format';
import { apiErrorText } from '../inbox/api-error';
import { errorMessage } from '../../sandbox/error-text.ts';

type Strings = Record<string, string>;

/** The roster's live events; any of them may change a count, a time or the list itself. */
const ROSTER_EVENTS = ['message', 'message-deleted', 'message-updated', 'mailbox-cleared', 'learner-joined'] as const;

/**
 * Runs `task` now, or once more right after the run in progress: a burst of twenty messages makes two
 * requests, not twenty, and the last state always wins.
 */
function coalesced(task: () => Promise<void>): () => void {
	let running = false;
	let again = false;
	const run = async (): Promise<void> => {
		if (running) {
			again = true;
			return;
		}
		running = true;
		try {
			do {
				again = false;
				await task();
			} while (again);
		} finally {
			running = false;
		}
	};
	return () => void run();
}

export function startDashboard(root: HTMLElement): void {
	const lang = root.dataset['lang'] === 'ko' ? 'ko' : 'en';
	const strings = JSON.parse(root.dataset['strings'] ?? '{}') as Strings;
	const text = (key: string, values: Record<string, string | number> = {}) => fill(strings[key] ?? key, values);
	const $ = <T extends HTMLElement = HTMLElement>(selector: string) => root.querySelector<T>(selector)!;
	const tbody = $('[data-roster]');
	const empty = $('[data-empty]');
	const summary = $('[data-summary]');
	const liveText = $('[data-live-text]');
	const errorBox = $('[data-error]');
	const mailTitle = $('[data-mail-title]');
	const mailNote = $('[data-mail-note]');
	const messages = $<HTMLOListElement>('[data-messages]');

	let roster: RosterEntry[] = [];
	let selectedId: string | null = root.dataset['selected'] || null;
	/** Last seen count and time per learner, to mark the rows that just changed. */
	const seen = new Map<string, string>();

	function showError(message: string | null): void {
		errorBox.hidden = message === null;
		errorBox.textContent = message ?? '';
	}

	async function getJson<T>(url: string): Promise<T> {
		const response = await fetch(url, { headers: { accept: 'application/json' } });
		if (!response.ok) throw new Error(await apiErrorText(response));
		return (await response.json()) as T;
	}

	function selected(): RosterEntry | undefined {
		return roster.find((learner) => learner.id === selectedId);
	}

	function renderRoster(): void {
		const sent = roster.filter((learner) => learner.messageCount > 0).length;
		summary.textContent = text('classroom.dashboard.summary', { sent, total: roster.length });
		summary.dataset['sent'] = String(sent);
		summary.dataset['total'] = String(roster.length);
		empty.hidden = roster.length > 0;
		const rows = roster.map((learner) => {
			const state = `${learner.messageCount}|${learner.lastMessageAt ?? ''}`;
			const changed = seen.has(learner.id) && seen.get(learner.id) !== state;
			seen.set(learner.id, state);
			const button = el(
				'button',
				{ type: 'button', 'data-learner': learner.id, 'aria-pressed': learner.id === selectedId ? 'true' : 'false' },
				learner.name,
			);
			button.setAttribute('aria-label', text('classroom.dashboard.show', { name: learner.name }));
			const hasSent = learner.messageCount > 0;
			return el(
				'tr',
				{ 'data-learner-row': learner.id, 'data-sent': hasSent ? 'true' : 'false', class: changed ? 'is-updated' : undefined },
				el('td', {}, button),
				el('td', {}, el('span', { class: `state ${hasSent ? 'sent' : 'waiting'}` }, text(hasSent ? 'classroom.dashboard.sent' : 'classroom.dashboard.notYet'))),
				el('td', { class: 'num', 'data-count': learner.messageCount }, String(learner.messageCount)),
				el(
					'td',
					{},
					learner.lastMessageAt
						? el('time', { datetime: learner.lastMessageAt }, formatListDate(learner.lastMessageAt, lang))
						: text('classroom.dashboard.never'),
				),
			);
		});
		tbody.replaceChildren(...rows);
	}

	const refreshRoster = coalesced(async () => {
		try {
			const body = await getJson<{ learners: RosterEntry[] }>('/api/v1/classroom/roster');
			roster = body.learners;
			renderRoster();
			showError(null);
			// First load, or back from a message: the learner picked before now has a row to show.
			const learner = selected();
			if (learner && messages.dataset['mailbox'] !== learner.mailbox) refreshMessages();
		} catch (error) {
			showError(text('classroom.dashboard.error', { message: errorMessage(error) }));
		}
	});

	function messageItem(message: MessageSummary, learnerId: string): HTMLLIElement {
		const href = `/${lang}/classroom/instructor/${encodeURIComponent(message.id)}/?learner=${encodeURIComponent(learnerId)}`;
		return el(
			'li',
			{ 'data-id': message.id },
			el(
				'a',
				{ href },
				el('span', { class: 'subject' }, message.subject || text('message.noSubject')),
				el(
					'span',
					{ class: 'meta' },
					el('time', { datetime: message.date }, formatListDate(message.date, lang)),
					` · ${formatAddress(message.from)} → ${message.to.map((to) => to.address).join(', ')}`,
				),
			),
		);
	}

	const refreshMessages = coalesced(async () => {
		const learner = selected();
		if (!learner) {
			mailTitle.textContent = text('classroom.dashboard.pick');
			mailNote.hidden = true;
			messages.replaceChildren();
			return;
		}
		mailTitle.textContent = text('classroom.dashboard.messagesOf', { name: learner.name });
		try {
			const params = new URLSearchParams({ mailbox: learner.mailbox, limit: '200' });
			const page = await getJson<{ messages: MessageSummary[] }>(`/api/v1/messages?${params}`);
			// The learner picked may have changed while the request was out.
			if (selectedId !== learner.id) return;
			messages.replaceChildren(...page.messages.map((message) => messageItem(message, learner.id)));
			mailNote.hidden = page.messages.length > 0;
			mailNote.textContent = text('classroom.dashboard.noMessages', { name: learner.name });
			messages.dataset['mailbox'] = learner.mailbox;
		} catch (error) {
			showError(text('classroom.dashboard.error', { message: errorMessage(error) }));
		}
	});

	function select(id: string): void {
		selectedId = id;
		for (const button of tbody.querySelectorAll<HTMLButtonElement>('button[data-learner]')) {
			button.setAttribute('aria-pressed', button.dataset['learner'] === id ? 'true' : 'false');
		}
		// The pick survives a reload and the way back from a message.
		const url = new URL(location.href);
		url.searchParams.set('learner', id);
		history.replaceState(null, '', url);
		refreshMessages();
	}

	tbody.addEventListener('click', (event) => {
		const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-learner]');
		if (button?.dataset['learner']) select(button.dataset['learner']);
	});

	function follow(): void {
		const events = new EventSource('/api/v1/events');
		events.addEventListener('open', () => {
			root.dataset['live'] = 'true';
			liveText.textContent = text('classroom.dashboard.live.connected');
			// Whatever happened while the stream was down is in the next answers.
			refreshRoster();
			if (selected()) refreshMessages();
		});
		events.addEventListener('error', () => {
			root.dataset['live'] = 'false';
			liveText.textContent = text('classroom.dashboard.live.reconnecting');
		});
		for (const name of ROSTER_EVENTS) {
			events.addEventListener(name, (event) => {
				refreshRoster();
				if (name === 'learner-joined') return;
				const mailbox = mailboxOf((event as MessageEvent<string>).data);
				const learner = selected();
				if (learner && (mailbox === null || mailbox === learner.mailbox)) refreshMessages();
			});
		}
	}

	follow();
	refreshRoster();
}

/** The mailbox a live event is about, when it says (a deletion only carries an id: then null). */
function mailboxOf(data: string): string | null {
	try {
		const parsed = JSON.parse(data) as { mailbox?: unknown };
		return typeof parsed.mailbox === 'string' ? parsed.mailbox : null;
	} catch (error) {
		// Not JSON: an event this page does not know; it names no mailbox.
		if (!(error instanceof SyntaxError)) throw error;
		return null;
	}
}
