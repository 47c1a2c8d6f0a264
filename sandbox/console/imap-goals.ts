/**
 * The IMAP console's goals (RFC 3501), judged from the server's tagged completions and untagged data in the
 * session: the mailbox selected, the newest message's subject fetched with BODY.PEEK (which, unlike BODY[],
 * does not set \Seen, §6.4.5), and that message marked read with STORE +FLAGS (\Seen). The store's read flag
 * says whether the web inbox changed too. Browser-safe.
 */
import type { Bilingual } from '../outbound/settings/problem.ts';
import type { ConsoleEvidence } from './console-evidence.ts';
import type { GoalReport } from './console-wire.ts';
import { consoleBilingual } from '../i18n/console-messages.ts';
import { exchanges, isOk, type Exchange } from './mailread-exchanges.ts';

export const IMAP_GOALS = ['imap-select', 'imap-peek-subject', 'imap-mark-read'] as const;
export type ImapGoal = (typeof IMAP_GOALS)[number];

const said = (exchange: Exchange, why: Bilingual): Bilingual => {
	const text = consoleBilingual('consoleGoal.imap.said', { command: exchange.command, status: String(exchange.status), why });
	return { ko: text.ko.trim(), en: text.en.trim() };
};

const REFUSED: Bilingual = consoleBilingual('consoleGoal.imap.refused');

/** The message-set argument of FETCH/STORE (`3`, `*`), or null. */
const messageArgument = (x: Exchange): string | null => x.command.trim().split(/\s+/)[2] ?? null;

export function judgeImapGoal(goal: ImapGoal, evidence: ConsoleEvidence): GoalReport {
	const all = exchanges('imap', evidence.entries);
	const selectedAt = all.findIndex((x) => x.verb === 'SELECT' && isOk(x) && /^"?INBOX"?$/i.test(x.command.trim().split(/\s+/)[2] ?? ''));
	const selected = selectedAt < 0 ? [] : all.slice(selectedAt + 1);
	/** The newest message's number, from the last EXISTS the server sent. */
	let newest: number | null = null;
	for (const x of all) {
		for (const line of x.lines) {
			const exists = /^\* (\d+) EXISTS/i.exec(line);
			if (exists) newest = Number(exists[1]);
		}
	}
	const isNewest = (x: Exchange) => messageArgument(x) === '*' || (newest !== null && Number(messageArgument(x)) === newest);
	switch (goal) {
		case 'imap-select': {
			if (selectedAt >= 0) return { id: goal, done: true };
			const examine = all.find((x) => x.verb === 'EXAMINE' && isOk(x));
			if (examine) return { id: goal, done: false, hint: said(examine, consoleBilingual('consoleGoal.imap-select.examine')) };
			const refused = all.filter((x) => x.verb === 'SELECT' && x.status !== null).at(-1);
			return refused ? { id: goal, done: false, hint: said(refused, REFUSED) } : { id: goal, done: false };
		}
		case 'imap-peek-subject': {
			const fetches = selected.filter((x) => x.verb === 'FETCH' && x.status !== null);
			const peeked = fetches.find(
				(x) => isOk(x) && isNewest(x) && /BODY\.PEEK\[HEADER/i.test(x.command) && x.lines.some((l) => /^Subject:/i.test(l.trim())) && !x.lines.some((l) => /\\Seen/i.test(l)),
			);
			if (peeked) return { id: goal, done: true };
			const last = fetches.at(-1);
			if (!last) return { id: goal, done: false };
			if (!isOk(last)) return { id: goal, done: false, hint: said(last, REFUSED) };
			if (/BODY\[/i.test(last.command) && !/BODY\.PEEK/i.test(last.command)) {
				return {
					id: goal,
					done: false,
					hint: consoleBilingual('consoleGoal.imap-peek-subject.withoutPeek'),
				};
			}
			if (!isNewest(last)) {
				return {
					id: goal,
					done: false,
					hint: consoleBilingual('consoleGoal.imap-peek-subject.notNewest', { newest: newest ?? consoleBilingual('consoleGoal.imap-peek-subject.existsCount') }),
				};
			}
			return { id: goal, done: false, hint: consoleBilingual('consoleGoal.imap-peek-subject.fetchSubject') };
		}
		case 'imap-mark-read': {
			const stores = selected.filter((x) => x.verb === 'STORE' && x.status !== null);
			const marked = stores.find((x) => isOk(x) && isNewest(x) && /\+FLAGS(\.SILENT)?\s+\(?[^)]*\\Seen/i.test(x.command));
			if (marked) {
				// Done on the server's answer; whether the web inbox followed depends on the sandbox keeping flags.
				const inbox: Bilingual =
					evidence.newestRead === true
						? consoleBilingual('consoleGoal.imap-mark-read.inboxRead')
						: consoleBilingual('consoleGoal.imap-mark-read.inboxUnchanged');
				return { id: goal, done: true, hint: inbox };
			}
			const last = stores.at(-1);
			if (!last) return { id: goal, done: false };
			if (!isOk(last)) return { id: goal, done: false, hint: said(last, REFUSED) };
			return { id: goal, done: false, hint: consoleBilingual('consoleGoal.imap-mark-read.storeNewest', { newest: newest ?? '*' }) };
		}
	}
}
