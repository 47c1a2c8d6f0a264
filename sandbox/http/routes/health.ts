/**
 * `GET /api/v1/health`: whether Postlab is up. The one route an anonymous classroom visitor may call, and
 * they learn nothing else: not its ports, its certificate's path on the instructor's disk, or how much mail
 * the class has.
 */
import type { ServerResponse } from 'node:http';
import type { MailboxScope } from '../../classroom/request-viewer.ts';
import type { MailStore } from '../../store/mail-store.ts';
import { sendJson } from '../json-response.ts';
import { route, type Route } from '../route-table.ts';

/** The context health needs: anonymous visitors reach it, so its scope may be `none`. */
export interface HealthRequest {
	res: ServerResponse;
	scope: MailboxScope;
}

export function healthRoutes(store: MailStore, details: () => Record<string, unknown>): Route<HealthRequest>[] {
	const health = ({ res, scope }: HealthRequest): void => {
		if (scope.kind === 'none') return sendJson(res, 200, { status: 'ok' });
		const answer: Record<string, unknown> = { status: 'ok', ...details() };
		// The count of the whole class is the instructor's to see; a learner's is their own.
		if (scope.kind === 'mailbox') answer['messages'] = { count: store.listMailbox(scope.mailbox).length };
		sendJson(res, 200, answer);
	};
	return [route('GET', 'health', health), route('HEAD', 'health', health)];
}
