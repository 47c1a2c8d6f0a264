/** `GET /api/v1/mailread/sessions`: recent POP3/IMAP transcripts, newest first, for the lesson that checks a fetch. */
import type { MailSessionTranscript } from '../../line-protocol/transcript.ts';
import type { ApiRequest } from '../api-request.ts';
import { sendJson } from '../json-response.ts';
import { route, type Route } from '../route-table.ts';

/** The lesson shows the latest few POP3/IMAP sessions; the servers keep 50 each. */
const MAX_MAILREAD_SESSIONS = 20;

export function mailReadRoutes(sessions: (() => MailSessionTranscript[]) | undefined): Route<ApiRequest>[] {
	return [
		route('GET', 'mailread/sessions', ({ res, scope }) => {
			const recent = (sessions?.() ?? [])
				// A learner's POP3/IMAP login name is their SMTP user, which is their mailbox's name.
				.filter((session) => scope.kind === 'all' || (scope.kind === 'mailbox' && session.user?.trim().toLowerCase() === scope.mailbox))
				.toSorted((a, b) => (b.endedAt ?? b.startedAt).localeCompare(a.endedAt ?? a.startedAt))
				.slice(0, MAX_MAILREAD_SESSIONS);
			sendJson(res, 200, { sessions: recent });
		}),
	];
}
