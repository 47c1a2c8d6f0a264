/**
 * Browser side of the failure-drill panel (src/components/DrillPanel.astro), in the inbox, the lessons and the
 * instructor's dashboard: turns a drill on (until turned off, or for the next message only) and off through
 * `/api/v1/drills`, says which is on, and lists the latest refusals with the sandbox's transcript and the
 * shared rule table's explanation (sandbox/outbound/smtp-reply-explainer.ts). Whose drill it is (the
 * learner's own, or the class's for the instructor) is the server's decision, from the viewer's cookies.
 */
import type { ActiveDrill, DrillRefusal } from '../../sandbox/drills/drill-switch.ts';
import { explainRefusal } from '../../sandbox/outbound/smtp-reply-explainer.ts';
import { apiErrorText } from '../inbox/api-error.ts';
import { el, fill } from '../inbox/element.ts';

type Strings = Record<string, string>;

interface DrillsState {
	scope: 'own' | 'class';
	active: ActiveDrill | null;
	classWide: ActiveDrill | null;
	refusals: DrillRefusal[];
}

/** Refusals shown in a panel; the API keeps 20 per learner. */
const SHOWN_REFUSALS = 5;
/** How often an open panel asks again, so a refusal from the learner's own Django shows up without a reload. */
const REFRESH_MS = 4_000;

/** Every panel on the page shares one state, so turning a drill on in one shows in all. */
const panels = new Set<(state: DrillsState | null) => void>();
let refreshing: Promise<void> | null = null;

async function refresh(): Promise<void> {
	refreshing ??= (async () => {
		let state: DrillsState | null = null;
		try {
			const response = await fetch('/api/v1/drills', { headers: { accept: 'application/json' } });
			if (response.ok) state = (await response.json()) as DrillsState;
		} catch {
			state = null;
		}
		for (const show of panels) show(state);
	})().finally(() => {
		refreshing = null;
	});
	return refreshing;
}

export function startDrillPanel(root: HTMLElement): void {
	const lang = root.dataset['lang'] === 'ko' ? 'ko' : 'en';
	const strings = JSON.parse(root.dataset['strings'] ?? '{}') as Strings;
	const text = (key: string, values: Record<string, string | number> = {}) => fill(strings[key] ?? key, values);
	const label = (id: string) => strings[`drill.${id}`] ?? id;
	const form = root.querySelector<HTMLFormElement>('[data-drill-form]')!;
	const off = root.querySelector<HTMLButtonElement>('[data-drill-off]')!;
	const status = root.querySelector<HTMLElement>('[data-drill-status]')!;
	const list = root.querySelector<HTMLOListElement>('[data-drill-refusals]')!;
	const problem = root.querySelector<HTMLElement>('[data-drill-problem]')!;
	form.hidden = false;

	panels.add((state) => {
		if (!state) {
			status.textContent = text('drills.offline');
			root.dataset['state'] = 'offline';
			return;
		}
		root.dataset['state'] = state.active ? 'on' : 'off';
		root.dataset['active'] = state.active?.drill ?? '';
		const own = state.active
			? text(state.active.mode === 'once' ? 'drills.status.once' : 'drills.status.on', { drill: label(state.active.drill) })
			: text('drills.status.none');
		const classWide = state.classWide ? ` ${text('drills.status.classWide', { drill: label(state.classWide.drill) })}` : '';
		status.textContent = `${state.scope === 'class' ? `${text('drills.scope.class')} ` : ''}${own}${classWide}`;
		off.disabled = state.active === null;
		list.replaceChildren(...state.refusals.slice(0, SHOWN_REFUSALS).map(refusalItem));
		if (state.refusals.length === 0) list.replaceChildren(el('li', { class: 'none' }, text('drills.refusals.none')));
	});

	function refusalItem(refusal: DrillRefusal): HTMLLIElement {
		const explained = explainRefusal(refusal.reply ?? null, refusal.step, lang);
		const time = new Date(refusal.at).toLocaleTimeString(lang);
		const transcript = el(
			'ol',
			{ class: 'drill-transcript' },
			...refusal.transcript.map((entry) =>
				el(
					'li',
					{ class: entry.event === 'drill' ? 'drill' : `from-${entry.from}` },
					entry.from === 'event' ? `${entry.event === 'drill' ? '⚑' : '–'} ${entry.line}` : `${entry.from === 'client' ? 'C:' : 'S:'} ${entry.line}`,
				),
			),
		);
		return el(
			'li',
			{ 'data-refusal': refusal.drill },
			el('p', {}, el('strong', {}, `${time} · ${label(refusal.drill)}`), ' ', el('code', {}, refusal.reply ?? text('drills.noGreeting'))),
			explained && el('p', {}, explained.what, ' ', el('em', {}, explained.todo)),
			el('details', {}, el('summary', {}, text('drills.transcript')), transcript),
		);
	}

	async function send(init: RequestInit): Promise<void> {
		problem.textContent = '';
		try {
			const response = await fetch('/api/v1/drills', { ...init, headers: { 'content-type': 'application/json', accept: 'application/json' } });
			if (!response.ok) {
				problem.textContent = await apiErrorText(response);
			}
		} catch {
			problem.textContent = text('drills.offline');
		}
		await refresh();
	}

	form.addEventListener('submit', (event) => {
		event.preventDefault();
		const data = new FormData(form);
		void send({ method: 'PUT', body: JSON.stringify({ drill: data.get('drill'), mode: data.get('mode') ?? 'on' }) });
	});
	off.addEventListener('click', () => void send({ method: 'DELETE' }));
}

export function startDrillPanels(): void {
	const roots = document.querySelectorAll<HTMLElement>('[data-drill-panel]');
	if (roots.length === 0) return;
	for (const root of roots) startDrillPanel(root);
	void refresh();
	const timer = setInterval(() => {
		if (document.visibilityState === 'visible') void refresh();
	}, REFRESH_MS);
	addEventListener('pagehide', () => clearInterval(timer), { once: true });
	document.addEventListener('visibilitychange', () => {
		if (document.visibilityState === 'visible') void refresh();
	});
}
