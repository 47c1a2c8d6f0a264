/**
 * Test support: a raw SMTP client that sends exactly the bytes a test gives it and reads whole replies,
 * for what real clients will not do (garbage, SMTPUTF8 by hand, half-open connections).
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';

export class SmtpDialogue {
	readonly socket: Socket | TLSSocket;
	#buffer = '';
	#waiters: Array<() => void> = [];
	closed = false;

	private constructor(socket: Socket | TLSSocket) {
		this.socket = socket;
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			this.#buffer += chunk;
			this.#wake();
		});
		socket.on('close', () => {
			this.closed = true;
			this.#wake();
		});
		socket.on('error', () => undefined);
	}

	static async open(port: number, options: { tls?: boolean; ca?: string } = {}): Promise<SmtpDialogue> {
		const socket = options.tls
			? connectTls({ host: '127.0.0.1', port, servername: 'localhost', ...(options.ca ? { ca: options.ca } : {}) })
			: connectTcp({ host: '127.0.0.1', port });
		await new Promise<void>((resolve, reject) => {
			socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
			socket.once('error', reject);
		});
		return new SmtpDialogue(socket);
	}

	/** Reads one complete reply (all its lines); rejects if the server closes first. */
	async reply(timeoutMs = 10_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const match = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n/.exec(this.#buffer);
			if (match) {
				this.#buffer = this.#buffer.slice(match[0].length);
				return match[0].trimEnd();
			}
			if (this.closed) throw new Error(`connection closed; unread: ${JSON.stringify(this.#buffer)}`);
			if (Date.now() > deadline) throw new Error(`no reply within ${timeoutMs} ms; unread: ${JSON.stringify(this.#buffer)}`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
				this.#waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	/** Sends one command line and reads its reply. */
	async command(line: string): Promise<string> {
		this.write(`${line}\r\n`);
		return this.reply();
	}

	write(data: string | Buffer): void {
		this.socket.write(data);
	}

	/** Resolves when the server has closed the connection. */
	async closedByServer(timeoutMs = 10_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!this.closed) {
			if (Date.now() > deadline) throw new Error('the server did not close the connection');
			await new Promise<void>((resolve) => this.#waiters.push(resolve));
		}
	}

	end(): void {
		this.socket.destroy();
	}

	#wake(): void {
		const waiters = this.#waiters.splice(0);
		for (const wake of waiters) wake();
	}
}
