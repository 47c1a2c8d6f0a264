/**
 * Sends through a real SMTP server (e.g. smtp.gmail.com) with the validated settings, the way Django's SMTP
 * EmailBackend would: EMAIL_USE_SSL → TLS from the first byte, EMAIL_USE_TLS → STARTTLS required, neither →
 * plain without upgrading (Django does not upgrade on its own), AUTH only when user and password are both set,
 * EMAIL_TIMEOUT for every wait. Certificates are verified, as Django >= 4.2 does; a test server is trusted by
 * passing its CA (or NODE_EXTRA_CA_CERTS), never by turning verification off. Every failure comes back as a
 * `RealSmtpError` carrying a ko/en explanation; the dialogue is recorded with secrets redacted.
 */
import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import type { TranscriptEntry } from '../store/types.ts';
import type { RealEmailSettings } from './settings/email-settings-types.ts';
import { createOutboundTranscript } from './outbound-transcript.ts';
import { explainSmtpError, smtpErrorFacts, type SmtpErrorFacts, type SmtpExplanation } from './smtp-reply-explainer.ts';

export interface RealSmtpTransportOptions {
	/** Extra CA certificates (PEM) to trust besides the system's, for a local Gmail-like test server. */
	ca?: string | string[];
	/** Called for each transcript entry as it happens (the CLI prints the live dialogue with it). */
	onEntry?: (entry: TranscriptEntry) => void;
	/** The password as written in `.env` (e.g. with spaces), so that form is redacted too. */
	rawPassword?: string;
}

export interface OutgoingMessage {
	to: string;
	subject: string;
	text: string;
	html?: string;
}

export interface SentReport {
	messageId: string;
	/** The server's final reply to DATA, e.g. `250 2.0.0 OK … - gsmtp`. */
	response: string;
	accepted: string[];
	rejected: string[];
}

/** A failure to talk to or send through the real server, with the explanation and redacted facts. */
export class RealSmtpError extends Error {
	readonly explanation: SmtpExplanation;
	readonly facts: SmtpErrorFacts;
	constructor(message: string, explanation: SmtpExplanation, facts: SmtpErrorFacts) {
		super(message);
		this.name = 'RealSmtpError';
		this.explanation = explanation;
		this.facts = facts;
	}
}

export interface RealSmtpTransport {
	/** The outbound dialogue so far (all connections), redacted. */
	readonly transcript: TranscriptEntry[];
	/** Connects, says EHLO, upgrades TLS and logs in, then quits: what `mail:check` does before sending. */
	verify(): Promise<void>;
	send(message: OutgoingMessage): Promise<SentReport>;
	close(): void;
}

function toAddressList(list: unknown): string[] {
	if (!Array.isArray(list)) return [];
	return list.map((item) => (typeof item === 'string' ? item : String((item as { address?: unknown }).address ?? '')));
}

export function createRealSmtpTransport(settings: RealEmailSettings, options: RealSmtpTransportOptions = {}): RealSmtpTransport {
	// The password is non-enumerable, so `{ ...settings }` drops it; sending without AUTH would then fail far away.
	if (typeof (settings as { password?: unknown }).password !== 'string') {
		throw new TypeError('These email settings have no password property: pass the object from loadEmailSettings/readEmailSettings, not a copy.');
	}
	const passwords = [settings.password, options.rawPassword ?? ''];
	const transcript = createOutboundTranscript({ user: settings.user, passwords }, options.onEntry);
	const useAuth = settings.user !== '' && settings.password !== '';
	const transporter = nodemailer.createTransport({
		host: settings.host,
		port: settings.port,
		secure: settings.security === 'implicit',
		requireTLS: settings.security === 'starttls',
		ignoreTLS: settings.security === 'none',
		...(useAuth ? { auth: { user: settings.user, pass: settings.password } } : {}),
		connectionTimeout: settings.timeoutMs,
		greetingTimeout: settings.timeoutMs,
		socketTimeout: settings.timeoutMs,
		// SNI takes host names only; Node warns when it is given an IP address.
		tls: { ...(isIP(settings.host) === 0 ? { servername: settings.host } : {}), ...(options.ca ? { ca: options.ca } : {}) },
		logger: transcript.logger,
		transactionLog: true,
		// The message is built from our own strings; nothing may pull in files or URLs.
		disableFileAccess: true,
		disableUrlAccess: true,
	});

	const fail = (error: unknown): RealSmtpError => {
		const facts = smtpErrorFacts(error);
		const safeFacts: SmtpErrorFacts = { ...facts, message: transcript.redact(facts.message) };
		if (facts.response !== undefined) safeFacts.response = transcript.redact(facts.response);
		const explanation = explainSmtpError(safeFacts, settings);
		return new RealSmtpError(safeFacts.message, explanation, safeFacts);
	};

	return {
		transcript: transcript.entries,
		async verify() {
			try {
				await transporter.verify();
			} catch (error) {
				throw fail(error);
			}
		},
		async send(message) {
			try {
				const info = await transporter.sendMail({
					from: settings.from,
					to: message.to,
					subject: message.subject,
					text: message.text,
					...(message.html !== undefined ? { html: message.html } : {}),
				});
				return {
					messageId: info.messageId,
					response: transcript.redact(info.response),
					accepted: toAddressList(info.accepted),
					rejected: toAddressList(info.rejected),
				};
			} catch (error) {
				throw fail(error);
			}
		},
		close() {
			transporter.close();
		},
	};
}
