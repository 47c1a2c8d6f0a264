/**
 * Browser side of the inbox list: loads summaries from `/api/v1/messages`, then follows
 * `/api/v1/events` so a message appears the moment the SMTP server has stored it.
 */
import type { MessageSummary } from '../../sandbox/store/types';
import { apiErrorText } from './api-error';
import { el, fill } from './element';
import { formatAddress, formatListDate, formatSize } from './format';
import { errorMessage } from '../../sandbox/error-text.ts';

type Strings = Record<string, string>;

/** How many summaries the page shows; the API caps it too. */
const PAGE_SIZE = 200;

export function startInbox(root: HTMLElement): void {
	const lang = root.dataset['lang'] ?? 'en';
	const strings = JSON.parse(root.dataset['strings'] ?? '{}') as Strings;
	const list = root.querySelector<HTMLOListElement>('[data-list]')!;
	const empty = root.querySelector<HTMLElement>('[data-empty]')!;
	const status = root.querySelector<HTMLElement>('[data-status]')!;
	const errorBox = root.querySelector<HTMLElement>('[data-error]')!;
	const snippet = root.querySelector<HTMLElement>('[data-snippet]');
	const query = new URLSearchParams(location.search).get('q')?.trim() ?? '';
	const text = (key: string, values: Record<string, string | number> = {}) => fill(strings[key] ?? key, values);

	let total = 0;
	const rows = new Map<string, HTMLLIElement>();
	// Arrivals while the list is loading wait here, or the load would wipe them out.
	let loading = false;
	const arrivedWhileLoading: MessageSummary[] = [];

	function showError(message: string | null): void {
		errorBox.hidden = message === null;
		errorBox.textContent = message ?? '';
	}

	function renderCount(): void {
		const emptyInbox = rows.size === 0;
		empty.hidden = !(emptyInbox && !query);
		status.dataset['count'] = String(total);
		status.textContent = emptyInbox && query ? text('inbox.noMatch') : text('inbox.count', { total });
	}

	function row(message: MessageSummary, isNew = false): HTMLLIElement {
		const href = `/${lang}/sandbox/inbox/${encodeURIComponent(message.id)}`;
		const remove = el('button', { type: 'button', class: 'postlab-button', 'data-delete': message.id }, text('inbox.delete'));
		remove.setAttribute('aria-label', `${text('inbox.delete')}: ${message.subject || text('message.noSubject')}`);
		const item = el(
			'li',
			{ class: [message.read ? '' : 'unread', isNew ? 'is-new' : ''].join(' ').trim(), 'data-id': message.id },
			el(
				'a',
				{ href },
				el(
					'span',
					{ class: 'subject' },
					message.read ? null : el('span', { class: 'unread-dot', title: text('inbox.unread') }),
					message.read ? null : el('span', { class: 'sr-only' }, `${text('inbox.unread')}: `),
					message.subject || text('message.noSubject'),
				),
				el('span', { class: 'meta' }, `${formatAddress(message.from)} → ${message.to.map((to) => to.address).join(', ')}`),
				el('span', { class: 'snippet' }, message.snippet),
			),
			el(
				'div',
				{ class: 'side' },
				el('time', { datetime: message.date }, formatListDate(message.date, lang)),
				el('span', {}, formatSize(message.size)),
				message.attachmentCount > 0 ? el('span', {}, text('inbox.attachments', { count: message.attachmentCount })) : null,
				remove,
			),
		);
		return item;
	}

	function put(message: MessageSummary, isNew: boolean): void {
		const existing = rows.get(message.id);
		const fresh = row(message, isNew && !existing);
		rows.set(message.id, fresh);
		if (existing) existing.replaceWith(fresh);
		else list.prepend(fresh);
	}

	function remove(id: string): void {
		rows.get(id)?.remove();
		if (rows.delete(id)) total = Math.max(0, total - 1);
		renderCount();
	}

	async function load(): Promise<void> {
		const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
		if (query) params.set('query', query);
		loading = true;
		try {
			const response = await fetch(`/api/v1/messages?${params}`);
			if (!response.ok) throw new Error(await apiErrorText(response));
			const page = (await response.json()) as { total: number; messages: MessageSummary[] };
			list.replaceChildren();
			rows.clear();
			total = page.total;
			// Newest first from the API; prepend oldest first so the order holds.
			for (const message of [...page.messages].reverse()) put(message, false);
			for (const message of arrivedWhileLoading) arrive(message);
			renderCount();
			showError(null);
		} catch (error) {
			showError(text('inbox.error.load', { message: errorMessage(error) }));
		} finally {
			loading = false;
			arrivedWhileLoading.length = 0;
		}
	}

	function arrive(message: MessageSummary): void {
		total += rows.has(message.id) ? 0 : 1;
		put(message, true);
		renderCount();
	}

	async function showPortsInSnippet(): Promise<void> {
		if (!snippet) return;
		try {
			const health = (await (await fetch('/api/v1/health')).json()) as {
				ports?: { smtp?: number };
				tls?: { certPath?: string };
			};
			const port = health.ports?.smtp;
			if (typeof port === 'number') snippet.textContent = snippet.textContent!.replace(/EMAIL_PORT = \d+/, `EMAIL_PORT = ${port}`);
			const certPath = health.tls?.certPath;
			const certSnippet = root.querySelector<HTMLElement>('[data-cert-snippet]');
			// The absolute path, quoted for the shell: it works from any folder the learner starts Django in.
			if (certPath && certSnippet) certSnippet.textContent = `SSL_CERT_FILE='${certPath}' python manage.py runserver`;
		} catch {
			// The snippet keeps the default port; the list's own error already tells the reader.
		}
	}

	function follow(): void {
		const events = new EventSource('/api/v1/events');
		events.addEventListener('open', () => {
			root.dataset['live'] = 'true';
			status.title = text('inbox.live.connected');
			showError(null);
		});
		events.addEventListener('error', () => {
			root.dataset['live'] = 'false';
			status.title = text('inbox.live.reconnecting');
		});
		events.addEventListener('message', (event) => {
			const message = JSON.parse((event as MessageEvent<string>).data) as MessageSummary;
			// A search is matched by the server; refetching keeps that one rule in one place.
			if (query) return void load();
			if (loading) arrivedWhileLoading.push(message);
			else arrive(message);
		});
		events.addEventListener('message-updated', (event) => {
			const message = JSON.parse((event as MessageEvent<string>).data) as MessageSummary;
			if (rows.has(message.id)) put(message, false);
		});
		events.addEventListener('message-deleted', (event) => {
			const { id } = JSON.parse((event as MessageEvent<string>).data) as { id: string };
			remove(id);
		});
		// Events were missed while the stream was away and are no longer kept (Last-Event-ID): load the list again.
		events.addEventListener('reset', () => void load());
		events.addEventListener('mailbox-cleared', () => {
			list.replaceChildren();
			rows.clear();
			total = 0;
			renderCount();
		});
	}

	list.addEventListener('click', async (event) => {
		const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-delete]');
		if (!button) return;
		const id = button.dataset['delete']!;
		button.disabled = true;
		const response = await fetch(`/api/v1/messages/${encodeURIComponent(id)}`, { method: 'DELETE' }).catch(
			(error: unknown) => error,
		);
		if (response instanceof Response && (response.ok || response.status === 404)) return remove(id);
		button.disabled = false;
		showError(text('inbox.error.action', { message: response instanceof Response ? await apiErrorText(response) : errorMessage(response) }));
	});

	root.querySelector('[data-delete-all]')?.addEventListener('click', async () => {
		if (!confirm(text('inbox.deleteAll.confirm'))) return;
		const response = await fetch('/api/v1/messages', { method: 'DELETE' }).catch((error: unknown) => error);
		if (response instanceof Response && response.ok) {
			list.replaceChildren();
			rows.clear();
			total = 0;
			return renderCount();
		}
		showError(text('inbox.error.action', { message: response instanceof Response ? await apiErrorText(response) : errorMessage(response) }));
	});

	follow();
	void load();
	void showPortsInSnippet();
}
