/** The IMAP console's goals (RFC 3501), judged from the server's tagged replies and the store. Browser-safe. */
import type { ConsoleEvidence } from './console-evidence.ts';
import type { GoalReport } from './console-wire.ts';

export const IMAP_GOALS = ['imap-select', 'imap-peek-subject', 'imap-mark-read'] as const;
export type ImapGoal = (typeof IMAP_GOALS)[number];

export function judgeImapGoal(goal: ImapGoal, _evidence: ConsoleEvidence): GoalReport {
	return { id: goal, done: false };
}
