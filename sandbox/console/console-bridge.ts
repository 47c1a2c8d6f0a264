/**
 * The protocol console's bridge (issue 17): a WebSocket endpoint, `/api/v1/console?protocol=smtp|pop3|imap`,
 * on the web server's own port, that opens one console session (console-session.ts) to the sandbox's own
 * plain SMTP, POP3 or IMAP port on loopback. The page names only the protocol; any other query parameter (a
 * host, a port) is refused, so the bridge cannot be turned into a way to reach anything else.
 *
 * Before the upgrade it applies what every API request meets: the Host check of local mode (DNS rebinding,
 * http/host-check.ts), the same-origin rule for requests that act (a WebSocket always does, and browsers
 * let any site open one, so the Origin header is required and must be this Postlab), classroom cookies (a
 * learner only; the session logs in as them), and a connection limiter of its own, in total and per client
 * address. A refusal is a plain HTTP answer with a sentence in Korean and English.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Classroom } from '../classroom/classroom.ts';
import { viewerOfRequest } from '../classroom/request-viewer.ts';
import type { ConnectionLimiter } from '../connections/connection-limiter.ts';
import { isAllowedHost, isSameOriginRequest } from '../http/host-check.ts';
import type { MailStore } from '../store/mail-store.ts';
import { DEFAULT_MAILBOX } from '../store/types.ts';
import { bilingual } from '../i18n/messages.ts';
import type { OperatorLog } from '../operator-log.ts';
import { ConsoleSession } from './console-session.ts';
import { CONSOLE_PATH, CONSOLE_PROTOCOLS, type ConsoleProtocol } from './console-wire.ts';
import { CONSOLE_LOGIN_TIMEOUT_MS, type ConsoleLinks } from '../connections/console-links.ts';

/** A console left alone this long is closed: a forgotten tab should not hold a connection to the sandbox. */
export const CONSOLE_IDLE_MS = 5 * 60_000;
/** One WebSocket message: a batch of up to 200 lines of 998 characters fits, a flood does not. */
const MAX_MESSAGE_BYTES = 256 * 1024;

export interface ConsoleBridgeOptions {
	/** HOST, for the local-mode Host check. */
	host: string;
	/** SANDBOX_PUBLIC_URL's origin, which pages may also come from. */
	publicOrigin: string | null;
	/** Where the sandbox's own plain ports listen, read when a session opens (tests start on port 0). */
	targets: () => { host: string; ports: Record<ConsoleProtocol, number> };
	/** The sandbox certificate (PEM): what STARTTLS/STLS must present. */
	ca: string;
	store: MailStore;
	classroom: Classroom;
	connections: ConnectionLimiter;
	idleMs?: number;
	/** SANDBOX_LOGIN_TIMEOUT_SECONDS; the servers give the console's own connections the longer of it and CONSOLE_LOGIN_TIMEOUT_MS. */
	loginTimeoutMs: number;
	/** Where the console's connections are made known to the servers (by their local ports). */
	consoleLinks: ConsoleLinks;
	/** Where the bridge reports its own failures; never a line of a session (it may hold a password). */
	log: OperatorLog;
}

export interface ConsoleBridge {
	/** Serves the console's upgrades on `server`; other upgrades are left to other listeners (Vite's HMR). */
	attach(server: Server): void;
	/** Sessions open now. */
	readonly open: number;
	close(): void;
}

interface Refusal {
	status: number;
	en: string;
	ko: string;
}

export function createConsoleBridge(options: ConsoleBridgeOptions): ConsoleBridge {
	const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
	const sessions = new Set<ConsoleSession>();
	// A failure of the WebSocket server itself (not of one client) is ours to know about; no line content is logged.
	wss.on('error', (error) => options.log('log.console.serverError', { reason: error.message }));

	function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, server: Server): void {
		const url = parseUrl(req.url);
		if (url?.pathname !== CONSOLE_PATH) {
			// Nobody else listening for upgrades (npm start): nothing will answer this one, so close it.
			if (server.listenerCount('upgrade') === 1) socket.destroy();
			return;
		}
		socket.on('error', () => undefined);
		const checked = check(req, url);
		if ('status' in checked) return refuse(socket, checked);
		const admission = options.connections.admit(req.socket.remoteAddress);
		if (!admission.admitted) {
			return refuse(socket, {
				status: admission.reason === 'address' ? 429 : 503,
				...bilingual('consoleBridge.tooManyConsoles', { limit: admission.limit }),
			});
		}
		// ws answers a malformed handshake itself (400) and never calls back: the place is freed with the socket.
		socket.once('close', admission.release);
		wss.handleUpgrade(req, socket, head, (ws) => {
			const { host, ports } = options.targets();
			const session = new ConsoleSession(ws, {
				protocol: checked.protocol,
				target: { host, port: ports[checked.protocol] },
				ca: options.ca,
				store: options.store,
				mailbox: checked.mailbox,
				classroomLogin: checked.login,
				idleMs: options.idleMs ?? CONSOLE_IDLE_MS,
				loginTimeoutMs: Math.max(options.loginTimeoutMs, CONSOLE_LOGIN_TIMEOUT_MS),
				consoleLinks: options.consoleLinks,
				log: options.log,
				onClose: () => {
					sessions.delete(session);
					admission.release();
				},
			});
			sessions.add(session);
		});
	}

	function check(req: IncomingMessage, url: URL): Refusal | { protocol: ConsoleProtocol; mailbox: string; login: { user: string; password: string } | null } {
		const classroom = options.classroom.enabled;
		if (!classroom && !isAllowedHost(req.headers.host, options.host)) {
			return { status: 421, ...bilingual('consoleBridge.notLocalHost') };
		}
		if (req.headers.origin === undefined || !isSameOriginRequest(req, options.publicOrigin)) {
			return { status: 403, ...bilingual('consoleBridge.foreignOrigin') };
		}
		const names = [...url.searchParams.keys()];
		const protocol = url.searchParams.get('protocol');
		if (names.length !== 1 || !CONSOLE_PROTOCOLS.includes(protocol as ConsoleProtocol)) {
			return {
				status: 400,
				...bilingual('consoleBridge.protocolOnly'),
			};
		}
		if (!classroom) return { protocol: protocol as ConsoleProtocol, mailbox: DEFAULT_MAILBOX, login: null };
		const viewer = viewerOfRequest(req, options.classroom);
		if (viewer.kind !== 'learner') {
			return {
				status: 401,
				...bilingual('consoleBridge.classroomJoinFirst'),
			};
		}
		const credentials = options.classroom.credentialsOf(viewer.learner.id);
		if (!credentials) return { status: 401, ...bilingual('consoleBridge.classroomLoginMissing') };
		return {
			protocol: protocol as ConsoleProtocol,
			mailbox: viewer.learner.mailbox,
			login: { user: credentials.smtpUser, password: credentials.smtpPassword },
		};
	}

	return {
		attach(server) {
			server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => onUpgrade(req, socket, head, server));
		},
		get open() {
			return sessions.size;
		},
		close() {
			for (const session of [...sessions]) session.close();
			wss.close();
		},
	};
}

function parseUrl(target: string | undefined): URL | null {
	if (!target?.startsWith('/')) return null;
	return URL.parse(target, 'http://localhost');
}

function refuse(socket: Duplex, refusal: Refusal): void {
	const body = JSON.stringify({ error: { status: refusal.status, message: refusal.en, ko: refusal.ko } });
	socket.end(
		`HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status] ?? 'Refused'}\r\n` +
			'Content-Type: application/json; charset=utf-8\r\n' +
			`Content-Length: ${Buffer.byteLength(body)}\r\n` +
			'Cache-Control: no-store\r\nConnection: close\r\n\r\n' +
			body,
	);
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 421: 'Misdirected Request', 429: 'Too Many Requests', 503: 'Service Unavailable' };
