/**
 * Options and the running-server handle the POP3 and IMAP servers share, so the sandbox wires both the
 * same way.
 */
import type { ConnectionLimiter } from '../connections/connection-limiter.ts';
import type { Authenticator, MailboxSource } from './mailbox-source.ts';
import type { TlsFiles } from './tcp-listeners.ts';
import type { MailSessionTranscript } from './transcript.ts';
import type { ConsoleLinks } from '../connections/console-links.ts';
import { silentLog, type OperatorLog } from '../operator-log.ts';

/** Where a server reports to the operator: catalogue keys, put in words where the language is known. */
export interface MailReadLogger {
	info: OperatorLog;
	warn: OperatorLog;
}

export interface MailReadServerOptions {
	source: MailboxSource;
	authenticator: Authenticator;
	/** PEM key and certificate for STLS/STARTTLS and the implicit-TLS port. */
	tls: TlsFiles;
	/** Default 127.0.0.1: the sandbox is for this machine unless asked otherwise. */
	host?: string;
	/** Plain port (STLS/STARTTLS available); 0 picks a free one. */
	port?: number;
	/** Port with TLS from the first byte; 0 picks a free one. */
	tlsPort?: number;
	/**
	 * Refuse logins until the connection is encrypted (STLS/STARTTLS or the TLS port). Default false: on
	 * 127.0.0.1 a learner's own machine is the whole network. Classroom mode should set it.
	 */
	requireTlsForLogin?: boolean;
	/**
	 * Who may connect (the sandbox shares one per service between its plain and TLS ports, with a
	 * per-address share in classroom mode). Without it: `maxConnections` in total, no per-address share.
	 */
	connections?: ConnectionLimiter;
	/** Connections over this get a polite refusal, when no `connections` limiter is given. Default 1000. */
	maxConnections?: number;
	/** Close a connection silent for this long. Defaults: RFC 1939 §3 / RFC 3501 §5.4 minimums. */
	idleTimeoutMs?: number;
	/** Close a connection that has not logged in this long after it opened. Default 30 s. */
	loginTimeoutMs?: number;
	/** The lessons' console's connections, which get CONSOLE_LOGIN_TIMEOUT_MS to log in (a person types them). */
	consoleLinks?: ConsoleLinks;
	/**
	 * SANDBOX_MAILBOX_READ_ONLY: clients may read but change nothing (IMAP flags last for the session, EXPUNGE
	 * and POP3's delete at QUIT are refused). Default false: flags and deletions reach the store, as on a real server.
	 */
	readOnly?: boolean;
	/** Called with each finished session's transcript. */
	onSession?: (transcript: MailSessionTranscript) => void;
	/** How many finished transcripts `transcripts()` keeps. Default 50. */
	transcriptLimit?: number;
	logger?: MailReadLogger;
}

export interface RunningMailReadServer {
	ports: { plain: number; tls: number };
	/** Recently finished sessions, oldest first. */
	transcripts(): MailSessionTranscript[];
	close(): Promise<void>;
}

/** Well above a class of 300 mail clients, far below what would exhaust the process (SANDBOX_MAX_CONNECTIONS). */
export const DEFAULT_MAX_CONNECTIONS = 1000;
/** Real clients log in within a second of connecting; an idle socket is let go (SANDBOX_LOGIN_TIMEOUT_SECONDS). */
export const DEFAULT_LOGIN_TIMEOUT_MS = 30_000;

export const silentLogger: MailReadLogger = { info: silentLog, warn: silentLog };
