/**
 * What opening a message shows: its parts made safe to show (sandbox/mail/present-message.ts makes them),
 * and the API's whole view of one message. The store keeps summaries and delivery facts; none of this.
 */
import type { Address, MessageSummary, SessionFacts } from '../store/types.ts';

export interface AttachmentInfo {
	/** Index within the message, used in download URLs. */
	index: number;
	filename: string;
	contentType: string;
	size: number;
	contentId?: string;
	inline: boolean;
}

/** What opening a message shows besides its summary and delivery facts: its parts, made safe to show. */
export interface MessageContent {
	cc: Address[];
	replyTo: Address[];
	messageId: string | null;
	/** Header lines in order, as [name, value] pairs with values decoded. */
	headers: Array<[string, string]>;
	text: string | null;
	/** The HTML body after sanitising (scripts, handlers, forms removed); null when there is none or it was withheld. */
	html: string | null;
	/** How many remote images the sanitised HTML holds back until the reader asks for them. */
	remoteImages: number;
	/** Set when the message has HTML that was too large, too deep or too slow to make safe; `html` is then null. */
	htmlWithheld: HtmlWithheld | null;
	attachments: AttachmentInfo[];
	links: Array<{ href: string; text: string }>;
	/** Why mailparser could not read the message, or null. The raw source is always available. */
	parseError: string | null;
}

/**
 * Why a message's HTML is not shown: over a limit (characters, elements or nesting levels; `limit` is the
 * number), or over the time budget.
 */
export type HtmlWithheld = { reason: 'too-large' | 'too-many-elements' | 'too-deep'; limit: number } | { reason: 'too-slow' };

export interface MessageDetail extends MessageSummary, MessageContent {
	session: SessionFacts;
}
