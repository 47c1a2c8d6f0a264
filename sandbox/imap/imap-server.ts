/**
 * The sandbox's IMAP4rev1 server (RFC 3501): a plain port with STARTTLS and a port with TLS
 * from the first byte. Enough for Python's imaplib, mbsync and Thunderbird to
 * read, flag and delete captured mail.
 */
import { startMailReadServer } from '../line-protocol/mail-read-server.ts';
import type { MailReadServerOptions, RunningMailReadServer } from '../line-protocol/server-options.ts';
import { ImapSession } from './imap-session.ts';

/** RFC 3501 §5.4: the autologout timer must be at least 30 minutes (IDLE clients re-issue at 29). */
const IMAP_IDLE_TIMEOUT_MS = 30 * 60 * 1000;

export type ImapServerOptions = MailReadServerOptions;

/**
 * Starts IMAP on `port` (STARTTLS offered) and `tlsPort` (TLS from the first byte); port 0 picks a free
 * one. The sandbox uses 2143/2993 (`SANDBOX_IMAP_PORT`, `SANDBOX_IMAPS_PORT`). Same options and handle
 * as `startPop3Server`.
 */
export async function startImapServer(options: ImapServerOptions): Promise<RunningMailReadServer> {
	return startMailReadServer(options, {
		protocol: 'imap',
		defaultPorts: { plain: 2143, tls: 2993 },
		portVariables: { plain: 'SANDBOX_IMAP_PORT', tls: 'SANDBOX_IMAPS_PORT' },
		idleTimeoutMs: IMAP_IDLE_TIMEOUT_MS,
		// RFC 5530 §3: UNAVAILABLE is a temporary failure; the client may try again later.
		refusalPrefix: '* BYE [UNAVAILABLE]',
		upgradeCommand: 'STARTTLS',
		startSession(session) {
			void new ImapSession(session).start();
		},
	});
}
