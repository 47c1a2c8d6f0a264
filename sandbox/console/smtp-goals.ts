/**
 * The SMTP console's goals (issue 17), each judged from evidence the sandbox produced (console-evidence.ts):
 * a message the store holds, the envelope the capture server recorded, the server's own replies. Reply
 * meanings come from the shared table (sandbox/transport/smtp-reply-rules.ts) that the inbox and the SMTP
 * player use, so a hint says the same thing the transcript views say. Browser-safe.
 */
import type { Bilingual } from '../email-settings/problem.ts';
import { explainReply, parseReply, stepOfCommand } from '../transport/smtp-reply-explainer.ts';
import type { SmtpStep } from '../transport/smtp-reply-rules.ts';
import type { ConsoleEvidence } from './console-evidence.ts';
import type { GoalReport } from './console-wire.ts';

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
	return {
		ko: `서버가 "${reply.line}"(이)라고 답했습니다. ${why.ko} ${next.ko}`.trim(),
		en: `The server answered "${reply.line}". ${why.en} ${next.en}`.trim(),
	};
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
			if (refusal) return { id: goal, done: false, hint: refusalHint(refusal, { ko: '순서: EHLO, MAIL FROM, RCPT TO, DATA, 본문, 점(.) 한 줄.', en: 'The order is EHLO, MAIL FROM, RCPT TO, DATA, the message, a line with a single dot.' }) };
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
					hint: {
						ko: `방금 보낸 메일은 봉투(RCPT TO)와 To: 헤더가 같았습니다(${both}). RCPT TO에는 다른 주소를 쓰고, 본문의 To: 줄은 그대로 두고 한 통 더 보내 보세요.`,
						en: `The message you just sent had the same envelope recipient (RCPT TO) and To: header (${both}). Send one more whose RCPT TO names another address than its To: line.`,
					},
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
					hint: {
						ko: '서버가 235로 로그인을 받았지만 연결은 아직 암호화되지 않았습니다. base64일 뿐인 비밀번호가 평문으로 지나갔습니다. 새 세션에서 EHLO 다음에 STARTTLS를 먼저 보내고, 다시 EHLO 한 뒤 AUTH 하세요.',
						en: 'The server took the login (235), but the connection was not encrypted yet: the password crossed the wire as plain base64. In a new session send STARTTLS right after EHLO, then EHLO again, then AUTH.',
					},
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
					hint: refusalHint(refusal, {
						ko: '이 목표에는 다른 거절이 필요합니다. MAIL FROM 없이 RCPT TO를 보내거나, MAIL FROM:<me@example.com> SIZE=999999999 처럼 한도보다 큰 크기를 알려 보세요.',
						en: 'This goal wants another refusal: send RCPT TO without MAIL FROM, or announce a size over the limit, e.g. MAIL FROM:<me@example.com> SIZE=999999999.',
					}),
				};
			}
			return { id: goal, done: false };
		}
	}
}
