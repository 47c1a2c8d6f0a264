/**
 * The copy of a real send that is kept in the sandbox store, so the learner sees in the inbox exactly what
 * went out to Gmail (or another real server): the message as composed, and as its "session facts" Postlab's
 * own side of the SMTP dialogue (already redacted by the outbound transcript) and the server's final reply.
 * Built only from the settings' public fields: the password is non-enumerable and never read here.
 */
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { RealEmailSettings } from './settings/email-settings-types.ts';
import type { SessionFacts, TranscriptEntry } from '../store/types.ts';

export interface SentMessage {
	from: string;
	to: string;
	subject: string;
	text: string;
	html?: string;
	/** The Message-ID the real server was given (nodemailer's, with angle brackets). */
	messageId: string;
	date: Date;
}

/** The raw RFC 5322 message, composed the way nodemailer composed the one that was sent. */
export async function composeOutboundRaw(message: SentMessage): Promise<Buffer> {
	const composer = new MailComposer({
		from: message.from,
		to: message.to,
		subject: message.subject,
		text: message.text,
		...(message.html !== undefined ? { html: message.html } : {}),
		messageId: message.messageId,
		date: message.date,
		disableFileAccess: true,
		disableUrlAccess: true,
	});
	return composer.compile().build();
}

/** The last client line that starts with `command` (case-insensitive), e.g. `EHLO [127.0.0.1]`. */
function lastClientLine(transcript: readonly TranscriptEntry[], command: string): string | null {
	for (let i = transcript.length - 1; i >= 0; i -= 1) {
		const entry = transcript[i];
		if (entry?.from === 'client' && entry.line.toUpperCase().startsWith(`${command} `)) return entry.line;
	}
	return null;
}

export interface OutboundFactsInput {
	settings: RealEmailSettings;
	transcript: readonly TranscriptEntry[];
	/** The final reply to DATA, already redacted. */
	reply: string;
	accepted: string[];
	connectedAt: Date;
	dataStartedAt: Date | null;
}

export function outboundSessionFacts(input: OutboundFactsInput): SessionFacts {
	const { settings, transcript } = input;
	const helo = lastClientLine(transcript, 'EHLO') ?? lastClientLine(transcript, 'HELO');
	const auth = lastClientLine(transcript, 'AUTH');
	const mailFrom = lastClientLine(transcript, 'MAIL');
	const facts: SessionFacts = {
		direction: 'outbound',
		remoteAddress: settings.host,
		localPort: settings.port,
		clientHostname: settings.host,
		helo: helo ? helo.split(/\s+/)[1] ?? '' : '',
		tls: settings.security,
		envelope: {
			mailFrom: settings.fromAddress,
			rcptTo: input.accepted,
			smtpUtf8: mailFrom !== null && /\bSMTPUTF8\b/i.test(mailFrom),
			bodyType: mailFrom !== null && /\bBODY=8BITMIME\b/i.test(mailFrom) ? '8bitmime' : '7bit',
		},
		connectionId: randomUUID(),
		timings: {
			connectedAt: input.connectedAt.toISOString(),
			dataStartedAt: input.dataStartedAt?.toISOString() ?? null,
			storeMs: 0,
		},
		transcript: [...transcript],
		relay: {
			host: settings.host,
			port: settings.port,
			security: settings.security,
			user: settings.user === '' ? null : settings.user,
			reply: input.reply,
			gmail: settings.gmail,
		},
	};
	if (auth && settings.user !== '') facts.auth = { mechanism: (auth.split(/\s+/)[1] ?? '').toUpperCase(), user: settings.user };
	return facts;
}
