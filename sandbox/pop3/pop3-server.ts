/**
 * The sandbox's POP3 server (RFC 1939 with CAPA, RFC 2449, and STLS, RFC 2595): a plain port that can
 * upgrade and a port with TLS from the first byte. Learners read their captured mail with it using
 * Python's poplib, `openssl s_client` or a mail client.
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
import { Pop3Session } from './pop3-session.ts';

/** RFC 1939 §3: the autologout timer must be at least 10 minutes. */
const POP3_IDLE_TIMEOUT_MS = 10 * 60 * 1000;

export interface Pop3ServerOptions extends MailReadServerOptions {
	/** Remove messages marked with DELE when the client QUITs. Default false: the sandbox keeps mail. */
	deleteOnQuit?: boolean;
}

/**
 * Starts POP3 on `port` (STLS offered) and `tlsPort` (TLS from the first byte); port 0 picks a free one.
 * The sandbox uses 2110/2995 (`SANDBOX_POP3_PORT`, `SANDBOX_POP3S_PORT`):
 *
 * ```ts
 * const pop3 = await startPop3Server({ source, authenticator: acceptAnyLogin, tls: { key, cert }, port: 2110, tlsPort: 2995, onSession });
 * // pop3.ports.plain, pop3.ports.tls, pop3.transcripts(), await pop3.close()
 * ```
 */
export async function startPop3Server(options: Pop3ServerOptions): Promise<RunningMailReadServer> {
	const logger = options.logger ?? silentLogger;
	const served = new ServedMessages(options.source);
	const ring = new TranscriptRing(options.transcriptLimit);
	const listeners = await startListeners({
		protocol: 'pop3',
		tls: options.tls,
		host: options.host ?? '127.0.0.1',
		port: options.port ?? 2110,
		tlsPort: options.tlsPort ?? 2995,
		maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
		idleTimeoutMs: options.idleTimeoutMs ?? POP3_IDLE_TIMEOUT_MS,
		tooManyConnectionsLine: '-ERR [SYS/TEMP] Too many connections, try again later',
		startSession(connection) {
			connection.onClose(() => {
				const transcript = connection.recorder.end();
				ring.push(transcript);
				try {
					options.onSession?.(transcript);
				} catch (error) {
					logger.warn(`pop3: onSession failed: ${String(error)}`);
				}
			});
			const session = new Pop3Session({
				connection,
				source: options.source,
				served,
				authenticator: options.authenticator,
				deleteOnQuit: options.deleteOnQuit ?? false,
				canStartTls: () => !connection.secure,
				loginAllowed: () => connection.secure || !options.requireTlsForLogin,
				logger,
			});
			void session.start();
		},
	});
	logger.info(`POP3 listening on ${listeners.ports.plain} (STLS) and ${listeners.ports.tls} (TLS)`);
	return { ports: listeners.ports, transcripts: () => ring.list(), close: () => listeners.close() };
}
