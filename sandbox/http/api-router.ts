/**
 * The sandbox's JSON API under `/api/v1/` (the inbox UI uses it too), as a Node request handler that
 * passes every other path to `next` (Astro's handler in production, Vite's in dev):
 *
 *   GET    /api/v1/health                              200 { status, ports, tls, messages, maxMessageBytes }
 *                                                      (anonymous in classroom mode: { status } only)
 *   GET    /api/v1/messages?limit=&start=&query=       { total, start, messages: MessageSummary[] } newest first
 *   DELETE /api/v1/messages                            { deleted }
 *   GET    /api/v1/messages/{id}                       MessageDetail (transcript included)
 *   PATCH  /api/v1/messages/{id}     { "read": bool }  MessageSummary
 *   DELETE /api/v1/messages/{id}                       { deleted: id }
 *   GET    /api/v1/messages/{id}/raw[?download=1]      message/rfc822
 *   GET    /api/v1/messages/{id}/html[?images=remote]  sanitised HTML for the sandboxed iframe, own CSP
 *                                                      (422 when the HTML is over the limits of sandbox/mail/html-limits.ts)
 *   GET    /api/v1/mailread/sessions                   { sessions } recent POP3/IMAP transcripts, newest first
 *   GET    /api/v1/messages/{id}/attachments/{index}   the attachment, as a download
 *   GET    /api/v1/events[?mailbox=]                   text/event-stream
 *   POST   /api/v1/labs/port-tls  { port, useTls, useSsl }  PortTlsResult (a real connection to our SMTP ports)
 *   GET    /api/v1/classroom/roster                    { learners: RosterEntry[] } (classroom mode, instructor only)
 *   GET    /api/v1/drills                              { drills, active, classWide, refusals } (failure drills, routes/drills.ts)
 *   PUT    /api/v1/drills  { drill, mode? }            { active }; unknown drill or mode: 400
 *   DELETE /api/v1/drills                              { active: null }
 *
 * Classroom mode (issue 5): every route but health answers 401 without a classroom cookie; a learner sees
 * and changes only their own mailbox (another learner's message is 404, like a missing one), and their
 * event stream carries only their mailbox's events; the instructor sees everything (`?mailbox=` narrows).
 *
 * The routes are a table (route-table.ts): method + path pattern → one small handler, kept in routes/ by
 * what they serve. A known path with another method is 405 naming its methods; an unknown path is 404.
 *
 * A request target is only ever a path here (`//`, `///` included; an absolute-form target's path is used);
 * an unexpected failure answers that request 500 and is logged once, without the URL.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Classroom } from '../classroom/classroom.ts';
import { mailboxScope, viewerOfRequest } from '../classroom/request-viewer.ts';
import type { DrillSwitch } from '../drills/drill-switch.ts';
import { hasErrorCode } from '../error-code.ts';
import { errorDetail } from '../error-text.ts';
import { bilingual } from '../i18n/messages.ts';
import type { EventBus } from '../events/event-bus.ts';
import { RenderFailedError, RendererBusyError } from '../mail/message-renderer.ts';
import type { MailSessionTranscript } from '../line-protocol/transcript.ts';
import type { MailStore } from '../store/mail-store.ts';
import type { OperatorLog } from '../operator-log.ts';
import type { ApiRequest } from './api-request.ts';
import { EventStreams } from './event-stream.ts';
import { isAllowedHost, isSameOriginRequest } from './host-check.ts';
import { HttpError, sendError, sendJson } from './json-response.ts';
import type { MessageViews } from './message-views.ts';
import { dispatch, type Entry } from './route-table.ts';
import { classroomRoutes } from './routes/classroom.ts';
import { drillRoutes } from './routes/drills.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes, type HealthRequest } from './routes/health.ts';
import { mailReadRoutes } from './routes/mailread.ts';
import { messageContentRoutes } from './routes/message-content.ts';
import { messageListRoutes, messageMount, messageRoutes } from './routes/messages.ts';
import { limitedPortTlsRunner, portTlsRoutes, type PortTlsRunner } from './routes/port-tls.ts';

export type NextHandler = (error?: unknown) => void;
export type ApiHandler = ((req: IncomingMessage, res: ServerResponse, next: NextHandler) => void) & {
	/** Ends open event streams (shutdown). */
	close(): void;
};

export interface ApiOptions {
	store: MailStore;
	/** Opened messages: parts, sanitised HTML and attachments, rendered off the main thread. */
	messages: MessageViews;
	events: EventBus;
	/** Who may see which mailbox; without it (or with classroom mode off) one local user sees everything. */
	classroom?: Classroom;
	/** The configured HOST, also accepted in Host headers besides the loopback names. */
	host: string;
	/** SANDBOX_PUBLIC_URL's origin: pages served through a reverse proxy send it as their Origin. */
	publicOrigin?: string | null;
	/** What `/api/v1/health` reports besides the status (ports, certificate path). */
	health: () => Record<string, unknown>;
	/** Recently finished POP3 and IMAP sessions (already redacted), for the lesson that checks a fetch. */
	mailReadSessions?: () => MailSessionTranscript[];
	/** Runs the port/TLS lab against this sandbox's SMTP ports; without it the route answers 404. */
	portTlsLab?: PortTlsRunner;
	/** The failure drills; without it `/api/v1/drills` answers 404. */
	drills?: DrillSwitch;
	/** Open event streams at most; more get 503. Keep it under the web's connection limit, so pages and health still get in. */
	maxEventStreams: number;
	/** Where a failure to answer is reported (once per failure, without the URL). */
	log: OperatorLog;
}

const PREFIX = '/api/v1/';
/** What a client told "busy" waits before trying again, in seconds. */
const RETRY_AFTER_SECONDS = 5;
/** Where a visitor without a classroom identity is sent to get one. */
const JOIN_PATH = '/ko/classroom/';
export function createApiHandler(options: ApiOptions): ApiHandler {
	const streams = new EventStreams(options.events, options.classroom, options.maxEventStreams);
	const classroomMode = options.classroom?.enabled === true;
	/** The one table an anonymous classroom visitor may reach. */
	const publicRoutes = healthRoutes(options.store, options.health);
	// A route whose feature is off (no classroom, lab or drills) is not in the table: its path is 404.
	const routes: Entry<ApiRequest>[] = [
		...(classroomMode && options.classroom ? classroomRoutes(options.classroom) : []),
		...eventRoutes(streams),
		...mailReadRoutes(options.mailReadSessions),
		...(options.portTlsLab ? portTlsRoutes(limitedPortTlsRunner(options.portTlsLab)) : []),
		...(options.drills ? drillRoutes(options.drills) : []),
		...messageListRoutes(options.store),
		messageMount(options.store, [
			...messageRoutes(options.store, options.messages),
			...messageContentRoutes(options.store, options.messages),
		]),
	];
	const handler = (req: IncomingMessage, res: ServerResponse, next: NextHandler) => {
		const url = requestUrl(req.url);
		if (!url || (!url.pathname.startsWith(PREFIX) && url.pathname !== PREFIX.slice(0, -1))) return next();
		// Everything after this line is ours: nothing it throws may go further than this request.
		try {
			serve(req, res, url);
		} catch (error) {
			fail(res, error);
		}
	};

	function serve(req: IncomingMessage, res: ServerResponse, url: URL): void {
		// In classroom mode the class reaches us by whatever name or address the network gives; cookies do the gating.
		if (!classroomMode && !isAllowedHost(req.headers.host, options.host)) {
			return sendError(res, 403, bilingual('api.wrongHost', { host: req.headers.host ?? '' }));
		}
		if (req.method !== 'GET' && req.method !== 'HEAD' && !isSameOriginRequest(req, options.publicOrigin ?? null)) {
			return sendError(res, 403, bilingual('api.crossOrigin'));
		}
		route(req, res, url).catch((error: unknown) => fail(res, error));
	}

	function fail(res: ServerResponse, error: unknown): void {
		if (res.headersSent) {
			// The answer was under way (a streamed .eml): a client that went away is no failure of ours.
			if (!isClosedByClient(error)) options.log('log.api.cutOff', { error: errorDetail(error) });
			return void res.destroy();
		}
		if (error instanceof HttpError) return sendError(res, error.status, error.text, error.headers);
		if (error instanceof RendererBusyError) return sendError(res, 503, bilingual('api.rendererBusy'), { 'retry-after': String(RETRY_AFTER_SECONDS) });
		if (error instanceof RenderFailedError) {
			return sendError(res, 503, bilingual('api.renderTimeout'), {
				'retry-after': String(RETRY_AFTER_SECONDS),
			});
		}
		options.log('log.api.requestFailed', { error: errorDetail(error) });
		sendError(res, 500, bilingual('api.internal'));
	}

	async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const segments = url.pathname.slice(PREFIX.length).split('/').filter(Boolean).map(decodeSegment);
		const method = req.method ?? 'GET';
		const viewer = viewerOfRequest(req, options.classroom);
		const scope = mailboxScope(viewer);
		if (await dispatch<HealthRequest>(publicRoutes, method, segments, { res, scope })) return;
		if (scope.kind === 'none') {
			const join = bilingual('api.joinClass');
			return sendJson(res, 401, {
				error: { status: 401, message: join.en, ko: join.ko },
				join: JOIN_PATH,
			});
		}
		// The instructor (and the local user) may narrow to one mailbox; a learner is always narrowed to theirs.
		const mailbox = scope.kind === 'mailbox' ? scope.mailbox : url.searchParams.get('mailbox');
		if (await dispatch(routes, method, segments, { req, res, url, viewer, scope, mailbox })) return;
		throw new HttpError(404, 'api.noRoute', { path: url.pathname });
	}

	return Object.assign(handler, { close: () => streams.closeAll() });
}

/**
 * The request target as a URL whose path is what the client sent. An origin-form target is always a path
 * on this server, even `//x` (which `new URL('//x', base)` would read as a host, or refuse); an absolute-form
 * target (RFC 9112 §3.2.2) gives its path. Anything else (`*`, garbage) is null: not an API request.
 */
function requestUrl(target: string | undefined): URL | null {
	const raw = target ?? '/';
	return raw.startsWith('/') ? URL.parse(`http://localhost${raw}`) : URL.parse(raw);
}

function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch (error) {
		// URIError: a `%` not followed by two hex digits, or bytes that are not UTF-8.
		if (!(error instanceof URIError)) throw error;
		throw new HttpError(400, 'api.badUrlEncoding');
	}
}

/** pipeline's rejection when the response closed before the body was written. */
function isClosedByClient(error: unknown): boolean {
	return hasErrorCode(error, 'ERR_STREAM_PREMATURE_CLOSE');
}
