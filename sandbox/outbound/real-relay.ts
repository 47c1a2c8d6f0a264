/**
 * Real SMTP mode for the site: sends one message through the real server of the validated `.env` settings
 * (one connection per send, so each send has its own redacted transcript), keeps a copy in the sandbox store
 * marked `outbound` with that transcript and the server's final reply, and guards every send against
 * becoming an open relay (per-hour cap, allow-list). Failures come back as the forum's MailSendError carrying
 * the reply explainer's ko/en explanation, so the page can say what happened, what to do and which setting.
 */
import type { RealEmailSettings } from './settings/email-settings-types.ts';
import { MailSendError, RealSendRefused, type MailMessage, type MailSendResult, type MailSettingsSummary, type RealMailSender } from './mail-sender.ts';
import type { MailStore } from '../store/mail-store.ts';
import { DEFAULT_MAILBOX, type MessageSummary, type TranscriptEntry } from '../store/types.ts';
import { createRealSmtpTransport, RealSmtpError, type RealSmtpTransport } from './real-smtp-transport.ts';
import type { RealSendGuard } from './real-send-guard.ts';
import { errorMessage } from '../error-text.ts';
import type { OperatorLog } from '../operator-log.ts';
import type { SmtpExplanation } from './smtp-reply-explainer.ts';
import { composeOutboundRaw, outboundSessionFacts } from './outbound-copy.ts';

export interface RealRelayOptions {
	/** Settings from loadEmailSettings/readEmailSettings (not a copy: the password is non-enumerable). */
	settings: RealEmailSettings;
	guard: RealSendGuard;
	/** Where copies of real sends are kept; a function because the store may start after the relay. */
	store: () => MailStore | undefined;
	/** Extra CA certificates to trust (a local Gmail-like test server); real hosts use the system's. */
	ca?: string | string[];
	/** EMAIL_HOST_PASSWORD as written in `.env` (e.g. with spaces), so that form is redacted too. */
	rawPassword?: string;
	/** Reports a copy that could not be stored (the mail itself went out). */
	warn?: OperatorLog;
}

export type ConnectionCheck =
	| { ok: true; transcript: TranscriptEntry[] }
	| { ok: false; transcript: TranscriptEntry[]; explanation: SmtpExplanation; message: string };

export interface RealRelay extends RealMailSender {
	readonly realSettings: RealEmailSettings;
	/** Connects, upgrades TLS, logs in and quits, keeping the redacted dialogue: the settings page's check. */
	check(): Promise<ConnectionCheck>;
	/** The copy kept for the last successful send, if it was stored (tests and the page read its id). */
	lastCopy(): MessageSummary | null;
}

export function summarizeRealSettings(settings: RealEmailSettings): MailSettingsSummary {
	return { host: settings.host, port: settings.port, tls: settings.security, user: settings.user === '' ? null : settings.user };
}

export function createRealRelay(options: RealRelayOptions): RealRelay {
	const { settings, guard } = options;
	const summary = summarizeRealSettings(settings);
	let lastCopy: MessageSummary | null = null;

	const open = (): RealSmtpTransport =>
		createRealSmtpTransport(settings, {
			...(options.ca !== undefined ? { ca: options.ca } : {}),
			...(options.rawPassword !== undefined ? { rawPassword: options.rawPassword } : {}),
		});

	const toSendError = (error: unknown): MailSendError => {
		if (error instanceof RealSmtpError) {
			return new MailSendError({
				host: settings.host,
				port: settings.port,
				code: error.facts.code ?? error.explanation.id,
				response: error.facts.response ?? null,
				command: error.facts.command ?? null,
				// Already redacted by the transport.
				message: error.message,
				explanation: error.explanation,
			});
		}
		return new MailSendError({ host: settings.host, port: settings.port, code: 'EUNKNOWN', response: null, command: null, message: String(error) });
	};

	async function keepCopy(message: MailMessage, transport: RealSmtpTransport, sent: MailSendResult, connectedAt: Date): Promise<void> {
		const store = options.store();
		if (!store) return;
		const dataStartedAt = null;
		const raw = await composeOutboundRaw({
			from: settings.from,
			to: message.to,
			subject: message.subject,
			text: message.text,
			html: message.html,
			messageId: sent.messageId,
			date: connectedAt,
		});
		const session = outboundSessionFacts({ settings, transcript: transport.transcript, reply: sent.response, accepted: sent.accepted, connectedAt, dataStartedAt });
		try {
			lastCopy = await store.add({ raw, session, mailbox: DEFAULT_MAILBOX });
		} catch (error) {
			options.warn?.('log.realMode.copyNotKept', { reason: errorMessage(error) });
		}
	}

	return {
		settings: summary,
		realSettings: settings,
		admit(recipient, messages) {
			const decision = guard.check([recipient], messages);
			return decision.ok ? { ok: true } : { ok: false, message: decision.message };
		},
		async send(message) {
			// Every message through the real server counts, whatever asked for it; over the cap nothing connects.
			const decision = guard.tryAcquire([message.to]);
			if (!decision.ok) throw new RealSendRefused(decision.message);
			const transport = open();
			const connectedAt = new Date();
			let sent: MailSendResult;
			try {
				// Django sends as DEFAULT_FROM_EMAIL; so does the real transport, whatever the caller's From.
				const report = await transport.send({ to: message.to, subject: message.subject, text: message.text, html: message.html });
				sent = { messageId: report.messageId, accepted: report.accepted, rejected: report.rejected, response: report.response };
			} catch (error) {
				throw toSendError(error);
			} finally {
				transport.close();
			}
			await keepCopy(message, transport, sent, connectedAt);
			return sent;
		},
		async verify() {
			const transport = open();
			try {
				await transport.verify();
			} catch (error) {
				throw toSendError(error);
			} finally {
				transport.close();
			}
		},
		async check() {
			const transport = open();
			try {
				await transport.verify();
				return { ok: true, transcript: [...transport.transcript] };
			} catch (error) {
				const failure = toSendError(error);
				return {
					ok: false,
					transcript: [...transport.transcript],
					explanation: failure.explanation ?? { id: 'unknown', kind: 'connection', what: { ko: failure.message, en: failure.message }, todo: { ko: '', en: '' }, settings: [] },
					message: failure.message,
				};
			} finally {
				transport.close();
			}
		},
		close() {
			// One connection per send, closed after it: nothing pooled to close.
		},
		lastCopy: () => lastCopy,
	};
}
