/**
 * Opens the two ports every mail-reading protocol has: a plain one that can upgrade (STLS/STARTTLS) and
 * one with TLS from the first byte (995/993 style). Counts connections so a flood of clients is turned
 * away with a protocol answer instead of exhausting the process, and closes everything on shutdown.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import { MailConnection } from './mail-connection.ts';

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
	maxConnections: number;
	idleTimeoutMs: number;
	/** The line sent (before closing) to a client over the connection limit. */
	tooManyConnectionsLine: string;
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
	let sessions = 0;

	const accept = (socket: Socket, implicitTls: boolean): void => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		const connection = new MailConnection({
			protocol: options.protocol,
			socket,
			implicitTls,
			secureContext,
			idleTimeoutMs: options.idleTimeoutMs,
		});
		const overLimit = sessions >= options.maxConnections;
		if (!overLimit) {
			sessions += 1;
			connection.onClose(() => {
				sessions -= 1;
			});
		}
		void connection.ready(implicitTls).then(async (ok) => {
			if (!ok) return;
			if (overLimit) {
				await connection.sendLine(options.tooManyConnectionsLine);
				connection.close();
				return;
			}
			options.startSession(connection);
		});
	};

	const plain = createServer((socket) => accept(socket, false));
	const secure = createServer((socket) => accept(socket, true));
	const plainPort = await listen(plain, options.port, options.host);
	let tlsPort: number;
	try {
		tlsPort = await listen(secure, options.tlsPort, options.host);
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

function listen(server: Server, port: number, host: string): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			const address = server.address();
			resolve(typeof address === 'object' && address ? address.port : port);
		});
	});
}

function closeServer(server: Server): Promise<void> {
	return new Promise((resolve) => server.close(() => resolve()));
}
