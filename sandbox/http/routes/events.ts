/** `GET /api/v1/events[?mailbox=]`: the live event stream (text/event-stream), narrowed like every list. */
import type { ApiRequest } from '../api-request.ts';
import type { EventStreams } from '../event-stream.ts';
import { route, type Route } from '../route-table.ts';

export function eventRoutes(streams: EventStreams): Route<ApiRequest>[] {
	return [
		route('GET', 'events', ({ req, res, mailbox, viewer }) =>
			streams.serve(req, res, mailbox, { learnerJoins: viewer.kind === 'instructor' }),
		),
	];
}
