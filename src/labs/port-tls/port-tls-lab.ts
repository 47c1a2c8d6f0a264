/**
 * Browser side of <PortTlsLab>: names the ports the running sandbox really uses, sends the learner's choice
 * to `POST /api/v1/labs/port-tls`, which really connects to the sandbox's SMTP ports, and shows the outcome:
 * success with the client's transcript, or what Django (Python's smtplib) would print for that pair, with
 * the explanation, the right pair of settings, and the lab client's own error line behind a disclosure.
 * Everything shown from the answer goes in as text (element.ts), never as HTML. A right pair that connected
 * is recorded for the lesson's exercise (port-tls-progress.ts).
 */
import type { PortTlsResult } from '../../../sandbox/outbound/port-tls-lab';
import type { TranscriptEntry } from '../../../sandbox/store/types';
import { apiErrorText } from '../../inbox/api-error';
import { el, fill } from '../../inbox/element';
import { isRightPairRun, recordRightPair } from './port-tls-progress';
import { errorMessage } from '../../../sandbox/error-text.ts';

type Lang = 'ko' | 'en';
/** The UI's three port styles; 25-style is sent as the plain (STARTTLS-offering) port. */
type PortStyle = '587' | '465' | '25';

const API = '/api/v1/labs/port-tls';
const HEALTH = '/api/v1/health';

export function startPortTlsLab(root: HTMLElement): void {
	const lang: Lang = root.dataset['lang'] === 'ko' ? 'ko' : 'en';
	const lesson = root.dataset['lesson'] ?? '';
	const strings = JSON.parse(root.dataset['strings'] ?? '{}') as Record<string, string>;
	const text = (key: string, values: Record<string, string | number> = {}) => fill(strings[key] ?? key, values);
	const form = root.querySelector<HTMLFormElement>('form[data-form]');
	const result = root.querySelector<HTMLElement>('[data-result]');
	const note25 = root.querySelector<HTMLElement>('[data-port25-note]');
	const run = root.querySelector<HTMLButtonElement>('[data-run]');
	if (!form || !result || !note25 || !run) return;
	root.querySelector<HTMLElement>('[data-needs-js]')?.setAttribute('hidden', '');
	run.disabled = false;

	const portStyle = (): PortStyle => {
		const value = new FormData(form).get('port');
		return value === '465' || value === '25' ? value : '587';
	};
	const syncNote = () => {
		note25.hidden = portStyle() !== '25';
	};
	form.addEventListener('change', syncNote);
	syncNote();
	void showLivePorts();

	/** The built page names the default ports; the sandbox says which it really listens on. */
	async function showLivePorts(): Promise<void> {
		const health = (await fetch(HEALTH)
			.then((response) => (response.ok ? response.json() : null))
			.catch(() => null)) as { ports?: { smtp?: unknown; smtps?: unknown } } | null;
		const { smtp, smtps } = health?.ports ?? {};
		if (typeof smtp !== 'number' || typeof smtps !== 'number') return;
		for (const label of root.querySelectorAll<HTMLElement>('[data-port-label]')) {
			const key = label.dataset['portLabel'] ?? '';
			label.textContent = text(key, { port: key === 'labs2.portTls.port465' ? smtps : smtp });
		}
		note25!.textContent = text('labs2.portTls.port25Note', { port: smtp });
		root.dataset['ports'] = 'live';
	}

	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		const style = portStyle();
		const data = new FormData(form);
		const body = { port: style === '465' ? 'tls' : 'starttls', useTls: data.get('useTls') === 'on', useSsl: data.get('useSsl') === 'on' };
		run.disabled = true;
		result.setAttribute('aria-busy', 'true');
		result.replaceChildren(el('p', {}, text('labs2.portTls.running')));
		try {
			const response = await fetch(API, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			if (!response.ok) {
				throw new Error(await apiErrorText(response));
			}
			const outcome = (await response.json()) as PortTlsResult;
			showResult(outcome, style);
			if (lesson !== '' && isRightPairRun(style, outcome)) recordRightPair(lesson, style);
		} catch (error) {
			result.dataset['outcome'] = 'error';
			result.replaceChildren(
				el('p', { class: 'verdict' }, text('labs2.portTls.unavailable', { message: errorMessage(error) })),
			);
		} finally {
			run.disabled = false;
			result.setAttribute('aria-busy', 'false');
		}
	});

	function showResult(outcome: PortTlsResult, style: PortStyle): void {
		result!.dataset['outcome'] = outcome.ok ? 'ok' : 'failed';
		const parts: Node[] = [];
		if (outcome.ok) {
			parts.push(
				el(
					'p',
					{ class: 'verdict' },
					`✓ ${text('labs2.portTls.ok', { port: outcome.sandboxPort ?? '?', security: text(`labs2.portTls.security.${outcome.security ?? 'none'}`) })}`,
				),
			);
			if (outcome.security === 'none') parts.push(el('p', { class: 'warning' }, text('labs2.portTls.plainWarning')));
			if (outcome.messageId) {
				parts.push(el('p', {}, el('a', { href: `/${lang}/sandbox/inbox/${encodeURIComponent(outcome.messageId)}/` }, text('labs2.portTls.openMessage'))));
			}
		} else if (outcome.error) {
			const django = outcome.django;
			parts.push(
				el('p', { class: 'verdict' }, `✗ ${text('labs2.portTls.failed')}`),
				el(
					'dl',
					{},
					el('dt', {}, text('labs2.portTls.django')),
					el(
						'dd',
						{ 'data-django': '' },
						el('pre', { class: 'django-line' }, el('code', {}, django.exception ?? '')),
						el('p', {}, text(`labs2.portTls.when.${django.when}`)),
						django.exceptionWithoutTimeout ? el('pre', { class: 'django-line' }, el('code', {}, django.exceptionWithoutTimeout)) : null,
					),
					el('dt', {}, text('labs2.portTls.what')),
					el('dd', {}, outcome.error.what[lang]),
					el('dt', {}, text('labs2.portTls.todo')),
					el('dd', {}, outcome.error.todo[lang]),
				),
				el('details', { class: 'raw-error' }, el('summary', {}, text('labs2.portTls.raw')), el('code', { 'data-raw-error': '' }, outcome.error.message)),
			);
		}
		const advice = outcome.advice;
		const adviceText =
			style === '25'
				? text('labs2.portTls.advice25')
				: outcome.matchesAdvice
					? text('labs2.portTls.adviceMatches')
					: text('labs2.portTls.advice', { port: advice.realPort, tls: advice.useTls ? 'True' : 'False', ssl: advice.useSsl ? 'True' : 'False' });
		parts.push(el('p', { class: 'advice' }, adviceText));
		parts.push(el('h4', {}, text('labs2.portTls.transcript')));
		parts.push(
			outcome.transcript.length === 0
				? el('p', {}, text('labs2.portTls.transcriptEmpty'))
				: el('ol', { class: 'lab-transcript' }, ...outcome.transcript.map(transcriptLine)),
		);
		result!.replaceChildren(...parts);
	}

	function transcriptLine(entry: TranscriptEntry): HTMLLIElement {
		const who = entry.from === 'client' ? 'C' : entry.from === 'server' ? 'S' : '•';
		const label = text(entry.from === 'client' ? 'labs2.transcript.client' : entry.from === 'server' ? 'labs2.transcript.server' : 'labs2.transcript.event');
		return el(
			'li',
			{ class: `from-${entry.from}` },
			el('span', { class: 'who', 'aria-label': label, title: label }, who),
			' ',
			entry.line,
		);
	}
}
