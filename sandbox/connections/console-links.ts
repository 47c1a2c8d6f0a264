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
