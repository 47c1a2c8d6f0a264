/** The POP3 console's goals (RFC 1939), judged from the server's replies and the store. Browser-safe. */
import type { ConsoleEvidence } from './console-evidence.ts';
import type { GoalReport } from './console-wire.ts';

export const POP3_GOALS = ['pop3-login', 'pop3-list', 'pop3-retr-newest', 'pop3-dele'] as const;
export type Pop3Goal = (typeof POP3_GOALS)[number];

export function judgePop3Goal(goal: Pop3Goal, _evidence: ConsoleEvidence): GoalReport {
	return { id: goal, done: false };
}
