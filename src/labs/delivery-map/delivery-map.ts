/**
 * Browser side of <DeliveryMap>: loads the newest (or a given) captured message, lights the hops it took on
 * the diagram and fills the text list (the accessible version of the map) with the first hop's port, TLS
 * state and timings. Follows new mail over `/api/v1/events` when no id is given.
 */
import type { MessageDetail } from '../../../sandbox/mail/message-content';
import type { MessageSummary } from '../../../sandbox/store/types';
import { el, fill } from '../../inbox/element';
import { deliveryRoute, type DeliveryRoute } from './delivery-hops';
import { apiErrorText } from '../../inbox/api-error';
import { errorMessage } from '../../../sandbox/error-text.ts';

const API = '/api/v1/messages';

export function startDeliveryMap(root: HTMLElement): void {
	const lang = root.dataset['lang'] === 'ko' ? 'ko' : 'en';
	const strings = JSON.parse(root.dataset['strings'] ?? '{}') as Record<string, string>;
	const text = (key: string, values: Record<string, string | number> = {}) => fill(strings[key] ?? key, values);
	const fixedId = root.dataset['messageId'] || null;
	const status = root.querySelector<HTMLElement>('[data-status]');
	if (!status) return;
	root.querySelector<HTMLElement>('[data-needs-js]')?.setAttribute('hidden', '');
	let shownId: string | null = null;

	void load(fixedId);
	if (!fixedId && typeof EventSource !== 'undefined') {
		const events = new EventSource('/api/v1/events');
		const reload = () => void load(null);
		events.addEventListener('message', reload);
		events.addEventListener('message-transcript', (event) => {
			const { id } = JSON.parse((event as MessageEvent<string>).data) as { id: string };
			if (id === shownId) reload();
		});
		events.addEventListener('message-deleted', reload);
		events.addEventListener('mailbox-cleared', reload);
	}

	async function load(id: string | null): Promise<void> {
		try {
			let target = id;
			if (!target) {
				const response = await fetch(`${API}?limit=1`);
				if (!response.ok) throw new Error(await apiErrorText(response));
				target = ((await response.json()) as { messages: MessageSummary[] }).messages[0]?.id ?? null;
			}
			if (!target) {
				shownId = null;
				show(null);
				status!.textContent = text('labs2.map.waiting');
				return;
			}
			const response = await fetch(`${API}/${encodeURIComponent(target)}`);
			if (!response.ok) throw new Error(await apiErrorText(response));
			const detail = (await response.json()) as MessageDetail;
			shownId = detail.id;
			root.dataset['shownId'] = detail.id;
			status!.replaceChildren(
				text('labs2.map.message', { subject: detail.subject || '—' }),
				' ',
				el('a', { href: `/${lang}/sandbox/inbox/${encodeURIComponent(detail.id)}/` }, text('labs2.map.openMessage')),
			);
			show(deliveryRoute(detail.session));
		} catch (error) {
			show(null);
			status!.textContent = text('labs2.map.unavailable', { message: errorMessage(error) });
		}
	}

	/** Lights the route (or nothing, for the general picture) on the SVG and in the list. */
	function show(route: DeliveryRoute | null): void {
		const taken = new Set(route ? [route.submit.id, ...route.later.filter((hop) => hop.taken).map((hop) => hop.id)] : []);
		for (const node of root.querySelectorAll<Element>('[data-hop]')) {
			const hop = node.getAttribute('data-hop') ?? '';
			node.setAttribute('data-state', route ? (taken.has(hop as 'submit') ? 'taken' : 'not-taken') : 'general');
		}
		root.dataset['tls'] = route?.submit.tls ?? '';
		for (const item of root.querySelectorAll<HTMLElement>('[data-hop-item]')) {
			const hop = item.dataset['hopItem'] ?? '';
			const state = item.querySelector<HTMLElement>('[data-hop-state]');
			const detail = item.querySelector<HTMLElement>('[data-hop-detail]');
			if (!state || !detail) continue;
			if (!route) {
				state.textContent = '';
				detail.textContent = text(`labs2.map.general.${hop}`);
				continue;
			}
			state.textContent = `(${text(taken.has(hop as 'submit') ? 'labs2.map.taken' : 'labs2.map.notTaken')})`;
			if (hop === 'submit') {
				const { timings } = route.submit;
				const ms = (value: number | null) => (value === null ? text('labs2.map.unknownTime') : value);
				detail.textContent = [
					text('labs2.map.submitDetail', {
						port: route.submit.port,
						client: route.submit.client,
						tls: text(`labs2.map.tls.${route.submit.tls}`) + (route.submit.tlsProtocol ? ` (${route.submit.tlsProtocol})` : ''),
					}),
					text('labs2.map.timing', {
						greeting: ms(timings.greetingMs),
						tls: timings.tlsMs === null ? text('labs2.map.tlsNever') : text('labs2.map.tlsAt', { ms: timings.tlsMs }),
						accepted: ms(timings.acceptedMs),
					}),
				].join(' ');
			} else {
				detail.textContent = text(hop === 'relay' ? 'labs2.map.stopsHere' : 'labs2.map.fetchNote');
			}
		}
	}
}
