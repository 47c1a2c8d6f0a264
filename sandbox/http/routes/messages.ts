/**
 * The captured messages as records:
 *
 *   GET    /api/v1/messages?limit=&start=&query=       { total, start, messages: MessageSummary[] } newest first
 *   DELETE /api/v1/messages                            { deleted }
 *   GET    /api/v1/messages/{id}                       MessageDetail (transcript included)
 *   PATCH  /api/v1/messages/{id}     { "read": bool }  MessageSummary
 *   DELETE /api/v1/messages/{id}                       { deleted: id }
 *
 * Everything under `/messages/{id}` (message-content.ts too) is mounted behind one look-up, so another
 * learner's message is answered exactly like a missing one, whatever the method or sub-path: its id tells nothing.
 */
import { isMessageId, MAX_PAGE, type MailStore } from '../../store/mail-store.ts';
import { intParam, readJson, type ApiRequest } from '../api-request.ts';
import { HttpError, sendJson } from '../json-response.ts';
import type { MessageViews } from '../message-views.ts';
import { route, type Entry, type Params, type Route } from '../route-table.ts';

const DEFAULT_PAGE = 50;

export function messageListRoutes(store: MailStore): Route<ApiRequest>[] {
	return [
		route('GET', 'messages', ({ res, url, mailbox }) => {
			const query = url.searchParams.get('query') ?? url.searchParams.get('q') ?? '';
			const page = store.list({
				start: intParam(url, 'start', 0, Number.MAX_SAFE_INTEGER),
				limit: intParam(url, 'limit', DEFAULT_PAGE, MAX_PAGE),
				query,
				...(mailbox ? { mailbox } : {}),
			});
			sendJson(res, 200, page);
		}),
		route('DELETE', 'messages', async ({ res, mailbox }) => {
			sendJson(res, 200, { deleted: await store.clear(mailbox ?? undefined) });
		}),
	];
}

/** The message's own routes, for the `messages/:id` mount. */
export function messageRoutes(store: MailStore, messages: MessageViews): Route<ApiRequest>[] {
	return [
		route('GET', '', async ({ res }, { id }) => {
			const detail = await messages.detail(id!);
			if (!detail) throw notFound(id!);
			sendJson(res, 200, detail);
		}),
		route('PATCH', '', async ({ req, res }, { id }) => {
			const body = await readJson(req);
			if (typeof body !== 'object' || body === null || typeof (body as { read?: unknown }).read !== 'boolean') {
				throw new HttpError(400, 'api.readFlagBody');
			}
			const summary = await store.markRead(id!, (body as { read: boolean }).read);
			if (!summary) throw notFound(id!);
			sendJson(res, 200, summary);
		}),
		route('DELETE', '', async ({ res }, { id }) => {
			if (!(await store.delete(id!))) throw notFound(id!);
			sendJson(res, 200, { deleted: id });
		}),
	];
}

/** Mounts `routes` under `messages/:id`, reachable only for a message this viewer may see. */
export function messageMount(store: MailStore, routes: ReadonlyArray<Entry<ApiRequest>>): Entry<ApiRequest> {
	return {
		mount: 'messages/:id',
		enter: ({ scope }: ApiRequest, { id }: Params) => {
			const summary = isMessageId(id!) ? store.getSummary(id!) : null;
			if (!summary || (scope.kind !== 'all' && !(scope.kind === 'mailbox' && summary.mailbox === scope.mailbox))) {
				throw notFound(id!);
			}
		},
		routes,
	};
}

export function notFound(id: string): HttpError {
	return new HttpError(404, 'api.noMessage', { id });
}
