/**
 * Opens the two ports every mail-reading protocol has: a plain one that can upgrade (STLS/STARTTLS) and
 * one with TLS from the first byte (995/993 style). Counts connections (both ports together, in total and
 * per client address) so a flood of clients is turned away with a protocol answer instead of exhausting
 * the process, gives every connection a deadline to log in, and closes everything on shutdown.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { ConnectionLimiter } from '../connections/connection-limiter.ts';
import { MailConnection } from './mail-connection.ts';
import type { ConsoleLinks } from '../connections/console-links.ts';
import { listenError } from '../connections/listen-error.ts';
import type { OperatorLog } from '../operator-log.ts';

export interface TlsFiles {
	key: string | Buffer;
	cert: string | Buffer;
}

export interface ListenerOptions {
	protocol: 'pop3' | 'imap';
	tls: TlsFiles;
	host: string;
	port: number;
	tlsPort: number;
	/** Who may connect; one limiter counts both ports. */
	connections: ConnectionLimiter;
	idleTimeoutMs: number;
	/** A connection that has not logged in this long after connecting is closed. */
	loginTimeoutMs: number;
	/** The lessons' console's connections, which get longer to log in. */
	consoleLinks?: ConsoleLinks;
	/** The settings that choose `port` and `tlsPort`, named when one cannot be opened. */
	portVariables: { plain: string; tls: string };
	/** The line sent (before closing) to a client over a connection limit. */
	tooManyConnectionsLine: (reason: 'address' | 'total', limit: number) => string;
	/** Where a listener's own failures (out of file descriptors on accept) are reported. */
	warn: OperatorLog;
	/** Runs a session on a connection that is ready to be greeted. */
	startSession(connection: MailConnection): void;
}

export interface RunningListeners {
	ports: { plain: number; tls: number };
	close(): Promise<void>;
}

export async function startListeners(options: ListenerOptions): Promise<RunningListeners> {
	const secureContext = createSecureContext({ key: options.tls.key, cert: options.tls.cert });
	const sockets = new Set<Socket>();

	const accept = (socket: Socket, implicitTls: boolean): void => {
		// Counted from the first byte, TLS handshake included: a half-open handshake holds a descriptor too.
		const held = options.connections.hold(socket.remoteAddress);
		if (!held) {
			socket.on('error', () => undefined);
			socket.destroy();
			return;
		}
		const admission = options.connections.admit(socket.remoteAddress);
		sockets.add(socket);
		const connection = new MailConnection({
			protocol: options.protocol,
			socket,
			implicitTls,
			secureContext,
			idleTimeoutMs: options.idleTimeoutMs,
			loginTimeoutMs: options.loginTimeoutMs,
			...(options.consoleLinks ? { consoleLinks: options.consoleLinks } : {}),
		});
		if (admission.admitted) connection.onClose(admission.release);
		socket.on('close', () => {
			sockets.delete(socket);
			held();
		});
		void connection.ready(implicitTls).then(async (ok) => {
			if (!ok) return;
			if (!admission.admitted) {
				await connection.sendLine(options.tooManyConnectionsLine(admission.reason, admission.limit));
				connection.close();
				return;
			}
			options.startSession(connection);
		});
	};

	const plain = createServer((socket) => accept(socket, false));
	const secure = createServer((socket) => accept(socket, true));
	const acceptFailed = (error: Error) => options.warn('log.mailRead.acceptFailed', { protocol: options.protocol.toUpperCase(), reason: error.message });
	const plainPort = await listen(plain, options.port, options.host, options.portVariables.plain, acceptFailed);
	let tlsPort: number;
	try {
		tlsPort = await listen(secure, options.tlsPort, options.host, options.portVariables.tls, acceptFailed);
	} catch (error) {
		// Do not leave half a server running when the TLS port is taken.
		await closeServer(plain);
		throw error;
	}

	return {
		ports: { plain: plainPort, tls: tlsPort },
		async close() {
			const closing = [closeServer(plain), closeServer(secure)];
			for (const socket of sockets) socket.destroy();
			await Promise.all(closing);
		},
	};
}

function listen(server: Server, port: number, host: string, variable: string, acceptFailed: (error: Error) => void): Promise<number> {
	return new Promise((resolve, reject) => {
		const cannotListen = (error: Error) => reject(listenError(error, port, variable));
		server.once('error', cannotListen);
		server.listen(port, host, () => {
			server.off('error', cannotListen);
			// From now on an error is an accept that failed (out of file descriptors): the listener goes on,
			// and without a listener the error would end the process.
			server.on('error', acceptFailed);
			const address = server.address();
			resolve(typeof address === 'object' && address ? address.port : port);
		});
	});
}

function closeServer(server: Server): Promise<void> {
	return new Promise((resolve) => server.close(() => resolve()));
}
