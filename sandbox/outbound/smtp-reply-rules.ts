/**
 * What an SMTP reply, or a failure to get one, means, as a table: each row says which replies it explains (reply
 * code, RFC 3463 enhanced status code, text, the step of the conversation) or which connection failure (Node's
 * and nodemailer's error codes), and what to tell the learner in Korean and English. The first row that matches
 * wins, so specific rows stand above general ones. Rows with a `kind` diagnose a failed send (mail:check, the
 * forum, the settings page, the labs); the rest explain a reply in a transcript (the inbox, the SMTP player).
 *
 * Reply codes follow RFC 5321 §4.2, AUTH RFC 4954, STARTTLS RFC 3207; the Gmail replies are the ones Gmail sends
 * (535 5.7.8, 534 5.7.9, 530 5.7.0, 421 4.7.0, 451 4.3.0, 550 5.1.1, 550 5.4.5, 552 5.3.4), as in Google's "Gmail SMTP
 * errors and codes" (https://support.google.com/a/answer/3726730); the sandbox's failure drills (sandbox/drills/)
 * send the same replies and are explained by these rows. Browser-safe: data and
 * small functions, no Node imports. The words are in sandbox/i18n/smtp/ (keys `smtpReply.<id>.what` and `.todo`),
 * the catalogue pages bundle with these rows.
 */
import type { Bilingual } from './settings/problem.ts';
import type { MessageParam } from '../i18n/catalogue.ts';
import { smtpBilingual } from '../i18n/smtp-messages.ts';
import type { SmtpSecurity } from './settings/email-settings-types.ts';

/** Decides mail:check's exit code: settings that cannot work, a server we could not talk to, a login refused, a message refused. */
export type FailureKind = 'config' | 'connection' | 'tls' | 'auth' | 'rejected';

/**
 * The step of the conversation a reply answers: the greeting, or the client's last command (`message` is the
 * reply after the message's final dot, `data` the one to the DATA command itself).
 */
export type SmtpStep = 'greeting' | 'ehlo' | 'starttls' | 'auth' | 'mail' | 'rcpt' | 'data' | 'message' | 'quit';

/** What the explainer knows about the attempt, to make the advice concrete. */
export interface AttemptContext {
	host?: string;
	port?: number;
	security?: SmtpSecurity;
	gmail?: boolean;
}

/** A reply, a failure below SMTP, or both, with where in the conversation it happened. */
export interface SmtpSituation {
	reply?: { code: number; enhanced?: string; text: string };
	step?: SmtpStep;
	/** nodemailer's error code (`EAUTH`, `ETIMEDOUT`, …) and Node's underneath it (`ECONNREFUSED`, a certificate code…). */
	error?: { code?: string; lowLevel?: string; message: string };
	context: AttemptContext;
}

export interface SmtpRuleMatch {
	code?: number | readonly number[];
	/** The reply's first digit (RFC 5321 §4.2.1). */
	codeClass?: 2 | 3 | 4 | 5;
	/** An RFC 3463 code such as `5.7.8`, or a pattern for a family of them. */
	enhanced?: string | RegExp;
	/** Tested against the reply text and the error message together, lower-cased. */
	text?: RegExp;
	step?: SmtpStep | readonly SmtpStep[];
	/** nodemailer's or Node's error code, for failures that are not replies. */
	error?: readonly string[];
	/** What the fields above cannot say. */
	when?: (situation: SmtpSituation) => boolean;
}

type Say = Bilingual | ((situation: SmtpSituation) => Bilingual);

export interface SmtpRule {
	/** Stable id, e.g. `auth-rejected` (also what the pages' tests look for). */
	id: string;
	match: SmtpRuleMatch;
	/** Set on rows that diagnose a failed send. */
	kind?: FailureKind;
	what: Say;
	todo?: Say;
	/** The `.env` variables to look at, most likely first. */
	settings?: readonly string[];
	/** The RFC section that defines the reply. */
	ref?: string;
}

const CERTIFICATE_CODES = [
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_GET_ISSUER_CERT',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
];

/** ` 5.7.8` after the code when the reply had an enhanced status code. */
const enhanced = (s: SmtpSituation): string => (s.reply?.enhanced ? ` ${s.reply.enhanced}` : '');
/** `535 5.7.8`, or the code alone. */
const replyCode = (s: SmtpSituation): string => `${s.reply?.code ?? ''}${enhanced(s)}`;
/** `host:port`, or "the server" in the reader's language when the attempt named no host. */
const where = (s: SmtpSituation): MessageParam => (s.context.host ? `${s.context.host}:${s.context.port ?? '?'}` : smtpBilingual('smtpReply.theServer'));
const lowLevel = (s: SmtpSituation): string => s.error?.lowLevel ?? s.error?.code ?? '';

const GOOGLE_APP_PASSWORD: Bilingual = smtpBilingual('smtpReply.googleAppPassword');
const TRY_LATER: Bilingual = smtpBilingual('smtpReply.tryLater');

/** Diagnoses of failed sends: replies first (most specific first), then failures below SMTP. */
const DIAGNOSES: readonly SmtpRule[] = [
	{
		id: 'auth-rejected',
		match: { code: 535 },
		kind: 'auth',
		what: (s) => smtpBilingual('smtpReply.auth-rejected.what', { replyCode: replyCode(s) }),
		todo: GOOGLE_APP_PASSWORD,
		settings: ['EMAIL_HOST_PASSWORD', 'EMAIL_HOST_USER'],
		ref: 'RFC 4954 §6',
	},
	{
		id: 'app-password-required',
		match: { code: 534 },
		kind: 'auth',
		what: (s) => smtpBilingual('smtpReply.app-password-required.what', { replyCode: replyCode(s) }),
		todo: smtpBilingual('smtpReply.app-password-required.todo'),
		settings: ['EMAIL_HOST_PASSWORD'],
		ref: 'RFC 4954 §6',
	},
	{
		id: 'starttls-required',
		match: { code: [530, 538], when: (s) => s.reply?.code === 538 || /starttls/i.test(`${s.reply?.text ?? ''} ${s.error?.message ?? ''}`) },
		kind: 'tls',
		what: (s) => smtpBilingual('smtpReply.starttls-required.what', { replyCode: replyCode(s) }),
		todo: smtpBilingual('smtpReply.starttls-required.todo'),
		settings: ['EMAIL_USE_TLS', 'EMAIL_PORT'],
		ref: 'RFC 3207 §4',
	},
	{
		id: 'auth-required',
		match: { code: 530 },
		kind: 'auth',
		what: (s) => smtpBilingual('smtpReply.auth-required.what', { replyCode: replyCode(s) }),
		todo: smtpBilingual('smtpReply.auth-required.todo'),
		settings: ['EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD'],
		ref: 'RFC 4954 §6',
	},
	{
		id: 'daily-limit',
		// Gmail's 550 5.4.5 "Daily user sending limit exceeded" (RFC 3463 X.4.5, congestion, used by Gmail for its quota).
		match: { enhanced: '5.4.5' },
		kind: 'rejected',
		what: (s) => smtpBilingual('smtpReply.daily-limit.what', { replyCode: replyCode(s) }),
		todo: smtpBilingual('smtpReply.daily-limit.todo'),
		settings: [],
		ref: 'RFC 3463 §3.5',
	},
	{
		id: 'rate-limited',
		// 421 4.7.0 and 454 4.7.0: too many connections or logins for now; 550 5.4.5: Gmail's daily sending limit.
		match: { when: (s) => s.reply?.code === 421 || s.reply?.code === 454 || s.reply?.enhanced === '5.4.5' || (s.reply?.enhanced?.startsWith('4.7.') ?? false) },
		kind: 'rejected',
		what: (s) => smtpBilingual('smtpReply.rate-limited.what', { replyCode: replyCode(s) }),
		todo: TRY_LATER,
		settings: [],
		ref: 'RFC 3463 §3.8',
	},
	{
		id: 'server-busy',
		// Gmail's 451 4.3.0: a problem on the server's side; the same message goes through later.
		match: { code: 451 },
		kind: 'rejected',
		what: (s) => smtpBilingual('smtpReply.server-busy.what', { replyCode: replyCode(s) }),
		todo: smtpBilingual('smtpReply.server-busy.todo'),
		settings: [],
		ref: 'RFC 5321 §4.2.1',
	},
	{
		id: 'message-too-large',
		// 552 at MAIL FROM (the SIZE= it announced) or after the data; Gmail says 552 5.3.4.
		match: { when: (s) => s.reply?.code === 552 || s.reply?.enhanced === '5.3.4' },
		kind: 'rejected',
		what: (s) => smtpBilingual('smtpReply.message-too-large.what', { replyCode: replyCode(s) }),
		todo: smtpBilingual('smtpReply.message-too-large.todo'),
		settings: [],
		ref: 'RFC 1870 §6',
	},
	{
		id: 'recipient-unknown',
		// Gmail's 550 5.1.1 "The email account that you tried to reach does not exist."
		match: { enhanced: /^5\.1\.(1|10)$/ },
		kind: 'rejected',
		what: (s) => smtpBilingual('smtpReply.recipient-unknown.what', { replyCode: replyCode(s) }),
		todo: smtpBilingual('smtpReply.recipient-unknown.todo'),
		settings: [],
		ref: 'RFC 3463 §3.2',
	},
	{
		id: 'sender-rejected',
		// 503 at MAIL is a command out of order (MAIL before EHLO, twice in one transaction), not a refused sender.
		match: { codeClass: 5, when: (s) => (s.step === 'mail' && s.reply?.code !== 503) || s.reply?.code === 553 },
		kind: 'rejected',
		what: (s) => smtpBilingual('smtpReply.sender-rejected.what', { replyCode: replyCode(s) }),
		todo: smtpBilingual('smtpReply.sender-rejected.todo'),
		settings: ['DEFAULT_FROM_EMAIL', 'EMAIL_HOST_USER'],
		ref: 'RFC 5321 §4.2.2',
	},
	{
		id: 'recipient-rejected',
		// 503 at RCPT is RCPT before MAIL (bad sequence, reply-503 below), not a refused address.
		match: { codeClass: 5, step: 'rcpt', when: (s) => s.reply?.code !== 503 },
		kind: 'rejected',
		what: (s) => smtpBilingual('smtpReply.recipient-rejected.what', { replyCode: replyCode(s) }),
		todo: smtpBilingual('smtpReply.recipient-rejected.todo'),
		settings: [],
		ref: 'RFC 5321 §4.2.2',
	},
	{
		id: 'tls-wrong-version',
		match: { when: (s) => lowLevel(s) === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(s.error?.message ?? '') },
		kind: 'tls',
		what: (s) => smtpBilingual('smtpReply.tls-wrong-version.what', { where: where(s) }),
		todo: smtpBilingual('smtpReply.tls-wrong-version.todo'),
		settings: ['EMAIL_USE_SSL', 'EMAIL_USE_TLS', 'EMAIL_PORT'],
	},
	{
		id: 'certificate-name-mismatch',
		match: { error: ['ERR_TLS_CERT_ALTNAME_INVALID'] },
		kind: 'tls',
		what: (s) => smtpBilingual('smtpReply.certificate-name-mismatch.what', { host: s.context.host ?? '' }),
		todo: smtpBilingual('smtpReply.certificate-name-mismatch.todo'),
		settings: ['EMAIL_HOST'],
	},
	{
		id: 'certificate-untrusted',
		match: { when: (s) => CERTIFICATE_CODES.includes(lowLevel(s)) || /certificate/i.test(s.error?.message ?? '') },
		kind: 'tls',
		what: (s) => smtpBilingual('smtpReply.certificate-untrusted.what', { lowLevel: lowLevel(s) || 'certificate' }),
		todo: smtpBilingual('smtpReply.certificate-untrusted.todo'),
		settings: ['EMAIL_HOST'],
	},
	{
		id: 'greeting-timeout',
		// With TLS from the first byte the handshake already worked, so a missing greeting is a slow server.
		match: { error: ['ETIMEDOUT'], text: /greeting/, when: (s) => s.context.security !== 'implicit' },
		kind: 'tls',
		what: (s) => smtpBilingual('smtpReply.greeting-timeout.what', { where: where(s) }),
		todo: smtpBilingual('smtpReply.greeting-timeout.todo'),
		settings: ['EMAIL_USE_SSL', 'EMAIL_USE_TLS', 'EMAIL_PORT', 'EMAIL_TIMEOUT'],
	},
	{
		id: 'greeting-timeout',
		match: { error: ['ETIMEDOUT'], text: /greeting/ },
		kind: 'connection',
		what: (s) => smtpBilingual('smtpReply.greeting-timeout.afterTls.what', { where: where(s) }),
		todo: smtpBilingual('smtpReply.greeting-timeout.afterTls.todo'),
		settings: ['EMAIL_TIMEOUT'],
	},
	{
		id: 'connection-refused',
		match: { error: ['ECONNREFUSED'] },
		kind: 'connection',
		what: (s) => smtpBilingual('smtpReply.connection-refused.what', { where: where(s) }),
		todo: smtpBilingual('smtpReply.connection-refused.todo'),
		settings: ['EMAIL_PORT', 'EMAIL_HOST'],
	},
	{
		id: 'dns-unavailable',
		match: { error: ['EAI_AGAIN'] },
		kind: 'connection',
		what: (s) => smtpBilingual('smtpReply.dns-unavailable.what', { host: s.context.host ?? 'EMAIL_HOST' }),
		todo: smtpBilingual('smtpReply.dns-unavailable.todo'),
		settings: ['EMAIL_HOST'],
	},
	{
		id: 'dns-not-found',
		match: { error: ['ENOTFOUND', 'EDNS'] },
		kind: 'connection',
		what: (s) => smtpBilingual('smtpReply.dns-not-found.what', { host: s.context.host ?? 'EMAIL_HOST' }),
		todo: smtpBilingual('smtpReply.dns-not-found.todo'),
		settings: ['EMAIL_HOST'],
	},
	{
		id: 'connection-timeout',
		match: { error: ['ETIMEDOUT'] },
		kind: 'connection',
		what: (s) => smtpBilingual('smtpReply.connection-timeout.what', { where: where(s) }),
		todo: smtpBilingual('smtpReply.connection-timeout.todo'),
		settings: ['EMAIL_PORT', 'EMAIL_HOST', 'EMAIL_TIMEOUT'],
	},
	{
		id: 'starttls-failed',
		match: { error: ['ETLS'] },
		kind: 'tls',
		what: smtpBilingual('smtpReply.starttls-failed.what'),
		todo: smtpBilingual('smtpReply.starttls-failed.todo'),
		settings: ['EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'EMAIL_PORT'],
	},
	{
		id: 'connection-closed',
		match: { error: ['ECONNECTION', 'ECONNRESET', 'ESOCKET'] },
		kind: 'connection',
		what: (s) => smtpBilingual('smtpReply.connection-closed.what', { where: where(s), lowLevel: lowLevel(s) }),
		todo: smtpBilingual('smtpReply.connection-closed.todo'),
		settings: ['EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL'],
	},
	{
		id: 'auth-failed',
		match: { error: ['EAUTH'] },
		kind: 'auth',
		what: (s) => smtpBilingual('smtpReply.auth-failed.what', { message: s.error?.message ?? '' }),
		todo: smtpBilingual('smtpReply.auth-failed.todo'),
		settings: ['EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD'],
	},
];

/** What a reply means when nothing went wrong, or when no diagnosis above fits (RFC 5321 §4.2.2 and friends). */
const MEANINGS: readonly SmtpRule[] = [
	{ id: 'reply-220-starttls', match: { code: 220, step: 'starttls' }, what: smtpBilingual('smtpReply.reply-220-starttls.what'), ref: 'RFC 3207 §4' },
	{ id: 'reply-220', match: { code: 220 }, what: smtpBilingual('smtpReply.reply-220.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-221', match: { code: 221 }, what: smtpBilingual('smtpReply.reply-221.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-235', match: { code: 235 }, what: smtpBilingual('smtpReply.reply-235.what'), ref: 'RFC 4954 §6' },
	{ id: 'reply-250-message', match: { code: 250, step: 'message' }, what: smtpBilingual('smtpReply.reply-250-message.what'), ref: 'RFC 5321 §4.1.1.4' },
	{ id: 'reply-250', match: { code: 250 }, what: smtpBilingual('smtpReply.reply-250.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-251', match: { code: 251 }, what: smtpBilingual('smtpReply.reply-251.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-334', match: { code: 334 }, what: smtpBilingual('smtpReply.reply-334.what'), ref: 'RFC 4954 §4' },
	{ id: 'reply-354', match: { code: 354 }, what: smtpBilingual('smtpReply.reply-354.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-421', match: { code: 421 }, what: smtpBilingual('smtpReply.reply-421.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-450', match: { code: 450 }, what: smtpBilingual('smtpReply.reply-450.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-451', match: { code: 451 }, what: smtpBilingual('smtpReply.reply-451.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-452', match: { code: 452 }, what: smtpBilingual('smtpReply.reply-452.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-500', match: { code: 500 }, what: smtpBilingual('smtpReply.reply-500.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-501', match: { code: 501 }, what: smtpBilingual('smtpReply.reply-501.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-502', match: { code: 502 }, what: smtpBilingual('smtpReply.reply-502.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-503', match: { code: 503 }, what: smtpBilingual('smtpReply.reply-503.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-504', match: { code: 504 }, what: smtpBilingual('smtpReply.reply-504.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-550', match: { code: 550 }, what: smtpBilingual('smtpReply.reply-550.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-553', match: { code: 553 }, what: smtpBilingual('smtpReply.reply-553.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-554', match: { code: 554 }, what: smtpBilingual('smtpReply.reply-554.what'), ref: 'RFC 5321 §4.2.2' },
	{ id: 'class-2', match: { codeClass: 2 }, what: smtpBilingual('smtpReply.class-2.what'), ref: 'RFC 5321 §4.2.1' },
	{ id: 'class-3', match: { codeClass: 3 }, what: smtpBilingual('smtpReply.class-3.what'), ref: 'RFC 5321 §4.2.1' },
	{ id: 'class-4', match: { codeClass: 4 }, what: smtpBilingual('smtpReply.class-4.what'), ref: 'RFC 5321 §4.2.1' },
	{ id: 'class-5', match: { codeClass: 5 }, what: smtpBilingual('smtpReply.class-5.what'), ref: 'RFC 5321 §4.2.1' },
];

/** Every row, diagnoses first; the first that matches a situation explains it. */
export const SMTP_REPLY_RULES: readonly SmtpRule[] = [...DIAGNOSES, ...MEANINGS];
