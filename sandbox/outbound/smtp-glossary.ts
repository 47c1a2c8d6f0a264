/**
 * What the client's SMTP commands and the EHLO keywords of a server's reply mean, for the transcript views (the
 * inbox, the SMTP player). Commands follow RFC 5321 §4.1 (plus STARTTLS, RFC 3207, and AUTH, RFC 4954); each
 * keyword names the RFC of its extension. Replies are explained by smtp-reply-explainer.ts. Browser-safe: data
 * and the SMTP message catalogue (sandbox/i18n/smtp-messages.ts) only.
 */
import type { Lang } from './settings/problem.ts';
import type { LineExplanation } from './smtp-reply-explainer.ts';
import { smtpMessage, type SmtpMessageKey } from '../i18n/smtp-messages.ts';

interface Explanation {
	/** The explanation, in sandbox/i18n/smtp/. */
	text: SmtpMessageKey;
	/** The section of the RFC that defines it. */
	ref: string;
}

const COMMANDS: Record<string, Explanation> = {
	EHLO: { text: 'smtpGlossary.command.EHLO', ref: 'RFC 5321 §4.1.1.1' },
	HELO: { text: 'smtpGlossary.command.HELO', ref: 'RFC 5321 §4.1.1.1' },
	STARTTLS: { text: 'smtpGlossary.command.STARTTLS', ref: 'RFC 3207 §4' },
	AUTH: { text: 'smtpGlossary.command.AUTH', ref: 'RFC 4954 §4' },
	'MAIL FROM': { text: 'smtpGlossary.command.MAIL_FROM', ref: 'RFC 5321 §4.1.1.2' },
	'RCPT TO': { text: 'smtpGlossary.command.RCPT_TO', ref: 'RFC 5321 §4.1.1.3' },
	DATA: { text: 'smtpGlossary.command.DATA', ref: 'RFC 5321 §4.1.1.4' },
	BDAT: { text: 'smtpGlossary.command.BDAT', ref: 'RFC 3030 §2' },
	RSET: { text: 'smtpGlossary.command.RSET', ref: 'RFC 5321 §4.1.1.5' },
	NOOP: { text: 'smtpGlossary.command.NOOP', ref: 'RFC 5321 §4.1.1.9' },
	VRFY: { text: 'smtpGlossary.command.VRFY', ref: 'RFC 5321 §4.1.1.6' },
	QUIT: { text: 'smtpGlossary.command.QUIT', ref: 'RFC 5321 §4.1.1.10' },
};

/** Explains a client command line, or returns null when it is not one we know (e.g. garbage). */
export function explainCommand(line: string, lang: Lang): LineExplanation | null {
	const upper = line.trimStart().toUpperCase();
	// Two-word commands first, so "MAIL FROM" is not read as an unknown "MAIL".
	const term = Object.keys(COMMANDS)
		.sort((a, b) => b.length - a.length)
		.find((name) => upper === name || upper.startsWith(`${name} `) || upper.startsWith(`${name}:`));
	if (!term) return null;
	const entry = COMMANDS[term]!;
	return { term, text: smtpMessage(lang, entry.text), ref: entry.ref };
}

/** What each EHLO keyword the server lists offers (RFC 5321 §4.1.1.1 lists one per `250-` line). */
const EXTENSIONS: Record<string, Explanation> = {
	STARTTLS: { text: 'smtpGlossary.extension.STARTTLS', ref: 'RFC 3207 §4' },
	AUTH: { text: 'smtpGlossary.extension.AUTH', ref: 'RFC 4954 §3' },
	SIZE: { text: 'smtpGlossary.extension.SIZE', ref: 'RFC 1870 §4' },
	PIPELINING: { text: 'smtpGlossary.extension.PIPELINING', ref: 'RFC 2920 §3' },
	'8BITMIME': { text: 'smtpGlossary.extension.8BITMIME', ref: 'RFC 6152 §2' },
	SMTPUTF8: { text: 'smtpGlossary.extension.SMTPUTF8', ref: 'RFC 6531 §3.1' },
	ENHANCEDSTATUSCODES: { text: 'smtpGlossary.extension.ENHANCEDSTATUSCODES', ref: 'RFC 2034 §3' },
	CHUNKING: { text: 'smtpGlossary.extension.CHUNKING', ref: 'RFC 3030 §2' },
	DSN: { text: 'smtpGlossary.extension.DSN', ref: 'RFC 3461 §4' },
};

/**
 * Explains one keyword line of a multi-line EHLO reply, e.g. `250-STARTTLS` or `250-AUTH PLAIN LOGIN`.
 * The first line of that reply (the greeting back) is not a keyword and gives null.
 */
export function explainExtension(line: string, lang: Lang): LineExplanation | null {
	const keyword = /^250[ -]([A-Z0-9][A-Z0-9-]*)(?:[ =]|$)/i.exec(line)?.[1]?.toUpperCase();
	if (!keyword) return null;
	const entry = EXTENSIONS[keyword];
	if (!entry) return null;
	return { term: keyword, text: smtpMessage(lang, entry.text), ref: entry.ref };
}
