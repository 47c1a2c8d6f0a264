import type { Bilingual } from './settings/problem.ts';
import type { SmtpExplanation } from './smtp-reply-explainer.ts';

/**
 * The seam between the forum and whatever sends its mail. The forum only knows this interface; the
 * nodemailer implementation lives in sandbox/outbound/mail-transport.ts, so the same forum can send
 * to the sandbox's own SMTP server today and to Gmail later.
 */

export interface MailMessage {
	from: string;
	to: string;
	subject: string;
	text: string;
	html: string;
}

/** The settings a transport uses, as shown to the learner: never a password. */
export interface MailSettingsSummary {
	host: string;
	port: number;
	/** `starttls` = plain connection upgraded with STARTTLS, `implicit` = TLS from the first byte (465), `none` = no TLS. */
	tls: 'starttls' | 'implicit' | 'none';
	/** The AUTH user, or null when the transport does not log in. */
	user: string | null;
}

export interface MailSendResult {
	messageId: string;
	accepted: string[];
	rejected: string[];
	/** The server's last reply, e.g. `250 OK: message queued`. */
	response: string;
}

export interface MailSender {
	readonly settings: MailSettingsSummary;
	/** Sends one message; rejects with a MailSendError when the server cannot be reached or refuses it. */
	send(message: MailMessage): Promise<MailSendResult>;
	/**
	 * Connects, greets, upgrades and logs in as a send would, without sending. The forum calls it for
	 * reset requests about unknown addresses, so those take the same path to the server as real ones.
	 */
	verify(): Promise<void>;
	/** Closes pooled connections, if any. */
	close(): void;
}

/** Why sending failed, in the terms the learner sees: which server, which step, what it answered. */
export class MailSendError extends Error {
	readonly host: string;
	readonly port: number;
	/** nodemailer's error code: ECONNECTION, ETLS, EAUTH, EENVELOPE, ETIMEDOUT, … */
	readonly code: string;
	/** The server's reply line when there was one (e.g. `535 5.7.8 Username and Password not accepted`). */
	readonly response: string | null;
	/** The SMTP command that failed, when known. */
	readonly command: string | null;
	/** For real SMTP mode: what happened, what to do and which setting, in ko and en (from the reply explainer). */
	readonly explanation: SmtpExplanation | null;

	constructor(
		fields: { host: string; port: number; code: string; response: string | null; command: string | null; message: string; explanation?: SmtpExplanation },
		options?: ErrorOptions,
	) {
		super(fields.message, options);
		this.name = 'MailSendError';
		this.host = fields.host;
		this.port = fields.port;
		this.code = fields.code;
		this.response = fields.response;
		this.command = fields.command;
		this.explanation = fields.explanation ?? null;
	}
}

/** Where the forum's reset email goes; the local user picks one per send. */
export type MailRoute = 'sandbox' | 'real';

/**
 * Real SMTP mode as the forum sees it: a MailSender to the real server that also keeps a copy in the sandbox
 * inbox, plus the guard that keeps the forum from becoming an open relay (per-hour cap, allow-list).
 */
export interface RealMailSender extends MailSender {
	/**
	 * Whether `messages` real messages to this recipient could go out now (per-hour cap, allow-list), counting
	 * nothing: `send` counts each message itself, and refuses with a RealSendRefused once the cap is reached.
	 */
	admit(recipient: string, messages: number): { ok: true } | { ok: false; message: Bilingual };
}

/**
 * `send` of a RealMailSender refused before connecting: the per-hour cap or the allow-list. Recognised by its
 * code, not its class (pages and the server may hold different copies of this module).
 */
export class RealSendRefused extends Error {
	readonly code = REAL_SEND_REFUSED;
	readonly bilingual: Bilingual;

	constructor(message: Bilingual) {
		super(message.en);
		this.name = 'RealSendRefused';
		this.bilingual = message;
	}
}
export const REAL_SEND_REFUSED = 'EREALREFUSED';

export function isRealSendRefused(error: unknown): error is RealSendRefused {
	return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === REAL_SEND_REFUSED && 'bilingual' in error;
}
