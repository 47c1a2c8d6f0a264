/**
 * Browser side of one message's page: loads `/api/v1/messages/{id}`, fills the tabs, marks the
 * message read. The HTML part is never put into this page: it loads in a sandboxed frame from
 * `/api/v1/messages/{id}/html`, which carries its own Content-Security-Policy.
 */
import type { MessageDetail } from '../../sandbox/mail/message-content';
import type { TranscriptEntry } from '../../sandbox/store/types';
import { el, fill } from './element';
import type { Lang } from '../../sandbox/outbound/settings/problem.ts';
import { explainCommand } from '../../sandbox/outbound/smtp-glossary.ts';
import { explainReply, transcriptSteps } from '../../sandbox/outbound/smtp-reply-explainer.ts';
import type { SmtpStep } from '../../sandbox/outbound/smtp-reply-rules.ts';
import { formatAddress, formatAddresses, formatFullDate, formatSize, isFollowableLink } from './format';
import { apiErrorText } from './api-error.ts';
import { errorMessage } from '../../sandbox/error-text.ts';

/** The parts of Starlight's `<starlight-tabs>` element (its Tabs component) this view uses. */
interface StarlightTabs {
	tabs: HTMLElement[];
	panels: HTMLElement[];
	switchTab(tab: HTMLElement | undefined, index: number, sync: boolean): void;
}

/** Above this the raw source is offered as a download instead of drawn into the page. */
const RAW_INLINE_LIMIT = 2 * 1024 * 1024;

export async function startMessageView(root: HTMLElement): Promise<void> {
	const id = root.dataset['message']!;
	const lang: Lang = root.dataset['lang'] === 'ko' ? 'ko' : 'en';
	const strings = JSON.parse(root.dataset['strings'] ?? '{}') as Record<string, string>;
	const text = (key: string, values: Record<string, string | number> = {}) => fill(strings[key] ?? key, values);
	const $ = <T extends HTMLElement = HTMLElement>(selector: string) => root.querySelector<T>(selector)!;
	const api = `/api/v1/messages/${encodeURIComponent(id)}`;
	const back = root.dataset['back'] ?? `/${lang}/sandbox/inbox/`;
	const errorBox = $('[data-error]');
	const showError = (message: string) => {
		errorBox.hidden = false;
		errorBox.textContent = message;
	};

	let message: MessageDetail;
	try {
		const response = await fetch(api);
		if (response.status === 404) {
			root.setAttribute('aria-busy', 'false');
			return showError(text('message.notFound'));
		}
		if (!response.ok) throw new Error(await apiErrorText(response));
		message = (await response.json()) as MessageDetail;
	} catch (error) {
		root.setAttribute('aria-busy', 'false');
		return showError(text('inbox.error.load', { message: errorMessage(error) }));
	}

	const field = (name: string, value: string) => {
		$(`[data-field="${name}"]`).textContent = value;
	};
	const subject = message.subject || text('message.noSubject');
	document.title = `${subject} | ${document.title}`;
	field('subject', subject);
	field('from', formatAddress(message.from));
	field('to', formatAddresses(message.to));
	if (message.cc.length > 0) {
		$('[data-cc]').hidden = false;
		$('[data-field="cc"]').hidden = false;
		field('cc', formatAddresses(message.cc));
	}
	field('date', formatFullDate(message.date, lang));
	$<HTMLAnchorElement>('[data-raw-link]').href = `${api}/raw`;
	$<HTMLAnchorElement>('[data-raw-link]').download = `${id}.eml`;

	if (message.parseError) {
		$('[data-notice]').hidden = false;
		$('[data-notice]').textContent = `${text('message.parseError')} (${message.parseError})`;
	}

	showHtml(message);
	$('[data-text]').textContent = message.text ?? text('message.noText');
	$('[data-headers]').replaceChildren(
		...message.headers.map(([name, value]) => el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, value))),
	);
	showSession(message);
	showOutbound(message);
	showTranscript(message.session.transcript);
	void showRaw(message.size);
	showAttachments(message);
	showLinks(message);

	$('[data-loaded]').hidden = false;
	root.setAttribute('aria-busy', 'false');

	if (!message.read && root.dataset['markRead'] !== 'false') {
		void fetch(api, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ read: true }),
		}).catch(() => undefined); // A convenience: the message is shown either way, and the list says unread until it succeeds.
	}

	$('[data-delete]').addEventListener('click', async (event) => {
		const button = event.currentTarget as HTMLButtonElement;
		button.disabled = true;
		const response = await fetch(api, { method: 'DELETE' }).catch(() => null);
		if (response && (response.ok || response.status === 404)) {
			location.assign(back);
			return;
		}
		button.disabled = false;
		showError(text('inbox.error.action', { message: response ? await apiErrorText(response) : 'network' }));
	});

	function showHtml(detail: MessageDetail): void {
		const frame = $<HTMLIFrameElement>('[data-html]');
		if (detail.htmlWithheld) {
			const reason = detail.htmlWithheld.reason;
			const key = reason === 'too-deep' ? 'message.htmlWithheld.tooDeep' : reason === 'too-slow' ? 'message.htmlWithheld.tooSlow' : 'message.htmlWithheld.tooLarge';
			const note = $('[data-html-withheld]');
			note.replaceChildren(text(key), ' ', el('a', { href: `${api}/raw?download=1`, download: `${id}.eml` }, text('message.downloadRaw')));
			note.hidden = false;
			return;
		}
		if (detail.html === null) {
			const note = $('[data-no-html]');
			note.hidden = false;
			note.textContent = text('message.noHtml');
			openTextTab();
			return;
		}
		frame.hidden = false;
		frame.src = `${api}/html`;
		if (detail.remoteImages > 0) {
			$('[data-images]').hidden = false;
			$('[data-images-text]').textContent = text('message.remoteImages', { count: detail.remoteImages });
			$('[data-load-images]').addEventListener('click', () => {
				frame.src = `${api}/html?images=remote`;
				$('[data-images]').hidden = true;
			});
		}
	}

	/**
	 * A text-only message (Django's password reset mail is one) opens on its text, where the link is,
	 * rather than on an HTML tab that only says there is no HTML. Starlight's tabs element switches
	 * without taking focus or scrolling when told not to sync (its third argument).
	 */
	function openTextTab(): void {
		const tabs = root.querySelector<HTMLElement & Partial<StarlightTabs>>('starlight-tabs');
		if (!tabs?.tabs || !tabs.panels || !tabs.switchTab) return;
		const index = tabs.panels.findIndex((panel) => panel.contains($('[data-text]')));
		if (index >= 0) tabs.switchTab(tabs.tabs[index], index, false);
	}

	function showSession(detail: MessageDetail): void {
		const session = detail.session;
		field('client', `${session.helo || '?'} (${session.remoteAddress})`);
		field('port', String(session.localPort));
		field('tls', text(`message.session.tls.${session.tls}`) + (session.tlsProtocol ? ` · ${session.tlsProtocol}` : ''));
		field(
			'auth',
			session.auth
				? text('message.session.auth.used', { mechanism: session.auth.mechanism, user: session.auth.user })
				: text('message.session.auth.none'),
		);
		field('mailFrom', session.envelope.mailFrom || '<>');
		field('rcptTo', session.envelope.rcptTo.join(', '));
	}

	/** A copy of a real send: which server it went through and what that server finally replied. */
	function showOutbound(detail: MessageDetail): void {
		const relay = detail.session.relay;
		if (detail.session.direction !== 'outbound' || !relay) return;
		const security = { starttls: 'STARTTLS', implicit: 'TLS', none: 'no TLS' }[relay.security];
		$('[data-outbound-summary]').textContent = text('settings.message.outbound', {
			host: relay.host,
			port: relay.port,
			security,
			server: relay.gmail ? 'Gmail' : relay.host,
			reply: relay.reply,
		});
		$('[data-outbound-note]').textContent =
			text('settings.message.outboundNote') + (relay.gmail ? ` ${text('settings.message.gmailFrom')}` : '');
		$('[data-outbound]').hidden = false;
	}

	function showTranscript(entries: TranscriptEntry[]): void {
		const list = $('[data-transcript]');
		if (entries.length === 0) {
			list.replaceChildren(el('li', { class: 'event' }, text('message.transcript.empty')));
			return;
		}
		const steps = transcriptSteps(entries);
		list.replaceChildren(...entries.map((entry, index) => transcriptLine(entry, steps[index])));
	}

	function transcriptLine(entry: TranscriptEntry, step: SmtpStep | undefined): HTMLLIElement {
		if (entry.from === 'event' && entry.event === 'drill') {
			// A failure drill refused here (sandbox/drills/): the line names the drill, in the sandbox's words.
			return el('li', { class: 'event drill' }, `⚑ ${entry.line}`);
		}
		if (entry.from === 'event') {
			const key =
				entry.event === 'tls'
					? 'message.transcript.tls'
					: entry.event === 'data-elided'
						? 'message.transcript.dataElided'
						: entry.event === 'close'
							? 'message.transcript.close'
							: 'message.transcript.connect';
			return el('li', { class: `event ${entry.event ?? ''}`.trim() }, entry.event === 'tls' ? `🔒 ${text(key)}` : text(key));
		}
		const explanation = entry.from === 'client' ? explainCommand(entry.line, lang) : explainReply(entry.line, lang, step);
		const who = entry.from === 'client' ? 'C' : 'S';
		const label = text(entry.from === 'client' ? 'message.transcript.client' : 'message.transcript.server');
		const line = el('span', {}, el('abbr', { class: 'who', title: label }, `${who}:`), entry.line);
		if (!explanation) return el('li', { class: `from-${entry.from}` }, el('div', { class: 'plain' }, line));
		return el(
			'li',
			{ class: `from-${entry.from}` },
			el(
				'details',
				{},
				el('summary', {}, line),
				el('p', { class: 'explain' }, explanation.text, ' ', el('span', { class: 'ref' }, `(${explanation.ref})`)),
			),
		);
	}

	async function showRaw(size: number): Promise<void> {
		const target = $('[data-raw]');
		if (size > RAW_INLINE_LIMIT) {
			target.textContent = text('message.rawTooLarge');
			return;
		}
		const response = await fetch(`${api}/raw`).catch(() => null);
		target.textContent = response?.ok ? await response.text() : text('inbox.error.load', { message: 'raw' });
	}

	function showAttachments(detail: MessageDetail): void {
		const list = $('[data-attachments]');
		if (detail.attachments.length === 0) {
			list.replaceChildren(el('li', {}, text('message.noAttachments')));
			return;
		}
		list.replaceChildren(
			...detail.attachments.map((attachment) =>
				el(
					'li',
					{},
					el('a', { href: `${api}/attachments/${attachment.index}`, download: attachment.filename }, attachment.filename),
					` (${attachment.contentType}, ${formatSize(attachment.size)})`,
				),
			),
		);
	}

	function showLinks(detail: MessageDetail): void {
		const list = $('[data-links]');
		if (detail.links.length === 0) {
			list.replaceChildren(el('li', {}, text('message.noLinks')));
			return;
		}
		list.replaceChildren(
			...detail.links.map((link) =>
				el(
					'li',
					{},
					isFollowableLink(link.href)
						? el('a', { href: link.href, target: '_blank', rel: 'noopener noreferrer' }, link.href)
						: el('code', {}, link.href),
					link.text && link.text !== link.href ? ` (${link.text})` : '',
					isFollowableLink(link.href) ? '' : ` — ${text('message.linkNotFollowable')}`,
				),
			),
		);
	}
}
