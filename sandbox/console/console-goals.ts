/**
 * Every goal a console can be given (`<ProtocolConsole goal="…">`), judged for one session's evidence.
 * Browser-safe, so the lesson can list the goals with the same ids the bridge reports.
 */
import type { ConsoleEvidence } from './console-evidence.ts';
import type { ConsoleProtocol, GoalReport } from './console-wire.ts';
import { judgeSmtpGoal, SMTP_GOALS, type SmtpGoal } from './smtp-goals.ts';
import { judgePop3Goal, POP3_GOALS, type Pop3Goal } from './pop3-goals.ts';
import { judgeImapGoal, IMAP_GOALS, type ImapGoal } from './imap-goals.ts';

export const GOALS_OF: Record<ConsoleProtocol, readonly string[]> = { smtp: SMTP_GOALS, pop3: POP3_GOALS, imap: IMAP_GOALS };

export function judgeGoals(evidence: ConsoleEvidence): GoalReport[] {
	switch (evidence.protocol) {
		case 'smtp':
			return SMTP_GOALS.map((goal: SmtpGoal) => judgeSmtpGoal(goal, evidence));
		case 'pop3':
			return POP3_GOALS.map((goal: Pop3Goal) => judgePop3Goal(goal, evidence));
		case 'imap':
			return IMAP_GOALS.map((goal: ImapGoal) => judgeImapGoal(goal, evidence));
	}
}
