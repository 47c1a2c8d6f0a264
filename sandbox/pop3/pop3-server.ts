/**
 * The sandbox's POP3 server (RFC 1939 with CAPA, RFC 2449, and STLS, RFC 2595): a plain port that can
 * upgrade and a port with TLS from the first byte. Learners download (and, with "delete after download",
 * remove) their captured mail with it using Python's poplib, `openssl s_client` or a mail client.
 */
import { startMailReadServer } from '../line-protocol/mail-read-server.ts';
import type { MailReadServerOptions, RunningMailReadServer } from '../line-protocol/server-options.ts';
import { Pop3Session } from './pop3-session.ts';

/** RFC 1939 §3: the autologout timer must be at least 10 minutes. */
const POP3_IDLE_TIMEOUT_MS = 10 * 60 * 1000;

export type Pop3ServerOptions = MailReadServerOptions;

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
	return startMailReadServer(options, {
		protocol: 'pop3',
		defaultPorts: { plain: 2110, tls: 2995 },
		portVariables: { plain: 'SANDBOX_POP3_PORT', tls: 'SANDBOX_POP3S_PORT' },
		idleTimeoutMs: POP3_IDLE_TIMEOUT_MS,
		// RFC 3206 §4: SYS/TEMP is a temporary shortage that trying again later resolves ([IN-USE] of RFC 2449
		// would claim another session holds this maildrop's lock, which is not what happened).
		refusalPrefix: '-ERR [SYS/TEMP]',
		upgradeCommand: 'STLS',
		startSession(session) {
			void new Pop3Session(session).start();
		},
	});
}
