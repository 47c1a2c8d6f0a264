/**
 * What POP3 and IMAP servers share around their sessions: the two listeners with their defaults, the
 * connection limit, and each finished session's transcript kept in a ring and handed to `onSession`.
 * A protocol only says how it greets, refuses and runs a session.
 */
import { ConnectionLimiter } from '../connections/connection-limiter.ts';
import type { MailConnection } from './mail-connection.ts';
import { ServedMessages } from './served-message-cache.ts';
import {
	DEFAULT_LOGIN_TIMEOUT_MS,
	DEFAULT_MAX_CONNECTIONS,
	silentLogger,
	type MailReadLogger,
	type MailReadServerOptions,
	type RunningMailReadServer,
} from './server-options.ts';
import { startListeners } from './tcp-listeners.ts';
import { TranscriptRing } from './transcript.ts';

/** What a session needs from its server besides the connection. */
export interface SessionContext {
	served: ServedMessages;
	logger: MailReadLogger;
	canStartTls: () => boolean;
	loginAllowed: () => boolean;
}

export interface MailReadProtocol {
	protocol: 'pop3' | 'imap';
	defaultPorts: { plain: number; tls: number };
	/** The RFC's minimum autologout time, used unless the options ask for another. */
	idleTimeoutMs: number;
	/** The line sent (before closing) to a client over a connection limit: its share (`address`) or everyone's. */
	tooManyConnectionsLine: (reason: 'address' | 'total', limit: number) => string;
	/** The protocol's name for its upgrade command, for the start-up log. */
	upgradeCommand: 'STLS' | 'STARTTLS';
	/** Runs the protocol on a connection that is ready to be greeted. */
	startSession(connection: MailConnection, context: SessionContext): void;
}

export async function startMailReadServer(options: MailReadServerOptions, protocol: MailReadProtocol): Promise<RunningMailReadServer> {
	const logger = options.logger ?? silentLogger;
	const served = new ServedMessages(options.source);
	const ring = new TranscriptRing(options.transcriptLimit);
	const listeners = await startListeners({
		protocol: protocol.protocol,
		tls: options.tls,
		host: options.host ?? '127.0.0.1',
		port: options.port ?? protocol.defaultPorts.plain,
		tlsPort: options.tlsPort ?? protocol.defaultPorts.tls,
		connections: options.connections ?? new ConnectionLimiter({ total: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS, perAddress: null }),
		idleTimeoutMs: options.idleTimeoutMs ?? protocol.idleTimeoutMs,
		loginTimeoutMs: options.loginTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS,
		...(options.consoleLinks ? { consoleLinks: options.consoleLinks } : {}),
		tooManyConnectionsLine: protocol.tooManyConnectionsLine,
		warn: (message) => logger.warn(message),
		startSession(connection) {
			connection.onClose(() => {
				const transcript = connection.recorder.end();
				ring.push(transcript);
				try {
					options.onSession?.(transcript);
				} catch (error) {
					logger.warn(`${protocol.protocol}: onSession failed: ${String(error)}`);
				}
			});
			protocol.startSession(connection, {
				served,
				logger,
				canStartTls: () => !connection.secure,
				loginAllowed: () => connection.secure || !options.requireTlsForLogin,
			});
		},
	});
	const name = protocol.protocol.toUpperCase();
	logger.info(`${name} listening on ${listeners.ports.plain} (${protocol.upgradeCommand}) and ${listeners.ports.tls} (TLS)`);
	return { ports: listeners.ports, transcripts: () => ring.list(), close: () => listeners.close() };
}
