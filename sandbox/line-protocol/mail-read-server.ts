/**
 * What POP3 and IMAP servers share around their sessions: the two listeners with their defaults, the
 * connection limit and its refusal, what every session is started with, and each finished session's
 * transcript kept in a ring and handed to `onSession`. A protocol only says how it refuses and runs a session.
 */
import { ConnectionLimiter } from '../connections/connection-limiter.ts';
import type { MailConnection } from './mail-connection.ts';
import type { Authenticator, MailboxSource } from './mailbox-source.ts';
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
import { errorDetail } from '../error-text.ts';

/** What a POP3 or IMAP session is started with: its connection and what the server shares with every session. */
export interface MailReadSessionOptions {
	connection: MailConnection;
	source: MailboxSource;
	served: ServedMessages;
	authenticator: Authenticator;
	/** SANDBOX_MAILBOX_READ_ONLY: nothing a client does changes the store (POP3's QUIT keeps what DELE marked, IMAP refuses EXPUNGE). */
	readOnly: boolean;
	/** False on the implicit-TLS port and after an upgrade. */
	canStartTls: () => boolean;
	/**
	 * When false, logins are refused until the connection is encrypted (RFC 2595 §2.1 lets POP3 insist on STLS
	 * first; IMAP advertises LOGINDISABLED, RFC 3501 §6.2.3).
	 */
	loginAllowed: () => boolean;
	logger: MailReadLogger;
}

export interface MailReadProtocol {
	protocol: 'pop3' | 'imap';
	defaultPorts: { plain: number; tls: number };
	/** The settings that choose the ports (config.ts), named when a port cannot be opened. */
	portVariables: { plain: string; tls: string };
	/** The RFC's minimum autologout time, used unless the options ask for another. */
	idleTimeoutMs: number;
	/**
	 * How the protocol begins the line that refuses a client over a connection limit (sent before closing):
	 * a temporary failure, so that the client tries again later.
	 */
	refusalPrefix: string;
	/** The protocol's name for its upgrade command, for the start-up log. */
	upgradeCommand: 'STLS' | 'STARTTLS';
	/** Runs the protocol on a connection that is ready to be greeted. */
	startSession(options: MailReadSessionOptions): void;
}

/** The refusal over a connection limit: the client's share (`address`) or everyone's. */
function tooManyConnectionsLine(prefix: string, reason: 'address' | 'total', limit: number): string {
	return reason === 'address'
		? `${prefix} Too many connections from your address (${limit} at once), close one or try again later`
		: `${prefix} Too many connections, try again later`;
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
		portVariables: protocol.portVariables,
		tooManyConnectionsLine: (reason, limit) => tooManyConnectionsLine(protocol.refusalPrefix, reason, limit),
		warn: logger.warn,
		startSession(connection) {
			connection.onClose(() => {
				const transcript = connection.recorder.end();
				ring.push(transcript);
				try {
					options.onSession?.(transcript);
				} catch (error) {
					logger.warn('log.mailRead.onSessionFailed', { protocol: protocol.protocol.toUpperCase(), reason: errorDetail(error) });
				}
			});
			protocol.startSession({
				connection,
				source: options.source,
				served,
				authenticator: options.authenticator,
				readOnly: options.readOnly ?? false,
				logger,
				canStartTls: () => !connection.secure,
				loginAllowed: () => connection.secure || !options.requireTlsForLogin,
			});
		},
	});
	logger.info('log.mailRead.listening', {
		protocol: protocol.protocol.toUpperCase(),
		plain: listeners.ports.plain,
		upgrade: protocol.upgradeCommand,
		tls: listeners.ports.tls,
	});
	return { ports: listeners.ports, transcripts: () => ring.list(), close: () => listeners.close() };
}
