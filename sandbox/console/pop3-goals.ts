/**
 * The POP3 console's goals (RFC 1939), judged from the server's replies in the session, and for deletion
 * also from the store: DELE only marks, QUIT's UPDATE state removes (RFC 1939 §6), so the goal is met once
 * the mailbox really holds fewer messages after a QUIT answered +OK. A sandbox that keeps messages after
 * QUIT says so in its reply, and the hint quotes it. Browser-safe.
 */
import type { Bilingual } from '../outbound/settings/problem.ts';
import type { ConsoleEvidence } from './console-evidence.ts';
import type { GoalReport } from './console-wire.ts';
import { consoleBilingual } from '../i18n/console-messages.ts';
import { exchanges, isOk, type Exchange } from './mailread-exchanges.ts';

export const POP3_GOALS = ['pop3-login', 'pop3-list', 'pop3-retr-newest', 'pop3-dele'] as const;
export type Pop3Goal = (typeof POP3_GOALS)[number];

// Only answered exchanges are quoted, so `status` is a line; String() keeps the old template's output either way.
const said = (exchange: Exchange, why: Bilingual): Bilingual =>
	consoleBilingual('consoleGoal.pop3.said', { command: exchange.command, status: String(exchange.status), why });

const REFUSED: Bilingual = consoleBilingual('consoleGoal.pop3.refused');

/** The newest message's number: the server's STAT, LIST or login answer in this session, else the store's count at login. */
function newestNumber(all: Exchange[], evidence: ConsoleEvidence): number | null {
	let newest: number | null = null;
	for (const x of all) {
		if (!isOk(x)) continue;
		const stat = x.verb === 'STAT' ? /^\+OK (\d+)/.exec(x.status ?? '') : null;
		if (stat) newest = Number(stat[1]);
		// The login's answer often says the mailbox's size (this sandbox: `+OK 3 messages (900 octets)`).
		const login = x.verb === 'PASS' ? /^\+OK (\d+) messages?\b/i.exec(x.status ?? '') : null;
		if (login) newest = Number(login[1]);
		if (x.verb === 'LIST' && x.command.trim().split(/\s+/).length === 1) {
			const numbers = x.lines.map((l) => /^(\d+) \d+$/.exec(l)?.[1]).filter((n): n is string => n !== undefined).map(Number);
			newest = numbers.length > 0 ? Math.max(...numbers) : 0;
		}
	}
	return newest ?? evidence.mailboxSizeAtLogin;
}

export function judgePop3Goal(goal: Pop3Goal, evidence: ConsoleEvidence): GoalReport {
	const all = exchanges('pop3', evidence.entries);
	const loggedIn = all.findIndex((x) => x.verb === 'PASS' && isOk(x));
	const after = loggedIn < 0 ? [] : all.slice(loggedIn + 1);
	switch (goal) {
		case 'pop3-login': {
			if (loggedIn >= 0) return { id: goal, done: true };
			const refused = all.filter((x) => (x.verb === 'USER' || x.verb === 'PASS') && x.status !== null && !isOk(x)).at(-1);
			return refused ? { id: goal, done: false, hint: said(refused, REFUSED) } : { id: goal, done: false };
		}
		case 'pop3-list': {
			if (after.some((x) => x.verb === 'LIST' && isOk(x))) return { id: goal, done: true };
			const refused = all.filter((x) => x.verb === 'LIST' && x.status !== null).at(-1);
			return refused ? { id: goal, done: false, hint: said(refused, consoleBilingual('consoleGoal.pop3-list.loginFirst')) } : { id: goal, done: false };
		}
		case 'pop3-retr-newest': {
			const newest = newestNumber(all, evidence);
			const retrs = after.filter((x) => x.verb === 'RETR' && x.status !== null);
			if (newest !== null && retrs.some((x) => isOk(x) && Number(x.command.trim().split(/\s+/)[1]) === newest)) return { id: goal, done: true };
			const last = retrs.at(-1) ?? all.filter((x) => x.verb === 'RETR' && x.status !== null).at(-1);
			if (!last) return { id: goal, done: false };
			if (!isOk(last)) return { id: goal, done: false, hint: said(last, REFUSED) };
			const number = last.command.trim().split(/\s+/)[1] ?? '?';
			return {
				id: goal,
				done: false,
				hint: consoleBilingual('consoleGoal.pop3-retr-newest.notNewest', { number, newest: newest ?? consoleBilingual('consoleGoal.pop3-retr-newest.lastInList') }),
			};
		}
		case 'pop3-dele': {
			const dele = after.filter((x) => x.verb === 'DELE' && isOk(x));
			const quit = after.find((x) => x.verb === 'QUIT' && x.status !== null);
			const removed = evidence.mailboxSizeAtLogin !== null && evidence.mailboxSize !== null && evidence.mailboxSize < evidence.mailboxSizeAtLogin;
			if (dele.length > 0 && quit && isOk(quit) && removed) return { id: goal, done: true };
			if (dele.length > 0 && quit) {
				return {
					id: goal,
					done: false,
					hint: said(quit, consoleBilingual('consoleGoal.pop3-dele.notRemoved')),
				};
			}
			if (dele.length > 0) {
				return { id: goal, done: false, hint: consoleBilingual('consoleGoal.pop3-dele.deleOnlyMarks') };
			}
			const refused = all.filter((x) => x.verb === 'DELE' && x.status !== null).at(-1);
			return refused ? { id: goal, done: false, hint: said(refused, REFUSED) } : { id: goal, done: false };
		}
	}
}
