/**
 * Explains SMTP replies and failed sends with the rules of smtp-reply-rules.ts, for every place that shows them:
 * a failed real send (nodemailer's error: `code`, `originalCode`, `responseCode`, `response`, `command`) in
 * mail:check, the forum, the settings page and the port/TLS lab; and each reply line of a transcript in the inbox
 * and the SMTP player. Browser-safe: no Node imports.
 */
import type { Bilingual, Lang } from './settings/problem.ts';
import { smtpBilingual } from '../i18n/smtp-messages.ts';
import { SMTP_REPLY_RULES, type AttemptContext, type FailureKind, type SmtpRule, type SmtpSituation, type SmtpStep } from './smtp-reply-rules.ts';

export interface SmtpExplanation {
	/** Stable id, e.g. `auth-rejected`. */
	id: string;
	kind: FailureKind;
	what: Bilingual;
	todo: Bilingual;
	/** The `.env` variables to look at, most likely first. */
	settings: string[];
	/** The server's reply line, when there was one. */
	reply?: string;
}

/** The fields of a nodemailer error that matter here. */
export interface SmtpErrorFacts {
	code?: string;
	originalCode?: string;
	responseCode?: number;
	response?: string;
	command?: string;
	message: string;
}

/** A line's meaning for the transcript views. */
export interface LineExplanation {
	/** The command keyword, reply code or EHLO keyword that was recognised, e.g. `MAIL FROM` or `250`. */
	term: string;
	text: string;
	ref: string;
}

export function smtpErrorFacts(error: unknown): SmtpErrorFacts {
	const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
	const text = (key: string): string | undefined => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
	const message = typeof record['message'] === 'string' ? record['message'] : String(error);
	const facts: SmtpErrorFacts = { message };
	const code = text('code');
	const originalCode = text('originalCode');
	const response = text('response');
	const command = text('command');
	if (code !== undefined) facts.code = code;
	if (originalCode !== undefined) facts.originalCode = originalCode;
	if (response !== undefined) facts.response = response.trim();
	if (command !== undefined) facts.command = command;
	const responseCode = typeof record['responseCode'] === 'number' ? record['responseCode'] : Number(/^(\d{3})/.exec(response ?? '')?.[1]);
	if (Number.isInteger(responseCode) && responseCode > 0) facts.responseCode = responseCode;
	return facts;
}

/** `535-5.7.8 Username…` → code, enhanced status code (RFC 3463) and text; null when the line is no reply. */
export function parseReply(line: string): { code: number; enhanced?: string; text: string } | null {
	const match = /^([2-5]\d\d)(?:[ -]|$)(?:([245]\.\d{1,3}\.\d{1,3})(?: |$))?(.*)$/s.exec(line);
	if (!match) return null;
	const reply: { code: number; enhanced?: string; text: string } = { code: Number(match[1]), text: match[3] ?? '' };
	if (match[2] !== undefined) reply.enhanced = match[2];
	return reply;
}

/** The step a client command line starts, or null for lines that are not commands (an AUTH payload, garbage). */
export function stepOfCommand(line: string): SmtpStep | null {
	const verb = /^\s*([A-Za-z]+)(?:\s+([A-Za-z]+))?/.exec(line);
	const first = verb?.[1]?.toUpperCase();
	switch (first) {
		case 'EHLO':
		case 'HELO':
		case 'LHLO':
			return 'ehlo';
		case 'STARTTLS':
			return 'starttls';
		case 'AUTH':
			return 'auth';
		case 'MAIL':
			return 'mail';
		case 'RCPT':
			return 'rcpt';
		case 'DATA':
		case 'BDAT':
			return 'data';
		case 'QUIT':
			return 'quit';
		default:
			return null;
	}
}

/** nodemailer names the command it was running when it failed; `EMESSAGE` at DATA is the reply after the final dot. */
function stepOfFailure(facts: SmtpErrorFacts): SmtpStep | undefined {
	if (facts.command === 'CONN') return facts.response === undefined ? undefined : 'greeting';
	if (facts.command === 'DATA' && facts.code === 'EMESSAGE') return 'message';
	return (facts.command === undefined ? null : stepOfCommand(facts.command)) ?? undefined;
}

/**
 * For each transcript line, the step of the conversation it belongs to: the greeting until the first command,
 * then the last command's; the reply after a 354 answers the message itself.
 */
export function transcriptSteps(entries: ReadonlyArray<{ from: string; line: string }>): SmtpStep[] {
	let step: SmtpStep = 'greeting';
	return entries.map((entry) => {
		if (entry.from === 'client') {
			step = stepOfCommand(entry.line) ?? step;
			return step;
		}
		const current = step;
		if (entry.from === 'server' && step === 'data' && parseReply(entry.line)?.code === 354) step = 'message';
		return current;
	});
}

function matches(rule: SmtpRule, s: SmtpSituation): boolean {
	const { match } = rule;
	const code = s.reply?.code;
	if (match.code !== undefined && (code === undefined || !(typeof match.code === 'number' ? [match.code] : match.code).includes(code))) return false;
	if (match.codeClass !== undefined && (code === undefined || Math.floor(code / 100) !== match.codeClass)) return false;
	if (match.enhanced !== undefined) {
		const wanted = match.enhanced;
		const actual = s.reply?.enhanced;
		if (actual === undefined || (typeof wanted === 'string' ? actual !== wanted : !wanted.test(actual))) return false;
	}
	if (match.step !== undefined && (s.step === undefined || !(typeof match.step === 'string' ? [match.step] : match.step).includes(s.step))) return false;
	if (match.error !== undefined && !match.error.some((wanted) => wanted === s.error?.code || wanted === s.error?.lowLevel)) return false;
	if (match.text !== undefined && !match.text.test(`${s.reply?.text ?? ''} ${s.error?.message ?? ''}`.toLowerCase())) return false;
	return match.when === undefined || match.when(s);
}

const say = (text: SmtpRule['what'] | undefined, s: SmtpSituation): Bilingual => (text === undefined ? { ko: '', en: '' } : typeof text === 'function' ? text(s) : text);

/** The first rule that explains the situation (only diagnoses when `diagnosis` is set), or null. */
export function findRule(s: SmtpSituation, options: { diagnosis?: boolean } = {}): SmtpRule | null {
	return SMTP_REPLY_RULES.find((rule) => (!options.diagnosis || rule.kind !== undefined) && matches(rule, s)) ?? null;
}

/** Maps a nodemailer error to an explanation. Never returns the password: nodemailer's errors do not hold it, and replies are only copied. */
export function explainSmtpError(error: unknown, context: AttemptContext = {}): SmtpExplanation {
	const facts = smtpErrorFacts(error);
	const parsed = facts.response === undefined ? null : parseReply(facts.response);
	const failure: NonNullable<SmtpSituation['error']> = { message: facts.message };
	if (facts.code !== undefined) failure.code = facts.code;
	if (facts.originalCode !== undefined) failure.lowLevel = facts.originalCode;
	const situation: SmtpSituation = { context, error: failure };
	if (facts.responseCode !== undefined) {
		situation.reply = { code: facts.responseCode, text: parsed?.text ?? facts.response ?? '' };
		if (parsed?.enhanced !== undefined) situation.reply.enhanced = parsed.enhanced;
	}
	const step = stepOfFailure(facts);
	if (step !== undefined) situation.step = step;

	const rule = findRule(situation, { diagnosis: true });
	const explanation: SmtpExplanation = rule
		? { id: rule.id, kind: rule.kind ?? 'rejected', what: say(rule.what, situation), todo: say(rule.todo, situation), settings: [...(rule.settings ?? [])] }
		: {
				id: 'unknown',
				kind: facts.responseCode !== undefined ? 'rejected' : 'connection',
				what: smtpBilingual('smtpReply.unknown.what', { message: facts.message }),
				todo: smtpBilingual('smtpReply.unknown.todo'),
				settings: [],
			};
	if (facts.response) explanation.reply = facts.response;
	return explanation;
}

/**
 * Explains a server reply line such as `250 2.0.0 Ok` or `535 5.7.8 …` for a transcript view. With the step it
 * answers (see `transcriptSteps`), replies that mean different things at different steps are told apart.
 */
export function explainReply(line: string, lang: Lang, step?: SmtpStep): LineExplanation | null {
	const reply = parseReply(line);
	if (!reply) return null;
	const situation: SmtpSituation = step === undefined ? { reply, context: {} } : { reply, step, context: {} };
	const rule = findRule(situation);
	if (!rule) return null;
	return { term: String(reply.code), text: say(rule.what, situation)[lang], ref: rule.ref ?? 'RFC 5321 §4.2' };
}

/** Gmail's answer to a command that needs TLS first (Google's Gmail SMTP errors reference). */
const MUST_STARTTLS = '530 5.7.0 Must issue a STARTTLS command first.';

/**
 * What a refusal at a known step means and what to do, from the diagnosis rows (the same words mail:check
 * prints): for the failure drills' replies in the inbox panel and the lessons. `line` null: the server never
 * greeted (the stalled-server drill), explained as the client's greeting timeout.
 */
export function explainRefusal(line: string | null, step: SmtpStep | 'connect', lang: Lang): { id: string; what: string; todo: string } | null {
	// No reply at EHLO: AUTH was withheld before STARTTLS; explained as the reply any command would have had.
	const reply = line === null ? (step === 'ehlo' ? parseReply(MUST_STARTTLS) : null) : parseReply(line);
	const situation: SmtpSituation =
		reply === null
			? { error: { code: 'ETIMEDOUT', message: 'Greeting never received' }, context: {} }
			: { reply, step: step === 'connect' ? 'greeting' : step, context: {} };
	const rule = findRule(situation, { diagnosis: true });
	if (!rule) return null;
	return { id: rule.id, what: say(rule.what, situation)[lang], todo: say(rule.todo, situation)[lang] };
}
