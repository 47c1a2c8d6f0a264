/**
 * The SMTP console's goals (issue 17), each judged from evidence the sandbox produced (console-evidence.ts):
 * a message the store holds, the envelope the capture server recorded, the server's own replies. Reply
 * meanings come from the shared table (sandbox/outbound/smtp-reply-rules.ts) that the inbox and the SMTP
 * player use, so a hint says the same thing the transcript views say. Browser-safe.
 */
import type { Bilingual } from '../outbound/settings/problem.ts';
import { explainReply, parseReply, stepOfCommand } from '../outbound/smtp-reply-explainer.ts';
import type { SmtpStep } from '../outbound/smtp-reply-rules.ts';
import type { ConsoleEvidence } from './console-evidence.ts';
import type { GoalReport } from './console-wire.ts';
import { consoleBilingual } from '../i18n/console-messages.ts';

export const SMTP_GOALS = ['smtp-deliver', 'smtp-envelope', 'smtp-starttls-auth', 'smtp-refusal'] as const;
export type SmtpGoal = (typeof SMTP_GOALS)[number];

/** One final reply line and what led to it. */
interface SmtpReply {
	line: string;
	code: number;
	step: SmtpStep;
	/** The command it answers, as the transcript shows it. */
	command: string;
	/** The connection was TLS when the reply arrived. */
	tls: boolean;
}

/**
 * The final line of each reply (a multi-line reply's last, `250 ` not `250-`), with the command it answers.
 * Replies come in the order of the commands, so with pipelining (RFC 2920) the oldest unanswered command
 * owns the next reply; the message's text after 354 gets no reply until its final dot.
 */
export function smtpReplies(evidence: ConsoleEvidence): SmtpReply[] {
	const replies: SmtpReply[] = [];
	const pending: Array<{ command: string; step: SmtpStep }> = [];
	let tls = false;
	let inData = false;
	let lastStep: SmtpStep = 'greeting';
	for (const entry of evidence.entries) {
		if (entry.from === 'tls') {
			tls = true;
			continue;
		}
		if (entry.from === 'client') {
			if (inData) {
				if (entry.line === '.') {
					inData = false;
					pending.push({ command: '.', step: 'message' });
				}
				continue;
			}
			// A line without a verb answers a 334 challenge (AUTH LOGIN's user and password): still the AUTH step.
			lastStep = stepOfCommand(entry.line) ?? lastStep;
			pending.push({ command: entry.line, step: lastStep });
			continue;
		}
		const reply = parseReply(entry.line);
		if (!reply || /^\d{3}-/.test(entry.line)) continue;
		const answered = pending.shift() ?? { command: '', step: 'greeting' as SmtpStep };
		if (reply.code === 354) inData = true;
		replies.push({ line: entry.line, code: reply.code, step: answered.step, command: answered.command, tls });
	}
	return replies;
}

const explained = (reply: SmtpReply): Bilingual => ({
	ko: explainReply(reply.line, 'ko', reply.step)?.text ?? '',
	en: explainReply(reply.line, 'en', reply.step)?.text ?? '',
});

/** "The server answered `…`: <why>": a refusal named and explained. */
function refusalHint(reply: SmtpReply, next: Bilingual): Bilingual {
	const why = explained(reply);
	const text = consoleBilingual('consoleGoal.smtp.refusal', { line: reply.line, why, next });
	return { ko: text.ko.trim(), en: text.en.trim() };
}

function lastRefusal(replies: SmtpReply[]): SmtpReply | undefined {
	return replies.filter((r) => r.code >= 400).at(-1);
}

const sameAddresses = (a: readonly string[], b: readonly string[]): boolean => {
	const norm = (list: readonly string[]) => [...new Set(list.map((x) => x.trim().toLowerCase()))].sort().join('\n');
	return norm(a) === norm(b);
};

export function judgeSmtpGoal(goal: SmtpGoal, evidence: ConsoleEvidence): GoalReport {
	const replies = smtpReplies(evidence);
	const refusal = lastRefusal(replies);
	const delivered = evidence.delivered.filter((m) => m.inOwnMailbox);
	switch (goal) {
		case 'smtp-deliver': {
			if (delivered.length > 0) return { id: goal, done: true };
			if (refusal) return { id: goal, done: false, hint: refusalHint(refusal, consoleBilingual('consoleGoal.smtp-deliver.order')) };
			return { id: goal, done: false };
		}
		case 'smtp-envelope': {
			if (delivered.some((m) => !sameAddresses(m.envelopeTo, m.headerTo))) return { id: goal, done: true };
			const last = delivered.at(-1);
			if (last) {
				const both = last.envelopeTo.join(', ') || '-';
				return {
					id: goal,
					done: false,
					hint: consoleBilingual('consoleGoal.smtp-envelope.sameAddresses', { both }),
				};
			}
			// A refusal on the way is the delivery goal's hint; repeating it here would be noise.
			return { id: goal, done: false };
		}
		case 'smtp-starttls-auth': {
			if (replies.some((r) => r.code === 235 && r.tls)) return { id: goal, done: true };
			const plainLogin = replies.find((r) => r.code === 235 && !r.tls);
			if (plainLogin) {
				return {
					id: goal,
					done: false,
					hint: consoleBilingual('consoleGoal.smtp-starttls-auth.plainLogin'),
				};
			}
			const authRefusal = replies.filter((r) => r.code >= 400 && (r.step === 'auth' || r.step === 'starttls')).at(-1);
			if (authRefusal) return { id: goal, done: false, hint: refusalHint(authRefusal, { ko: '', en: '' }) };
			return { id: goal, done: false };
		}
		case 'smtp-refusal': {
			const provoked = replies.find((r) => (r.code === 503 && r.step === 'rcpt') || (r.code === 552 && r.step === 'mail' && /\bSIZE=/i.test(r.command)));
			if (provoked) return { id: goal, done: true, hint: refusalHint(provoked, { ko: '', en: '' }) };
			if (refusal) {
				return {
					id: goal,
					done: false,
					hint: refusalHint(refusal, consoleBilingual('consoleGoal.smtp-refusal.otherRefusal')),
				};
			}
			return { id: goal, done: false };
		}
	}
}
