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
 *   GET    /api/v1/drills                              { drills, active, classWide, refusals } (failure drills, http/drills-route.ts)
 *   PUT    /api/v1/drills  { drill, mode? }            { active }; unknown drill or mode: 400
 *   DELETE /api/v1/drills                              { active: null }
 *
 * Classroom mode (issue 5): every route but health answers 401 without a classroom cookie; a learner sees
 * and changes only their own mailbox (another learner's message is 404, like a missing one), and their
 * event stream carries only their mailbox's events; the instructor sees everything (`?mailbox=` narrows).
 *
 * A request target is only ever a path here (`//`, `///` included; an absolute-form target's path is used);
 * an unexpected failure answers that request 500 and is logged once, without the URL.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Classroom } from '../classroom/classroom.ts';
import { mailboxScope, viewerOfRequest } from '../classroom/request-viewer.ts';
import type { DrillSwitch } from '../drills/drill-switch.ts';
import type { EventBus } from '../events/event-bus.ts';
import { RenderFailedError, RendererBusyError } from '../mail/message-renderer.ts';
import { emailDocument, emailDocumentCsp } from '../mail/sanitize-html.ts';
import type { MailSessionTranscript } from '../mailread/transcript.ts';
import { isMessageId, MAX_PAGE, type MailStore } from '../store/mail-store.ts';
import type { HtmlWithheld } from '../store/types.ts';
import { EventStreams } from './event-stream.ts';
import { clearDrill, drillsState, setDrill } from './drills-route.ts';
import { isAllowedHost, isSameOriginRequest } from './host-check.ts';
import { HttpError, sendError, sendJson } from './json-response.ts';
import type { MessageViews } from './message-views.ts';
import { limitedPortTlsRunner, parsePortTlsChoice, type PortTlsRunner } from './port-tls-route.ts';

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
	log: (message: string) => void;
}

const PREFIX = '/api/v1/';
/** What a client told "busy" waits before trying again, in seconds. */
const RETRY_AFTER_SECONDS = 5;
/** PATCH bodies are a flag or two; anything larger is not ours. */
const MAX_BODY_BYTES = 16 * 1024;
const DEFAULT_PAGE = 50;
/** The lesson shows the latest few POP3/IMAP sessions; the servers keep 50 each. */
const MAX_MAILREAD_SESSIONS = 20;
/** Where a visitor without a classroom identity is sent to get one. */
const JOIN_PATH = '/ko/classroom/';
/** Headers that keep a captured file from running as a page of our origin if opened directly. */
const UNTRUSTED_FILE_HEADERS = {
	'x-content-type-options': 'nosniff',
	'content-security-policy': "sandbox; default-src 'none'; frame-ancestors 'self'",
	'cache-control': 'no-store',
	'referrer-policy': 'no-referrer',
} as const;

export function createApiHandler(options: ApiOptions): ApiHandler {
	const streams = new EventStreams(options.events, options.classroom, options.maxEventStreams);
	const portTlsLab = options.portTlsLab ? limitedPortTlsRunner(options.portTlsLab) : null;
	const classroomMode = options.classroom?.enabled === true;
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
			return sendError(
				res,
				403,
				`The sandbox API answers only to loopback addresses such as 127.0.0.1 or localhost, not "${req.headers.host}". Open the inbox at http://127.0.0.1.`,
			);
		}
		if (req.method !== 'GET' && req.method !== 'HEAD' && !isSameOriginRequest(req, options.publicOrigin ?? null)) {
			return sendError(res, 403, 'Only pages of this Postlab may change the sandbox mailbox.');
		}
		route(req, res, url).catch((error: unknown) => fail(res, error));
	}

	function fail(res: ServerResponse, error: unknown): void {
		if (res.headersSent) return void res.destroy();
		if (error instanceof HttpError) return sendError(res, error.status, error.message);
		if (error instanceof RendererBusyError) return sendError(res, 503, error.message, { 'retry-after': String(RETRY_AFTER_SECONDS) });
		if (error instanceof RenderFailedError) {
			return sendError(res, 503, 'This message took too long to open. Try again in a moment, or download the raw message (.eml).', {
				'retry-after': String(RETRY_AFTER_SECONDS),
			});
		}
		options.log(`API: a request failed and was answered 500: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		sendError(res, 500, 'The sandbox failed to answer this request; the error is in the log where Postlab runs. Try again.');
	}

	async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const parts = url.pathname.slice(PREFIX.length).split('/').filter(Boolean).map(decodeSegment);
		const method = req.method ?? 'GET';
		const [resource, id, sub, subId] = parts;
		const viewer = viewerOfRequest(req, options.classroom);
		/** null: every mailbox; a name: only that one. */
		const scope = mailboxScope(viewer);

		if (resource === 'health' && parts.length === 1) {
			allow(method, ['GET', 'HEAD']);
			// Anyone on the network may ask whether Postlab is up, and learns nothing else: not its ports, its
			// certificate's path on the instructor's disk, or how much mail the class has.
			if (scope === undefined) return sendJson(res, 200, { status: 'ok' });
			const health: Record<string, unknown> = { status: 'ok', ...options.health() };
			// The count of the whole class is the instructor's to see; a learner's is their own.
			if (typeof scope === 'string') health['messages'] = { count: options.store.listMailbox(scope).length };
			return sendJson(res, 200, health);
		}
		if (scope === undefined) {
			return sendJson(res, 401, {
				error: { status: 401, message: 'Join the class first: open the classroom page, type your name, and this inbox becomes yours.' },
				join: JOIN_PATH,
			});
		}
		// The instructor (and the local user) may narrow to one mailbox; a learner is always narrowed to theirs.
		const mailbox = scope ?? url.searchParams.get('mailbox');
		if (resource === 'classroom' && id === 'roster' && parts.length === 2 && classroomMode) {
			allow(method, ['GET']);
			if (viewer.kind !== 'instructor') throw new HttpError(403, 'Only the instructor sees the roster. Log in on the instructor page with INSTRUCTOR_TOKEN.');
			return sendJson(res, 200, { learners: options.classroom!.roster() });
		}
		if (resource === 'events' && parts.length === 1) {
			allow(method, ['GET']);
			return streams.serve(req, res, mailbox, { learnerJoins: viewer.kind === 'instructor' });
		}
		if (resource === 'mailread' && id === 'sessions' && parts.length === 2) {
			allow(method, ['GET']);
			const sessions = (options.mailReadSessions?.() ?? [])
				// A learner's POP3/IMAP login name is their SMTP user, which is their mailbox's name.
				.filter((session) => scope === null || session.user?.trim().toLowerCase() === scope)
				.toSorted((a, b) => (b.endedAt ?? b.startedAt).localeCompare(a.endedAt ?? a.startedAt))
				.slice(0, MAX_MAILREAD_SESSIONS);
			return sendJson(res, 200, { sessions });
		}
		if (resource === 'labs' && id === 'port-tls' && parts.length === 2 && portTlsLab) {
			allow(method, ['POST']);
			return sendJson(res, 200, await portTlsLab(parsePortTlsChoice(await readJson(req))));
		}
		if (resource === 'drills' && parts.length === 1 && options.drills) {
			allow(method, ['GET', 'PUT', 'DELETE']);
			if (method === 'PUT') return sendJson(res, 200, { active: setDrill(options.drills, viewer, await readJson(req), req) });
			if (method === 'DELETE') {
				clearDrill(options.drills, viewer);
				return sendJson(res, 200, { active: null });
			}
			return sendJson(res, 200, drillsState(options.drills, viewer));
		}
		if (resource !== 'messages') throw new HttpError(404, `There is no API route ${url.pathname}.`);

		if (id === undefined) {
			allow(method, ['GET', 'DELETE']);
			if (method === 'DELETE') {
				return sendJson(res, 200, { deleted: await options.store.clear(mailbox ?? undefined) });
			}
			const query = url.searchParams.get('query') ?? url.searchParams.get('q') ?? '';
			const page = options.store.list({
				start: intParam(url, 'start', 0, Number.MAX_SAFE_INTEGER),
				limit: intParam(url, 'limit', DEFAULT_PAGE, MAX_PAGE),
				query,
				...(mailbox ? { mailbox } : {}),
			});
			return sendJson(res, 200, page);
		}

		const summary = isMessageId(id) ? options.store.getSummary(id) : null;
		// Another learner's message is answered exactly like a missing one: its id tells nothing.
		if (!summary || (scope !== null && summary.mailbox !== scope)) throw notFound(id);

		if (sub === undefined) {
			allow(method, ['GET', 'PATCH', 'DELETE']);
			if (method === 'DELETE') {
				if (!(await options.store.delete(id))) throw notFound(id);
				return sendJson(res, 200, { deleted: id });
			}
			if (method === 'PATCH') {
				const body = await readJson(req);
				if (typeof body !== 'object' || body === null || typeof (body as { read?: unknown }).read !== 'boolean') {
					throw new HttpError(400, 'Send a JSON body such as {"read": true}.');
				}
				const summary = await options.store.markRead(id, (body as { read: boolean }).read);
				if (!summary) throw notFound(id);
				return sendJson(res, 200, summary);
			}
			const detail = await options.messages.detail(id);
			if (!detail) throw notFound(id);
			return sendJson(res, 200, detail);
		}

		if (sub === 'raw' && parts.length === 3) {
			allow(method, ['GET']);
			const range = options.store.rawRange(id);
			if (!range) throw notFound(id);
			const download = url.searchParams.get('download') === '1';
			res.writeHead(200, {
				...UNTRUSTED_FILE_HEADERS,
				'content-type': 'message/rfc822',
				'content-length': range.size,
				'content-disposition': `${download ? 'attachment' : 'inline'}; filename="${id}.eml"`,
			});
			// An empty message has no range to read (createReadStream's end is inclusive).
			if (range.size === 0) return void res.end();
			createReadStream(range.path, { start: range.start, end: range.end })
				.on('error', () => res.destroy())
				.pipe(res);
			return;
		}

		if (sub === 'html' && parts.length === 3) {
			allow(method, ['GET']);
			const allowRemoteImages = url.searchParams.get('images') === 'remote';
			const rendered = await options.messages.html(id, { allowRemoteImages });
			if (!rendered) throw notFound(id);
			if ('none' in rendered) throw new HttpError(404, 'This message has no HTML part.');
			if ('withheld' in rendered) throw new HttpError(422, withheldMessage(rendered.withheld));
			const body = emailDocument(rendered.html);
			res.writeHead(200, {
				'content-type': 'text/html; charset=utf-8',
				'content-length': Buffer.byteLength(body),
				'content-security-policy': emailDocumentCsp(allowRemoteImages),
				'x-content-type-options': 'nosniff',
				'x-frame-options': 'SAMEORIGIN',
				'referrer-policy': 'no-referrer',
				'cache-control': 'no-store',
				'x-remote-images': String(rendered.remoteImages),
			});
			res.end(body);
			return;
		}

		if (sub === 'attachments' && subId !== undefined && parts.length === 4) {
			allow(method, ['GET']);
			const index = /^\d{1,6}$/.test(subId) ? Number(subId) : -1;
			const attachment = index >= 0 ? await options.messages.attachment(id, index) : null;
			if (!attachment) throw new HttpError(404, `Message ${id} has no attachment number ${subId}.`);
			res.writeHead(200, {
				...UNTRUSTED_FILE_HEADERS,
				'content-type': attachment.info.contentType || 'application/octet-stream',
				'content-length': attachment.content.length,
				'content-disposition': contentDisposition(attachment.info.filename),
			});
			res.end(attachment.content);
			return;
		}

		throw new HttpError(404, `There is no API route ${url.pathname}.`);
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

function withheldMessage(withheld: HtmlWithheld): string {
	switch (withheld.reason) {
		case 'too-large':
			return `This message's HTML is too large to display safely (over ${withheld.limit} characters). Read its text part, or download the raw message (.eml).`;
		case 'too-many-elements':
			return `This message's HTML is too large to display safely (over ${withheld.limit} elements). Read its text part, or download the raw message (.eml).`;
		case 'too-deep':
			return `This message's HTML is nested too deeply to display safely (over ${withheld.limit} levels). Read its text part, or download the raw message (.eml).`;
		case 'too-slow':
			return "This message's HTML took too long to make safe to display. Read its text part, or download the raw message (.eml).";
	}
}

function allow(method: string, methods: string[]): void {
	if (!methods.includes(method)) throw new HttpError(405, `${method} is not allowed here; use ${methods.join(' or ')}.`);
}

function notFound(id: string): HttpError {
	return new HttpError(404, `There is no message ${id}. It may have been deleted or dropped when the inbox reached its limit.`);
}

function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		throw new HttpError(400, 'The URL is not correctly encoded.');
	}
}

function intParam(url: URL, name: string, fallback: number, max: number): number {
	const raw = url.searchParams.get(name);
	if (raw === null || raw === '') return fallback;
	if (!/^\d+$/.test(raw)) throw new HttpError(400, `${name} must be a whole number, not "${raw}".`);
	return Math.min(Number(raw), max);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of req) {
			size += (chunk as Buffer).length;
			if (size > MAX_BODY_BYTES) throw new HttpError(413, 'The request body is too large.');
			chunks.push(chunk as Buffer);
		}
	} catch (error) {
		if (error instanceof HttpError) throw error;
		// The client went away mid-body ("aborted"): its business, not a failure of ours.
		throw new HttpError(400, 'The request body was cut off before its end.');
	}
	try {
		return JSON.parse(Buffer.concat(chunks).toString('utf8'));
	} catch {
		throw new HttpError(400, 'The request body is not valid JSON.');
	}
}

/** RFC 6266: an ASCII fallback name plus the UTF-8 name (Korean file names survive). */
function contentDisposition(filename: string): string {
	const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
	return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
