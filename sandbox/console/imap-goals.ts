/**
 * The IMAP console's goals (RFC 3501), judged from the server's tagged completions and untagged data in the
 * session: the mailbox selected, the newest message's subject fetched with BODY.PEEK (which, unlike BODY[],
 * does not set \Seen, §6.4.5), and that message marked read with STORE +FLAGS (\Seen). The store's read flag
 * says whether the web inbox changed too. Browser-safe.
 */
import type { Bilingual } from '../email-settings/problem.ts';
import type { ConsoleEvidence } from './console-evidence.ts';
import type { GoalReport } from './console-wire.ts';
import { exchanges, isOk, type Exchange } from './mailread-exchanges.ts';

export const IMAP_GOALS = ['imap-select', 'imap-peek-subject', 'imap-mark-read'] as const;
export type ImapGoal = (typeof IMAP_GOALS)[number];

const said = (exchange: Exchange, why: Bilingual): Bilingual => ({
	ko: `서버가 "${exchange.command}"에 "${exchange.status}"(이)라고 답했습니다. ${why.ko}`.trim(),
	en: `The server answered "${exchange.command}" with "${exchange.status}". ${why.en}`.trim(),
});

const REFUSED: Bilingual = {
	ko: 'NO는 거절, BAD는 명령을 이해하지 못했다는 뜻입니다(태그, 철자, 괄호를 확인하세요).',
	en: 'NO is a refusal; BAD means the server could not parse the command (check the tag, spelling and parentheses).',
};

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
			if (examine) return { id: goal, done: false, hint: said(examine, { ko: 'EXAMINE는 읽기 전용으로 엽니다. 이 목표는 SELECT INBOX입니다.', en: 'EXAMINE opens the mailbox read-only; this goal wants SELECT INBOX.' }) };
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
					hint: {
						ko: 'BODY[…]는 .PEEK 없이 읽으면 메일을 읽음(\\Seen)으로 표시합니다. BODY.PEEK[HEADER.FIELDS (SUBJECT)]로 다시 가져오세요.',
						en: 'BODY[…] without .PEEK marks the message read (\\Seen). Fetch it again with BODY.PEEK[HEADER.FIELDS (SUBJECT)].',
					},
				};
			}
			if (!isNewest(last)) {
				return {
					id: goal,
					done: false,
					hint: {
						ko: `가장 새 메일은 ${newest ?? 'SELECT가 알려 준 EXISTS'}번입니다(SELECT의 EXISTS 값).`,
						en: `The newest message is number ${newest ?? 'EXISTS'} (the EXISTS count SELECT reported).`,
					},
				};
			}
			return { id: goal, done: false, hint: { ko: '제목(Subject:)을 가져오세요: BODY.PEEK[HEADER.FIELDS (SUBJECT)].', en: 'Fetch the subject (Subject:): BODY.PEEK[HEADER.FIELDS (SUBJECT)].' } };
		}
		case 'imap-mark-read': {
			const stores = selected.filter((x) => x.verb === 'STORE' && x.status !== null);
			const marked = stores.find((x) => isOk(x) && isNewest(x) && /\+FLAGS(\.SILENT)?\s+\(?[^)]*\\Seen/i.test(x.command));
			if (marked) {
				// Done on the server's answer; whether the web inbox followed depends on the sandbox keeping flags.
				const inbox: Bilingual =
					evidence.newestRead === true
						? { ko: '웹 받은편지함에서도 이제 읽음으로 나옵니다.', en: 'The web inbox shows it read now too.' }
						: { ko: '이 샌드박스의 IMAP은 플래그를 이 세션 동안만 기억하므로 웹 받은편지함은 그대로입니다.', en: 'This sandbox\'s IMAP keeps flags for the session only, so the web inbox is unchanged.' };
				return { id: goal, done: true, hint: inbox };
			}
			const last = stores.at(-1);
			if (!last) return { id: goal, done: false };
			if (!isOk(last)) return { id: goal, done: false, hint: said(last, REFUSED) };
			return { id: goal, done: false, hint: { ko: `가장 새 메일(${newest ?? '*'}번)에 +FLAGS (\\Seen)을 붙이세요.`, en: `Add +FLAGS (\\Seen) to the newest message (number ${newest ?? '*'}).` } };
		}
	}
}
