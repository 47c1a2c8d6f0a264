/**
 * Test support: a line-based client for SMTP, POP3 and IMAP that connects from a chosen loopback address
 * (Linux routes all of 127.0.0.0/8 to loopback, so 127.0.0.2 and 127.0.0.3 stand for two machines of a
 * class), plain or with TLS from the first byte, and reads CRLF lines as they come.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';

export interface LineClientOptions {
	port: number;
	/** Source address of the connection. */
	from: string;
	/** TLS from the first byte, trusting `ca`. */
	tls?: { ca: string };
}

export class LineClient {
	readonly socket: Socket | TLSSocket;
	readonly closed: Promise<void>;
	#lines: string[] = [];
	#partial = '';
	#waiters: Array<() => void> = [];
	#ended = false;

	private constructor(socket: Socket | TLSSocket) {
		this.socket = socket;
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			const parts = (this.#partial + chunk).split('\r\n');
			this.#partial = parts.pop() ?? '';
			this.#lines.push(...parts);
			this.#wake();
		});
		socket.on('error', () => undefined);
		this.closed = new Promise((resolve) =>
			socket.on('close', () => {
				this.#ended = true;
				this.#wake();
				resolve();
			}),
		);
	}

	static open(options: LineClientOptions): Promise<LineClient> {
		return new Promise((resolve, reject) => {
			const socket = options.tls
				? connectTls({ socket: connectTcp({ host: '127.0.0.1', port: options.port, localAddress: options.from }), ca: options.tls.ca, servername: 'localhost' })
				: connectTcp({ host: '127.0.0.1', port: options.port, localAddress: options.from });
			const client = new LineClient(socket);
			socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve(client));
			socket.once('error', reject);
		});
	}

	/** The next line, or null when the server closed before sending one. */
	async line(): Promise<string | null> {
		for (;;) {
			const next = this.#lines.shift();
			if (next !== undefined) return next;
			if (this.#ended) return null;
			await new Promise<void>((resolve) => this.#waiters.push(resolve));
		}
	}

	/** Lines up to and including the first that matches; throws if the server closes first. */
	async until(match: RegExp): Promise<string[]> {
		const lines: string[] = [];
		for (;;) {
			const line = await this.line();
			if (line === null) throw new Error(`closed before ${match}; got ${JSON.stringify(lines.slice(-5))}`);
			lines.push(line);
			if (match.test(line)) return lines;
		}
	}

	send(line: string): void {
		this.socket.write(`${line}\r\n`);
	}

	destroy(): void {
		this.socket.destroy();
	}

	#wake(): void {
		for (const waiter of this.#waiters.splice(0)) waiter();
	}
}
