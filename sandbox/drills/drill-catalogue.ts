/**
 * Failure drills: the refusals a learner meets when Django sends through Gmail, which the sandbox's SMTP
 * server can play on demand (issue 20). Each drill names the step of the conversation where Gmail refuses
 * and the reply it sends: code, RFC 3463 enhanced status code and Gmail's own text.
 *
 * The codes and texts are Gmail's, as listed in Google's "Gmail SMTP errors and codes" reference
 * (https://support.google.com/a/answer/3726730, now also at
 * https://knowledge.workspace.google.com/admin/support/troubleshooting/gmail-smtp-errors-and-codes). The page
 * shows each help link as its title ("For more information, go to …"); on the wire Gmail writes the address,
 * "Learn more at https://support.google.com/mail/?p=BadCredentials", as captured Gmail sessions show, and ends
 * with a session id and "- gsmtp", which the sandbox leaves out. Gmail splits long replies over several lines
 * (`535-5.7.8 …` then `535 5.7.8 https://…`); the sandbox sends one line, which clients read the same way.
 * What each reply means to the learner is not said here: the shared rule table
 * (sandbox/outbound/smtp-reply-rules.ts) explains it, in the transcript and in mail:check alike.
 *
 * Browser-safe: data only, no Node imports (the inbox panel and the lessons read it too).
 */
import type { SmtpStep } from '../outbound/smtp-reply-rules.ts';

export const DRILL_IDS = [
	'wrong-app-password',
	'account-password',
	'starttls-first',
	'daily-limit',
	'try-later',
	'server-error',
	'no-such-recipient',
	'message-too-large',
	'stalled-server',
] as const;

export type DrillId = (typeof DRILL_IDS)[number];

/** `on`: until turned off; `once`: the next refusal only, then back to normal. */
export type DrillMode = 'on' | 'once';
export const DRILL_MODES: readonly DrillMode[] = ['on', 'once'];

/** Where a drill refuses: an SMTP step, or `connect` for a server that never greets. */
export type DrillStep = Extract<SmtpStep, 'auth' | 'mail' | 'rcpt' | 'message'> | 'connect';

export interface DrillReply {
	code: number;
	/** RFC 3463 enhanced status code, sent at the start of the text as Gmail does. */
	enhanced: string;
	text: string;
}

export interface Drill {
	id: DrillId;
	/** The step Gmail refuses at. */
	step: DrillStep;
	/** Gmail's reply; absent for the stalled server, which says nothing at all. */
	reply?: DrillReply;
	/** The id of the row in smtp-reply-rules.ts that explains this refusal (tests hold the two together). */
	rule: string;
	/** The lesson (slug) that discusses this error. */
	lesson: 'settings-py' | 'gmail-app-password' | 'try-the-reset' | 'going-live-with-gmail';
}

export const DRILLS: Readonly<Record<DrillId, Drill>> = {
	'wrong-app-password': {
		id: 'wrong-app-password',
		step: 'auth',
		reply: { code: 535, enhanced: '5.7.8', text: 'Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials' },
		rule: 'auth-rejected',
		lesson: 'gmail-app-password',
	},
	'account-password': {
		id: 'account-password',
		step: 'auth',
		reply: { code: 534, enhanced: '5.7.9', text: 'Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor' },
		rule: 'app-password-required',
		lesson: 'gmail-app-password',
	},
	'starttls-first': {
		id: 'starttls-first',
		// Before STARTTLS Gmail's EHLO offers no AUTH (so smtplib's login fails on its own), and MAIL (or an AUTH
		// sent anyway) gets this reply; after STARTTLS all is well. The sandbox withholds AUTH the same way.
		step: 'mail',
		reply: { code: 530, enhanced: '5.7.0', text: 'Must issue a STARTTLS command first.' },
		rule: 'starttls-required',
		lesson: 'settings-py',
	},
	'daily-limit': {
		id: 'daily-limit',
		step: 'mail',
		reply: { code: 550, enhanced: '5.4.5', text: 'Daily user sending limit exceeded. For more information on Gmail sending limits go to https://support.google.com/a/answer/166852' },
		rule: 'daily-limit',
		lesson: 'going-live-with-gmail',
	},
	'try-later': {
		id: 'try-later',
		// 421 closes the connection (RFC 5321 §3.8).
		step: 'mail',
		reply: { code: 421, enhanced: '4.7.0', text: 'Try again later, closing connection.' },
		rule: 'rate-limited',
		lesson: 'going-live-with-gmail',
	},
	'server-error': {
		id: 'server-error',
		step: 'message',
		reply: { code: 451, enhanced: '4.3.0', text: 'Mail server temporarily rejected message.' },
		rule: 'server-busy',
		lesson: 'going-live-with-gmail',
	},
	'no-such-recipient': {
		id: 'no-such-recipient',
		step: 'rcpt',
		reply: {
			code: 550,
			enhanced: '5.1.1',
			text: "The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser",
		},
		rule: 'recipient-unknown',
		lesson: 'try-the-reset',
	},
	'message-too-large': {
		id: 'message-too-large',
		step: 'message',
		reply: { code: 552, enhanced: '5.3.4', text: "Your message exceeded Google's message size limits. For more information, go to https://support.google.com/mail/?p=MaxSizeError" },
		rule: 'message-too-large',
		lesson: 'going-live-with-gmail',
	},
	'stalled-server': {
		id: 'stalled-server',
		step: 'connect',
		rule: 'greeting-timeout',
		lesson: 'settings-py',
	},
};

/** What a client that never logged in hears from Gmail at MAIL FROM, when a login drill is on. */
export const GMAIL_AUTH_REQUIRED: DrillReply = { code: 530, enhanced: '5.7.0', text: 'Authentication Required. Learn more at https://support.google.com/mail/?p=WantAuthError' };

export function isDrillId(value: unknown): value is DrillId {
	return typeof value === 'string' && (DRILL_IDS as readonly string[]).includes(value);
}

/** `535 5.7.8 Username and Password not accepted…`, the line as it goes on the wire. */
export function replyLine(reply: DrillReply): string {
	return `${reply.code} ${reply.enhanced} ${reply.text}`;
}

/**
 * The `code enhanced` of a reply (`535 5.7.8`) when it is one a drill sends, else null: how the sandbox forum
 * tells a drill's refusal from a sandbox that is down or misconfigured.
 */
export function drillReplyCode(line: string | null | undefined): string | null {
	const match = /^(\d{3})[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(line ?? '');
	if (!match) return null;
	const code = `${match[1]} ${match[2]}`;
	const known = [...DRILL_IDS.flatMap((id) => (DRILLS[id].reply ? [DRILLS[id].reply!] : [])), GMAIL_AUTH_REQUIRED];
	return known.some((reply) => `${reply.code} ${reply.enhanced}` === code) ? code : null;
}
