/**
 * A new message's summary: what the list, the events and IMAP show of it, from its header block, its
 * envelope and, when the body was walked before the 250, the body's preview.
 */
import type { BodySummary } from './body-index.ts';
import { summarizeHeaders } from './header-index.ts';
import type { MessageSummary, SessionFacts } from './types.ts';

export interface NewMessage {
	id: string;
	mailbox: string;
	uid: number;
	receivedAt: Date;
	raw: Buffer;
	session: SessionFacts;
}

/** `body` is null when the walk waits until after the 250 (big messages): the preview then comes later. */
export function summarizeNewMessage(message: NewMessage, body: BodySummary | null): MessageSummary {
	const { raw, session, receivedAt } = message;
	const headers = summarizeHeaders(raw);
	return {
		id: message.id,
		mailbox: message.mailbox,
		subject: headers.subject,
		// Mail without From/To headers (a bare smtplib.sendmail) is listed by its envelope instead.
		from: headers.from ?? (session.envelope.mailFrom ? { name: '', address: session.envelope.mailFrom } : null),
		to: headers.to.length > 0 ? headers.to : session.envelope.rcptTo.map((address) => ({ name: '', address })),
		date: headers.date ?? receivedAt.toISOString(),
		receivedAt: receivedAt.toISOString(),
		size: raw.length,
		snippet: body?.snippet ?? '',
		attachmentCount: body?.attachmentCount ?? headers.attachmentHint,
		read: false,
		uid: message.uid,
		flags: [],
		parsed: body?.parsed ?? true,
	};
}
