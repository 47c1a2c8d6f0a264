/**
 * Browser side of <SmtpPlayer>: loads one captured message (a given id, or the newest one, following new
 * mail live over `/api/v1/events`), and steps through its SMTP conversation one line at a time with the
 * buttons, the arrow keys, Home and End. The current line is announced through a live region; the whole
 * conversation stays visible as a list with the STARTTLS marker in it.
 */
import type { MessageDetail } from '../../../sandbox/mail/message-content';
import type { MessageSummary } from '../../../sandbox/store/types';
import { el, fill } from '../../inbox/element';
import type { Lang } from '../../../sandbox/outbound/settings/problem.ts';
import { clampStep, playerSteps, stepForKey, tlsStartIndex, type PlayerStep } from './player-steps';
import { apiErrorText } from '../../inbox/api-error.ts';
import { errorMessage } from '../../../sandbox/error-text.ts';

const API = '/api/v1/messages';

export function startSmtpPlayer(root: HTMLElement): void {
	const lang: Lang = root.dataset['lang'] === 'ko' ? 'ko' : 'en';
	const strings = JSON.parse(root.dataset['strings'] ?? '{}') as Record<string, string>;
	const text = (key: string, values: Record<string, string | number> = {}) => fill(strings[key] ?? key, values);
	const fixedId = root.dataset['messageId'] || null;
	const $ = <T extends HTMLElement = HTMLElement>(selector: string) => root.querySelector<T>(selector);
	const status = $('[data-status]');
	const player = $('[data-player]');
	const list = $('[data-lines]');
	const current = $('[data-current]');
	const position = $('[data-position]');
	const wire = $('[data-wire]');
	const buttons = {
		first: $<HTMLButtonElement>('[data-go="first"]'),
		prev: $<HTMLButtonElement>('[data-go="prev"]'),
		next: $<HTMLButtonElement>('[data-go="next"]'),
		last: $<HTMLButtonElement>('[data-go="last"]'),
	};
	if (!status || !player || !list || !current || !position || !wire || !buttons.first || !buttons.prev || !buttons.next || !buttons.last) return;
	$('[data-needs-js]')?.setAttribute('hidden', '');

	let steps: PlayerStep[] = [];
	let index = 0;
	let shownId: string | null = null;

	const go = (to: number) => {
		index = clampStep(to, steps.length);
		render();
	};
	buttons.first.addEventListener('click', () => go(0));
	buttons.prev.addEventListener('click', () => go(index - 1));
	buttons.next.addEventListener('click', () => go(index + 1));
	buttons.last.addEventListener('click', () => go(steps.length - 1));
	player.addEventListener('keydown', (event) => {
		if (event.altKey || event.ctrlKey || event.metaKey) return;
		const to = stepForKey(event.key, index, steps.length);
		if (to === null) return;
		event.preventDefault();
		go(to);
	});
	list.addEventListener('click', (event) => {
		const item = (event.target as Element).closest<HTMLElement>('[data-step]');
		if (item) go(Number(item.dataset['step']));
	});

	void load(fixedId);
	if (!fixedId) follow();

	function showStatus(message: string): void {
		status!.textContent = message;
	}

	async function load(id: string | null, keepPosition = false): Promise<void> {
		try {
			let target = id;
			if (!target) {
				const response = await fetch(`${API}?limit=1`);
				if (!response.ok) throw new Error(await apiErrorText(response));
				const page = (await response.json()) as { messages: MessageSummary[] };
				target = page.messages[0]?.id ?? null;
				if (!target) {
					player!.hidden = true;
					shownId = null;
					return showStatus(text('labs2.player.empty'));
				}
			}
			const response = await fetch(`${API}/${encodeURIComponent(target)}`);
			if (!response.ok) throw new Error(await apiErrorText(response));
			const detail = (await response.json()) as MessageDetail;
			const isNew = shownId !== null && shownId !== detail.id;
			shownId = detail.id;
			steps = playerSteps(detail.session.transcript, lang);
			if (!keepPosition) index = 0;
			index = clampStep(index, steps.length);
			const time = new Date(detail.receivedAt).toLocaleTimeString(lang);
			const about = text('labs2.player.message', { subject: detail.subject || text('labs2.player.noSubject'), time });
			showStatus(isNew ? `${text('labs2.player.newMessage')} ${about}` : about);
			root.dataset['shownId'] = detail.id;
			if (steps.length === 0) {
				player!.hidden = true;
				return showStatus(`${about} ${text('labs2.player.noTranscript')}`);
			}
			player!.hidden = false;
			drawList();
			render();
		} catch (error) {
			player!.hidden = true;
			showStatus(text('labs2.player.unavailable', { message: errorMessage(error) }));
		}
	}

	/** The newest message changes as mail arrives; its transcript also completes after the 250 (message-transcript). */
	function follow(): void {
		if (typeof EventSource === 'undefined') return;
		const events = new EventSource('/api/v1/events');
		events.addEventListener('message', () => void load(null));
		events.addEventListener('message-transcript', (event) => {
			const { id } = JSON.parse((event as MessageEvent<string>).data) as { id: string };
			if (id === shownId) void load(id, true);
		});
		events.addEventListener('message-deleted', () => void load(null));
		events.addEventListener('mailbox-cleared', () => void load(null));
	}

	function whoLabel(step: PlayerStep): string {
		return text(step.from === 'client' ? 'labs2.player.client' : step.from === 'server' ? 'labs2.player.server' : 'labs2.player.event');
	}

	function eventText(step: PlayerStep): string {
		switch (step.event) {
			case 'tls':
				return text('labs2.player.event.tls');
			case 'close':
				return text('labs2.player.event.close');
			case 'data-elided':
				return text('labs2.player.event.data');
			default:
				return text('labs2.player.event.connect');
		}
	}

	function drawList(): void {
		const marker = tlsStartIndex(steps);
		const items: HTMLElement[] = [];
		steps.forEach((step, n) => {
			if (n === marker) items.push(el('li', { class: 'tls-marker', 'data-tls-marker': true }, `🔒 ${text('labs2.player.tlsMarker')}`));
			items.push(
				el(
					'li',
					{ class: `line from-${step.from}${step.encrypted ? ' encrypted' : ''}`, 'data-step': n },
					el('span', { class: 'who' }, step.from === 'client' ? 'C:' : step.from === 'server' ? 'S:' : '•'),
					' ',
					step.line,
				),
			);
		});
		if (marker === -1) items.push(el('li', { class: 'no-tls' }, `🔓 ${text('labs2.player.noTls')}`));
		list!.replaceChildren(...items);
	}

	function render(): void {
		const step = steps[index];
		if (!step) return;
		for (const item of list!.querySelectorAll<HTMLElement>('[data-step]')) {
			const n = Number(item.dataset['step']);
			if (n === index) item.setAttribute('aria-current', 'step');
			else item.removeAttribute('aria-current');
			item.dataset['past'] = String(n < index);
		}
		list!.querySelector<HTMLElement>('[aria-current="step"]')?.scrollIntoView({ block: 'nearest' });
		position!.textContent = `${text('labs2.player.stepOf', { n: index + 1, total: steps.length })} · ${text('labs2.player.at', { ms: step.at })}`;
		wire!.textContent = step.encrypted ? text('labs2.player.encryptedWire') : text('labs2.player.plainWire');
		wire!.dataset['encrypted'] = String(step.encrypted);
		const notes =
			step.from === 'event'
				? [el('p', {}, eventText(step))]
				: step.notes.length > 0
					? step.notes.map((note) => el('p', {}, el('strong', {}, note.term), ': ', note.text, ' ', el('span', { class: 'ref' }, `(${note.ref})`)))
					: [el('p', {}, text('labs2.player.noNote'))];
		current!.dataset['from'] = step.from;
		current!.replaceChildren(
			...(step.tlsStarts ? [el('p', { class: 'tls-now' }, `🔒 ${text('labs2.player.tlsMarker')}`)] : []),
			el('p', { class: 'who-label' }, whoLabel(step)),
			el('p', { class: 'wire-line' }, el('code', {}, step.line)),
			...notes,
		);
		buttons.first!.disabled = index === 0;
		buttons.prev!.disabled = index === 0;
		buttons.next!.disabled = index >= steps.length - 1;
		buttons.last!.disabled = index >= steps.length - 1;
	}
}
