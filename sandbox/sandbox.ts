/**
 * Starts the whole sandbox in this process: certificate, store, events, capture SMTP server on two ports,
 * POP3 and IMAP, the render worker that opens messages, and the JSON API handler and request guard the web
 * server mounts. One call, one handle, one `close()`; used by `sandbox/main.ts` (npm start), the dev
 * integration (npm run dev) and the tests (ports 0). Each service gets its own connection limiter
 * (sandbox/connections/): a flood on one port never takes another service's places.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackHost, type SandboxConfig } from './config.ts';
import { classroomAddresses } from './classroom/lan-addresses.ts';
import { localClassroom, openClassroom, type Classroom } from './classroom/classroom.ts';
import { ConnectionLimiter } from './connections/connection-limiter.ts';
import { serviceLimits } from './connections/service-limits.ts';
import { EventBus } from './events/event-bus.ts';
import type { Lang } from './i18n/messages.ts';
import { logLanguage } from './log-language.ts';
import { logIn, silentLog } from './operator-log.ts';
import { createApiHandler, type ApiHandler } from './http/api-router.ts';
import { createLinkOrigin, type LinkOrigin } from './http/link-origin.ts';
import { createRequestGate } from './http/request-gate.ts';
import { createHttpGuard, type HttpGuard } from './http/http-guard.ts';
import { MessageViews } from './http/message-views.ts';
import { MessageRenderer } from './mail/message-renderer.ts';
import { startImapServer } from './imap/imap-server.ts';
import type { Authenticator } from './line-protocol/mailbox-source.ts';
import type { RunningMailReadServer } from './line-protocol/server-options.ts';
import { storeMailboxSource } from './line-protocol/store-source.ts';
import { startPop3Server } from './pop3/pop3-server.ts';
import { startCaptureServer } from './smtp/capture-server.ts';
import { DrillSwitch } from './drills/drill-switch.ts';
import { loadOrCreateCertificate } from './certificate.ts';
import { createConsoleBridge, type ConsoleBridge } from './console/console-bridge.ts';
import { MailStore } from './store/mail-store.ts';
import { runPortTlsLab } from './outbound/port-tls-lab.ts';
import { ConsoleLinks } from './connections/console-links.ts';

export interface SandboxOptions {
	/** Where the sandbox prints the lines it has for the operator (problems while it runs); console by default. */
	log?: (line: string) => void;
	/** The language of those lines; by default the terminal's (LANG, LC_*). */
	lang?: Lang;
	/** Per-message time budget of the render worker (default RENDER_BUDGET_MS); tests make it short. */
	renderBudgetMs?: number;
	/** How long a protocol console may stay silent (default CONSOLE_IDLE_MS); tests make it short. */
	consoleIdleMs?: number;
	/** How long the stalled-server drill holds a connection (default: the login timeout); tests make it short. */
	drillStallMs?: number;
}

export interface SandboxHandle {
	config: SandboxConfig;
	/** Ports actually listening (differs from config when it asked for 0). `http` is set by whoever serves the API. */
	ports: { smtp: number; smtps: number; pop3: number; pop3s: number; imap: number; imaps: number; http: number | null };
	store: MailStore;
	events: EventBus;
	/** The receiving side: POP3 and IMAP over the captured mailbox, with their transcripts. */
	pop3: RunningMailReadServer;
	imap: RunningMailReadServer;
	/** The certificate behind STARTTLS and 2465: clients trust `path` (PEM). */
	certificate: { path: string; keyPath: string; pem: string; created: boolean };
	/** Failure drills: which refusal the SMTP server plays, for whom, and what it refused. */
	drills: DrillSwitch;
	/** Classroom mode's learners and instructor; in local mode the one-user stand-in (`enabled: false`). */
	classroom: Classroom;
	/** Node request handler for `/api/v1/*`; calls `next()` for every other path. */
	api: ApiHandler;
	/**
	 * Node request handler for every web request: the Host check and frame headers (http/request-gate.ts),
	 * then the API; `next()` for the pages and static files. What `npm start` and `npm run dev` mount.
	 */
	serve: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
	/** The origin absolute links start with, for a request's Host header (http/link-origin.ts). */
	linkOrigin: LinkOrigin;
	/**
	 * What every web server in front of the sandbox uses: `attach(server)` counts its connections and sets
	 * its timeouts, `handle(listener)` wraps its request listener (limits, and a 500 for a failure).
	 */
	http: HttpGuard;
	/** Opened messages: parts, sanitised HTML, links and attachments, rendered off the main thread. */
	messages: MessageViews;
	/**
	 * The lessons' protocol console (sandbox/console/): `attach(server)` serves its WebSocket on the web
	 * server, bridging to this sandbox's own SMTP, POP3 and IMAP ports only.
	 */
	console: ConsoleBridge;
	close(): Promise<void>;
}

/** Event streams may take this share of the web's connections; the rest stay for pages and health. */
const EVENT_STREAM_SHARE = 0.8;

export async function startSandbox(config: SandboxConfig, options: SandboxOptions = {}): Promise<SandboxHandle> {
	const lang = options.lang ?? logLanguage();
	const print = options.log ?? ((line: string) => console.log(`[sandbox] ${line}`));
	// Every part reports a catalogue key; here it becomes a line in the operator's language.
	const log = logIn(lang, print);
	const certificate = await loadOrCreateCertificate({
		dataDir: config.dataDir,
		certPath: config.tlsCertPath,
		keyPath: config.tlsKeyPath,
		// Learners' Django (>= 4.2) checks the certificate names the address in their EMAIL_HOST.
		...(config.classroom.enabled && !isLoopbackHost(config.host) ? { extraNames: classroomAddresses(config.host) } : {}),
	});
	const limits = serviceLimits(config);
	if (limits.warning) print(limits.warning[lang]);
	const limiter = () => new ConnectionLimiter(limits.connections);
	// SMTP, POP3 and IMAP also serve the lessons' console bridge, which connects from this machine's loopback
	// for every learner at once: loopback has no per-address share there (the bridge counts each learner's
	// consoles by the learner's own address), only the total.
	const consoleTarget = loopbackFor(config.host);
	const serviceLimiter = () => new ConnectionLimiter({ ...limits.connections, unsharedAddresses: [consoleTarget] });
	const events = new EventBus(log);
	const store = await MailStore.open({ dataDir: config.dataDir, maxMessages: config.maxMessages, events, warn: log });
	let classroom: Classroom = localClassroom;
	if (config.classroom.enabled) {
		try {
			classroom = await openClassroom({ dataDir: config.dataDir, instructorToken: config.classroom.instructorToken, store: () => store, log });
		} catch (error) {
			await store.close();
			throw error;
		}
	}
	const drills = new DrillSwitch();
	// The console's own connections to SMTP, POP3 and IMAP, which a person types: they get longer to log in.
	const consoleLinks = new ConsoleLinks();
	let smtp;
	try {
		smtp = await startCaptureServer({
			drills,
			...(options.drillStallMs === undefined ? {} : { drillStallMs: options.drillStallMs }),
			host: config.host,
			smtpPort: config.smtpPort,
			smtpsPort: config.smtpsPort,
			maxMessageBytes: config.maxMessageBytes,
			tls: { cert: certificate.cert, key: certificate.key },
			store,
			log,
			connections: serviceLimiter(),
			loginTimeoutMs: limits.loginTimeoutMs,
			consoleLinks,
			// Classroom mode: a login is required, and the learner's login files the mail in their mailbox.
			...(classroom.enabled ? { authenticate: (user: string, password: string) => classroom.mailLogin(user, password), requireAuth: true } : {}),
		});
	} catch (error) {
		await store.close();
		throw error;
	}
	// The last leg of the chain: a mail client reads what was captured. Local mode has one inbox that any
	// login opens; in classroom mode a learner's SMTP credentials open their own mailbox, and only over TLS
	// once the sandbox is reachable from the network.
	const source = storeMailboxSource(store, events);
	const tls = { key: certificate.key, cert: certificate.cert };
	const authenticator: Authenticator = { authenticate: async (user, password) => classroom.mailLogin(user, password) };
	const requireTlsForLogin = classroom.enabled && !isLoopbackHost(config.host);
	const readers: RunningMailReadServer[] = [];
	const reading = {
		source,
		authenticator,
		requireTlsForLogin,
		readOnly: config.mailboxReadOnly,
		tls,
		host: config.host,
		loginTimeoutMs: limits.loginTimeoutMs,
		consoleLinks,
		logger: { info: silentLog, warn: log },
	};
	try {
		readers.push(await startPop3Server({ ...reading, connections: serviceLimiter(), port: config.pop3Port, tlsPort: config.pop3sPort }));
		readers.push(await startImapServer({ ...reading, connections: serviceLimiter(), port: config.imapPort, tlsPort: config.imapsPort }));
	} catch (error) {
		await Promise.all(readers.map((reader) => reader.close()));
		await smtp.close();
		await store.close();
		throw error;
	}
	const [pop3, imap] = readers as [RunningMailReadServer, RunningMailReadServer];
	const ports: SandboxHandle['ports'] = {
		smtp: smtp.ports.smtp,
		smtps: smtp.ports.smtps,
		pop3: pop3.ports.plain,
		pop3s: pop3.ports.tls,
		imap: imap.ports.plain,
		imaps: imap.ports.tls,
		http: null,
	};
	const renderer = new MessageRenderer({ log, ...(options.renderBudgetMs === undefined ? {} : { budgetMs: options.renderBudgetMs }) });
	const messages = new MessageViews(store, renderer);
	const http = createHttpGuard({ connections: limiter(), loginTimeoutMs: limits.loginTimeoutMs, log });
	const api = createApiHandler({
		store,
		messages,
		events,
		log,
		maxEventStreams: Math.max(1, Math.floor(limits.connections.total * EVENT_STREAM_SHARE)),
		classroom,
		drills,
		host: config.host,
		publicOrigin: config.publicUrl,
		health: () => ({
			ports: { ...ports },
			tls: { certPath: certificate.certPath },
			messages: { count: store.count, max: config.maxMessages },
			maxMessageBytes: config.maxMessageBytes,
		}),
		mailReadSessions: () => [...pop3.transcripts(), ...imap.transcripts()],
		portTlsLab: (choice) =>
			runPortTlsLab(choice, { host: loopbackFor(config.host), ports: { smtp: ports.smtp, smtps: ports.smtps }, ca: certificate.cert }),
	});

	const consoleBridge = createConsoleBridge({
		host: config.host,
		publicOrigin: config.publicUrl,
		targets: () => ({ host: consoleTarget, ports: { smtp: ports.smtp, pop3: ports.pop3, imap: ports.imap } }),
		ca: certificate.cert,
		store,
		classroom,
		connections: limiter(),
		consoleLinks,
		loginTimeoutMs: limits.loginTimeoutMs,
		log,
		...(options.consoleIdleMs === undefined ? {} : { idleMs: options.consoleIdleMs }),
	});

	const gate = createRequestGate({ host: config.host, classroom: classroom.enabled });
	const serve: SandboxHandle['serve'] = (req, res, next) => gate(req, res, () => api(req, res, next));
	const linkOrigin = createLinkOrigin({ host: config.host, port: () => ports.http, publicUrl: config.publicUrl });

	let closing: Promise<void> | null = null;
	const handle: SandboxHandle = {
		config,
		ports,
		store,
		events,
		pop3,
		imap,
		drills,
		certificate: { path: certificate.certPath, keyPath: certificate.keyPath, pem: certificate.cert, created: certificate.created },
		classroom,
		api,
		serve,
		linkOrigin,
		http,
		messages,
		console: consoleBridge,
		close() {
			closing ??= (async () => {
				api.close();
				consoleBridge.close();
				await Promise.all([smtp.close(), pop3.close(), imap.close(), renderer.close()]);
				await store.close();
			})();
			return closing;
		},
	};
	return handle;
}

/** The lab connects to our own ports; a wildcard listen address is reached through loopback. */
function loopbackFor(host: string): string {
	if (host === '0.0.0.0' || host === '') return '127.0.0.1';
	if (host === '::' || host === '[::]') return '::1';
	return host;
}

