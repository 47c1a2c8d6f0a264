/**
 * What POP3 (RFC 1939, STLS RFC 2595, CAPA RFC 2449) and IMAP (RFC 3501) commands and status replies mean,
 * for the protocol console, as smtp-glossary.ts and smtp-reply-explainer.ts do for SMTP. Browser-safe: data
 * and a lookup.
 */
import type { Lang } from '../outbound/settings/problem.ts';
import type { LineExplanation } from '../outbound/smtp-reply-explainer.ts';
import { consoleBilingual } from '../i18n/console-messages.ts';

interface Explanation {
	ko: string;
	en: string;
	ref: string;
}

const POP3_COMMANDS: Record<string, Explanation> = {
	CAPA: { ...consoleBilingual('mailreadGlossary.pop3Command.CAPA'), ref: 'RFC 2449 §5' },
	STLS: { ...consoleBilingual('mailreadGlossary.pop3Command.STLS'), ref: 'RFC 2595 §4' },
	USER: { ...consoleBilingual('mailreadGlossary.pop3Command.USER'), ref: 'RFC 1939 §7' },
	PASS: { ...consoleBilingual('mailreadGlossary.pop3Command.PASS'), ref: 'RFC 1939 §7' },
	AUTH: { ...consoleBilingual('mailreadGlossary.pop3Command.AUTH'), ref: 'RFC 5034 §4' },
	STAT: { ...consoleBilingual('mailreadGlossary.pop3Command.STAT'), ref: 'RFC 1939 §5' },
	LIST: { ...consoleBilingual('mailreadGlossary.pop3Command.LIST'), ref: 'RFC 1939 §5' },
	UIDL: { ...consoleBilingual('mailreadGlossary.pop3Command.UIDL'), ref: 'RFC 1939 §7' },
	RETR: { ...consoleBilingual('mailreadGlossary.pop3Command.RETR'), ref: 'RFC 1939 §5' },
	TOP: { ...consoleBilingual('mailreadGlossary.pop3Command.TOP'), ref: 'RFC 1939 §7' },
	DELE: { ...consoleBilingual('mailreadGlossary.pop3Command.DELE'), ref: 'RFC 1939 §5' },
	RSET: { ...consoleBilingual('mailreadGlossary.pop3Command.RSET'), ref: 'RFC 1939 §5' },
	NOOP: { ...consoleBilingual('mailreadGlossary.pop3Command.NOOP'), ref: 'RFC 1939 §5' },
	QUIT: { ...consoleBilingual('mailreadGlossary.pop3Command.QUIT'), ref: 'RFC 1939 §6' },
};

const IMAP_COMMANDS: Record<string, Explanation> = {
	CAPABILITY: { ...consoleBilingual('mailreadGlossary.imapCommand.CAPABILITY'), ref: 'RFC 3501 §6.1.1' },
	STARTTLS: { ...consoleBilingual('mailreadGlossary.imapCommand.STARTTLS'), ref: 'RFC 3501 §6.2.1' },
	LOGIN: { ...consoleBilingual('mailreadGlossary.imapCommand.LOGIN'), ref: 'RFC 3501 §6.2.3' },
	AUTHENTICATE: { ...consoleBilingual('mailreadGlossary.imapCommand.AUTHENTICATE'), ref: 'RFC 3501 §6.2.2' },
	LIST: { ...consoleBilingual('mailreadGlossary.imapCommand.LIST'), ref: 'RFC 3501 §6.3.8' },
	SELECT: { ...consoleBilingual('mailreadGlossary.imapCommand.SELECT'), ref: 'RFC 3501 §6.3.1' },
	EXAMINE: { ...consoleBilingual('mailreadGlossary.imapCommand.EXAMINE'), ref: 'RFC 3501 §6.3.2' },
	FETCH: { ...consoleBilingual('mailreadGlossary.imapCommand.FETCH'), ref: 'RFC 3501 §6.4.5' },
	STORE: { ...consoleBilingual('mailreadGlossary.imapCommand.STORE'), ref: 'RFC 3501 §6.4.6' },
	SEARCH: { ...consoleBilingual('mailreadGlossary.imapCommand.SEARCH'), ref: 'RFC 3501 §6.4.4' },
	UID: { ...consoleBilingual('mailreadGlossary.imapCommand.UID'), ref: 'RFC 3501 §6.4.8' },
	NOOP: { ...consoleBilingual('mailreadGlossary.imapCommand.NOOP'), ref: 'RFC 3501 §6.1.2' },
	IDLE: { ...consoleBilingual('mailreadGlossary.imapCommand.IDLE'), ref: 'RFC 2177 §3' },
	CLOSE: { ...consoleBilingual('mailreadGlossary.imapCommand.CLOSE'), ref: 'RFC 3501 §6.4.2' },
	LOGOUT: { ...consoleBilingual('mailreadGlossary.imapCommand.LOGOUT'), ref: 'RFC 3501 §6.1.3' },
};

const POP3_REPLIES: Array<{ pattern: RegExp; term: string } & Explanation> = [
	{ pattern: /^\+OK/, term: '+OK', ...consoleBilingual('mailreadGlossary.pop3Reply.ok'), ref: 'RFC 1939 §3' },
	{ pattern: /^-ERR/, term: '-ERR', ...consoleBilingual('mailreadGlossary.pop3Reply.err'), ref: 'RFC 1939 §3' },
	{ pattern: /^\.$/, term: '.', ...consoleBilingual('mailreadGlossary.pop3Reply.end'), ref: 'RFC 1939 §3' },
];

const IMAP_REPLIES: Array<{ pattern: RegExp; term: string } & Explanation> = [
	{ pattern: /^\* \d+ EXISTS/i, term: 'EXISTS', ...consoleBilingual('mailreadGlossary.imapReply.exists'), ref: 'RFC 3501 §7.3.1' },
	{ pattern: /^\* \d+ FETCH .*\\Seen/i, term: 'FETCH', ...consoleBilingual('mailreadGlossary.imapReply.fetchSeen'), ref: 'RFC 3501 §7.4.2' },
	{ pattern: /^\* \d+ FETCH/i, term: 'FETCH', ...consoleBilingual('mailreadGlossary.imapReply.fetch'), ref: 'RFC 3501 §7.4.2' },
	{ pattern: /^\* BYE/i, term: 'BYE', ...consoleBilingual('mailreadGlossary.imapReply.bye'), ref: 'RFC 3501 §7.1.5' },
	{ pattern: /^\* (OK|PREAUTH)/i, term: 'OK', ...consoleBilingual('mailreadGlossary.imapReply.untaggedOk'), ref: 'RFC 3501 §7.1.1' },
	{ pattern: /^\+/, term: '+', ...consoleBilingual('mailreadGlossary.imapReply.continuation'), ref: 'RFC 3501 §7.5' },
	{ pattern: /^\S+ OK/i, term: 'OK', ...consoleBilingual('mailreadGlossary.imapReply.taggedOk'), ref: 'RFC 3501 §7.1.1' },
	{ pattern: /^\S+ NO/i, term: 'NO', ...consoleBilingual('mailreadGlossary.imapReply.taggedNo'), ref: 'RFC 3501 §7.1.2' },
	{ pattern: /^\S+ BAD/i, term: 'BAD', ...consoleBilingual('mailreadGlossary.imapReply.taggedBad'), ref: 'RFC 3501 §7.1.3' },
];

/** Explains a line of a POP3 or IMAP dialogue; null for lines with nothing to add (message text, list rows). */
export function explainMailreadLine(protocol: 'pop3' | 'imap', from: 'client' | 'server', line: string, lang: Lang): LineExplanation | null {
	if (from === 'client') {
		const tokens = line.trim().split(/\s+/);
		const verb = ((protocol === 'imap' ? tokens[1] : tokens[0]) ?? '').toUpperCase();
		const entry = (protocol === 'imap' ? IMAP_COMMANDS : POP3_COMMANDS)[verb];
		return entry ? { term: verb, text: entry[lang], ref: entry.ref } : null;
	}
	const reply = (protocol === 'imap' ? IMAP_REPLIES : POP3_REPLIES).find((r) => r.pattern.test(line));
	return reply ? { term: reply.term, text: reply[lang], ref: reply.ref } : null;
}
