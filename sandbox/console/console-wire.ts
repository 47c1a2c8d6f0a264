/**
 * The messages between a lesson's protocol console (src/labs/console/) and the bridge (console-bridge.ts),
 * one JSON object per WebSocket message. Browser-safe: types and constants only.
 *
 * The browser never names a host or a port: it names a protocol, and the bridge picks Postlab's own sandbox
 * port for it on loopback.
 */
import type { Bilingual } from '../outbound/settings/problem.ts';

export type ConsoleProtocol = 'smtp' | 'pop3' | 'imap';
export const CONSOLE_PROTOCOLS: readonly ConsoleProtocol[] = ['smtp', 'pop3', 'imap'];

/** Where the console's WebSocket connects; the one query parameter is `protocol`. */
export const CONSOLE_PATH = '/api/v1/console';

/**
 * RFC 5321 §4.5.3.1.6: a text line is at most 1000 octets with its CRLF. POP3 (RFC 2449 §4: 255 octets a
 * command) and IMAP commands are shorter still, so this bound serves all three.
 */
export const MAX_CONSOLE_LINE = 998;
/** A pasted message body arrives as one batch of lines; more than this is refused, not cut. */
export const MAX_LINES_PER_BATCH = 200;

export type LoginMechanism = 'PLAIN' | 'LOGIN';

/** Browser → bridge. */
export type ConsoleClientMessage =
	/** Lines the learner typed or pasted, without CRLF; sent to the server in order. */
	| { t: 'lines'; lines: string[] }
	/**
	 * The login helper: the bridge writes the protocol's own login lines (SMTP AUTH PLAIN/LOGIN, POP3
	 * USER/PASS, IMAP LOGIN). In classroom mode `user` and `password` are ignored and the learner's own
	 * credentials are used, so the console can only ever open the learner's own mailbox.
	 */
	| { t: 'login'; mechanism: LoginMechanism; user: string; password: string }
	| { t: 'close' };

/** Why a line was not sent, or why the session ended. */
export type ConsoleNoteKey =
	| 'line-too-long'
	| 'bad-characters'
	| 'too-many-lines'
	| 'rate-limited'
	| 'wait-for-tls'
	| 'login-by-helper'
	| 'idle-closed'
	| 'server-closed'
	| 'server-unreachable'
	| 'tls-failed'
	| 'elided'
	| 'bad-message';

export interface GoalReport {
	id: string;
	done: boolean;
	/** What went wrong on the last try at this goal: what the server said and why, in both languages. */
	hint?: Bilingual;
}

/** Bridge → browser. */
export type ConsoleServerMessage =
	/** `loginSeconds`: the server's own time to log in (SANDBOX_LOGIN_TIMEOUT_SECONDS), which the console is held to too. */
	| { t: 'open'; protocol: ConsoleProtocol; classroom: boolean; user: string | null; idleSeconds: number; loginSeconds: number }
	/** A line of the dialogue; client lines come back as the transcript shows them (credentials redacted). */
	| { t: 'line'; from: 'client' | 'server'; line: string }
	/** The bridge's side of the connection is now TLS: what follows crossed the wire encrypted. */
	| { t: 'tls'; version: string; cipher: string }
	| { t: 'note'; key: ConsoleNoteKey; count?: number }
	| { t: 'goals'; goals: GoalReport[] }
	| { t: 'closed' };
