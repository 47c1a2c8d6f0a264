/**
 * The port/TLS lab's experiment: connect to the sandbox's own SMTP ports the way Django's SMTP EmailBackend
 * would with the learner's EMAIL_USE_TLS/EMAIL_USE_SSL, and report what really happened. Django's mapping,
 * mirrored with nodemailer: EMAIL_USE_SSL → TLS from the first byte (`secure`), EMAIL_USE_TLS → STARTTLS that
 * must succeed (`requireTLS`), neither → plain, never upgrading (`ignoreTLS`); both → Django refuses before
 * connecting (django/core/mail/backends/smtp.py raises ValueError with the text below). The sandbox
 * certificate is trusted by passing it as the CA, never by turning verification off. On success a small lab
 * message is sent, so it appears in the inbox with the server's side of the conversation.
 */
import nodemailer from 'nodemailer';
import type { TranscriptEntry } from '../store/types.ts';
import { createOutboundTranscript } from './outbound-transcript.ts';
import { explainSmtpError, smtpErrorFacts, type SmtpExplanation } from './smtp-reply-explainer.ts';
import { djangoOutcome, MUTUALLY_EXCLUSIVE_MESSAGE, type DjangoOutcome } from './django-smtp-outcome.ts';
import { bilingual } from '../i18n/messages.ts';

/** `starttls` = the sandbox's plain port with STARTTLS offered (587-style), `tls` = TLS from the first byte (465-style). */
export type LabPort = 'starttls' | 'tls';

export interface PortTlsChoice {
	port: LabPort;
	useTls: boolean;
	useSsl: boolean;
}

/** The settings that fit a port: what the lab advises whatever the learner chose. */
export interface PortTlsAdvice {
	port: LabPort;
	/** The real-world port number for this style (587 or 465). */
	realPort: 587 | 465;
	useTls: boolean;
	useSsl: boolean;
}

export interface PortTlsResult {
	ok: boolean;
	/** The sandbox port the lab connected to (null when Django would refuse before connecting). */
	sandboxPort: number | null;
	/** How the connection ended up: encrypted with STARTTLS, from the first byte, or plain. Null on failure. */
	security: 'starttls' | 'implicit' | 'none' | null;
	/** The client's side of the conversation, as nodemailer logged it, secrets removed. */
	transcript: TranscriptEntry[];
	/** Id of the lab message in the inbox, on success. */
	messageId?: string;
	error?: SmtpExplanation & { message: string };
	advice: PortTlsAdvice;
	/** True when the choice is already the advised pair. */
	matchesAdvice: boolean;
	/** What Django (Python's smtplib) prints for this pair; `error.message` is nodemailer's own line. */
	django: DjangoOutcome;
}

export interface PortTlsLabTarget {
	/** Where the sandbox's SMTP ports listen (a loopback address). */
	host: string;
	ports: { smtp: number; smtps: number };
	/** PEM of the sandbox certificate, trusted as the only CA for these connections. */
	ca: string;
}

export { MUTUALLY_EXCLUSIVE_MESSAGE };
/** A plain client on the TLS port waits for a greeting that never comes; the lab should not keep the learner waiting long. */
export const GREETING_TIMEOUT_MS = 3_000;
/** Loopback connects in well under a millisecond; anything slower means the sandbox is not there. */
const CONNECTION_TIMEOUT_MS = 3_000;
/** A stalled conversation after the greeting (never expected against our own server). */
const SOCKET_TIMEOUT_MS = 5_000;

export function adviceFor(port: LabPort): PortTlsAdvice {
	return port === 'tls'
		? { port, realPort: 465, useTls: false, useSsl: true }
		: { port, realPort: 587, useTls: true, useSsl: false };
}

/** Runs one real attempt. Never throws for an SMTP or TLS failure: that is the result the learner came for. */
export async function runPortTlsLab(choice: PortTlsChoice, target: PortTlsLabTarget): Promise<PortTlsResult> {
	const advice = adviceFor(choice.port);
	const matchesAdvice = choice.useTls === advice.useTls && choice.useSsl === advice.useSsl;
	const base = { advice, matchesAdvice, django: djangoOutcome(choice.port, choice.useTls, choice.useSsl) };
	if (choice.useTls && choice.useSsl) {
		const explanation = explainSmtpError(new Error(MUTUALLY_EXCLUSIVE_MESSAGE));
		return {
			...base,
			ok: false,
			sandboxPort: null,
			security: null,
			transcript: [],
			error: {
				...explanation,
				id: 'tls-ssl-exclusive',
				kind: 'config',
				message: MUTUALLY_EXCLUSIVE_MESSAGE,
				what: bilingual('portTlsLab.mutuallyExclusive.what', { djangoMessage: MUTUALLY_EXCLUSIVE_MESSAGE }),
				todo: bilingual('portTlsLab.mutuallyExclusive.todo', {
					useTls: advice.useTls ? 'True' : 'False',
					useSsl: advice.useSsl ? 'True' : 'False',
				}),
				settings: ['EMAIL_USE_TLS', 'EMAIL_USE_SSL'],
			},
		};
	}

	const sandboxPort = choice.port === 'tls' ? target.ports.smtps : target.ports.smtp;
	// No AUTH: the lab has no real password to send, and the point here is the TLS handshake, not the login.
	const transcript = createOutboundTranscript({ user: '', passwords: [] });
	const transporter = nodemailer.createTransport({
		host: target.host,
		port: sandboxPort,
		secure: choice.useSsl,
		requireTLS: choice.useTls,
		ignoreTLS: !choice.useTls && !choice.useSsl,
		connectionTimeout: CONNECTION_TIMEOUT_MS,
		greetingTimeout: GREETING_TIMEOUT_MS,
		socketTimeout: SOCKET_TIMEOUT_MS,
		// The certificate names localhost and 127.0.0.1; verification stays on, only our CA is trusted.
		tls: { ca: target.ca, servername: 'localhost' },
		name: 'django-lab.localhost',
		logger: transcript.logger,
		transactionLog: true,
		disableFileAccess: true,
		disableUrlAccess: true,
	});
	const settingsLine = `EMAIL_USE_TLS=${choice.useTls ? 'True' : 'False'}, EMAIL_USE_SSL=${choice.useSsl ? 'True' : 'False'}`;
	try {
		const info = await transporter.sendMail({
			from: 'Postlab port/TLS lab <lab@postlab.localhost>',
			to: 'learner@postlab.localhost',
			subject: `Port/TLS lab: ${choice.port === 'tls' ? '465-style' : '587-style'} port ${sandboxPort}, ${settingsLine}`,
			text: `This message was sent by the port/TLS lab with ${settingsLine} to the sandbox port ${sandboxPort}.\n`,
		});
		const stored = /stored as (\S+)/.exec(info.response)?.[1];
		return {
			...base,
			ok: true,
			sandboxPort,
			security: choice.useSsl ? 'implicit' : choice.useTls ? 'starttls' : 'none',
			transcript: transcript.entries,
			...(stored ? { messageId: stored } : {}),
		};
	} catch (error) {
		const facts = smtpErrorFacts(error);
		const explanation = explainSmtpError(facts, {
			host: target.host,
			port: sandboxPort,
			security: choice.useSsl ? 'implicit' : choice.useTls ? 'starttls' : 'none',
		});
		return {
			...base,
			ok: false,
			sandboxPort,
			security: null,
			transcript: transcript.entries,
			error: { ...explanation, message: transcript.redact(facts.message) },
		};
	} finally {
		transporter.close();
	}
}
