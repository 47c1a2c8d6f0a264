/**
 * The sandbox's read-only IMAP4rev1 server (RFC 3501): a plain port with STARTTLS and a port with TLS
 * from the first byte. Enough for Python's imaplib and Thunderbird to list and read captured mail.
 */
import { startListeners } from '../mailread/tcp-listeners.ts';
import { ServedMessages } from '../mailread/served-message-cache.ts';
import { TranscriptRing } from '../mailread/transcript.ts';
import {
	DEFAULT_MAX_CONNECTIONS,
	silentLogger,
	type MailReadServerOptions,
	type RunningMailReadServer,
} from '../mailread/server-options.ts';
import { ImapSession } from './imap-session.ts';
import { UidRegistry } from './uid-registry.ts';

/** RFC 3501 §5.4: the autologout timer must be at least 30 minutes (IDLE clients re-issue at 29). */
const IMAP_IDLE_TIMEOUT_MS = 30 * 60 * 1000;

export type ImapServerOptions = MailReadServerOptions;

/**
 * Starts IMAP on `port` (STARTTLS offered) and `tlsPort` (TLS from the first byte); port 0 picks a free
 * one. The sandbox uses 2143/2993 (`SANDBOX_IMAP_PORT`, `SANDBOX_IMAPS_PORT`). Same options and handle
 * as `startPop3Server`.
 */
export async function startImapServer(options: ImapServerOptions): Promise<RunningMailReadServer> {
	const logger = options.logger ?? silentLogger;
	const served = new ServedMessages(options.source);
	const registry = new UidRegistry();
	const ring = new TranscriptRing(options.transcriptLimit);
	const listeners = await startListeners({
		protocol: 'imap',
		tls: options.tls,
		host: options.host ?? '127.0.0.1',
		port: options.port ?? 2143,
		tlsPort: options.tlsPort ?? 2993,
		maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
		idleTimeoutMs: options.idleTimeoutMs ?? IMAP_IDLE_TIMEOUT_MS,
		tooManyConnectionsLine: '* BYE [UNAVAILABLE] Too many connections, try again later',
		startSession(connection) {
			connection.onClose(() => {
				const transcript = connection.recorder.end();
				ring.push(transcript);
				try {
					options.onSession?.(transcript);
				} catch (error) {
					logger.warn(`imap: onSession failed: ${String(error)}`);
				}
			});
			const session = new ImapSession({
				connection,
				source: options.source,
				served,
				authenticator: options.authenticator,
				registry,
				canStartTls: () => !connection.secure,
				loginAllowed: () => connection.secure || !options.requireTlsForLogin,
				logger,
			});
			void session.start();
		},
	});
	logger.info(`IMAP listening on ${listeners.ports.plain} (STARTTLS) and ${listeners.ports.tls} (TLS)`);
	return { ports: listeners.ports, transcripts: () => ring.list(), close: () => listeners.close() };
}
