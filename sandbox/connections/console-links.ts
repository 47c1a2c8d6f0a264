/**
 * The lessons' protocol console connects to the sandbox's own SMTP, POP3 and IMAP ports from this
 * process. A program logs in within a second, so the servers close a connection that has not logged in
 * after SANDBOX_LOGIN_TIMEOUT_SECONDS; a learner typing EHLO, STARTTLS and AUTH by hand, reading each
 * explanation on the way, needs minutes. The console's connections are known here by the local port each
 * leaves from (the server sees it as the client's port), so a server can give them the console's own
 * allowance instead, and nobody else gets more.
 */
import type { Socket } from 'node:net';

/** How long a console connection may take to log in: the console's own idle limit. */
export const CONSOLE_LOGIN_TIMEOUT_MS = 5 * 60_000;

export class ConsoleLinks {
	readonly #ports = new Set<number>();

	/** Counts `socket` (the console's side of a connection) as the console's, from connect to close. */
	track(socket: Socket): void {
		socket.once('connect', () => {
			const port = socket.localPort;
			if (port === undefined) return;
			this.#ports.add(port);
			socket.once('close', () => this.#ports.delete(port));
		});
	}

	/** Whether a server's client at `address`:`port` is one of the console's connections. */
	isConsole(address: string | undefined, port: number | undefined): boolean {
		return port !== undefined && isLoopback(address) && this.#ports.has(port);
	}
}

function isLoopback(address: string | undefined): boolean {
	return address === '::1' || address?.startsWith('127.') === true || address?.startsWith('::ffff:127.') === true;
}

export interface LoginDeadlineOptions {
	/** SANDBOX_LOGIN_TIMEOUT_SECONDS, in milliseconds: what a program gets. */
	baseMs: number;
	links: ConsoleLinks | undefined;
	/** The client's address and port, as the server sees them. */
	client: () => { address: string | undefined; port: number | undefined };
	/** Ends the connection; `allowedMs` is how long it was given, for the goodbye line. */
	expire: (allowedMs: number) => void;
}

/**
 * Arms one connection's login deadline for SMTP, POP3 and IMAP alike: `expire` runs after `baseMs`, or for a
 * console's connection after CONSOLE_LOGIN_TIMEOUT_MS. Asked when the base time is up, not at accept: the
 * console learns its socket's port on connect, which can come after the server has accepted it. Returns the
 * cancel (logged in, or closed).
 */
export function armLoginDeadline(options: LoginDeadlineOptions): () => void {
	let timer = setTimeout(() => {
		const extra = CONSOLE_LOGIN_TIMEOUT_MS - options.baseMs;
		const { address, port } = options.client();
		if (extra > 0 && options.links?.isConsole(address, port)) {
			timer = setTimeout(() => options.expire(CONSOLE_LOGIN_TIMEOUT_MS), extra);
			timer.unref();
			return;
		}
		options.expire(options.baseMs);
	}, options.baseMs);
	timer.unref();
	return () => clearTimeout(timer);
}
