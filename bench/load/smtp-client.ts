/**
 * A lean SMTP client for load: raw sockets, MAIL/RCPT/DATA pipelined (RFC 2920), no parsing beyond
 * reply codes. nodemailer tops out near 900 messages/s on this machine, which would measure the
 * client rather than the server.
 */
import { connect, type Socket } from 'node:net';

interface Reply {
	code: number;
	text: string;
}

/** One SMTP connection with a queue of readers waiting for replies, in order. */
class Connection {
	readonly #socket: Socket;
	#buffer = '';
	#lines: string[] = [];
	#waiting: Array<{ resolve: (reply: Reply) => void; reject: (error: Error) => void }> = [];
	#ready: Reply[] = [];
	#failure: Error | null = null;

	private constructor(socket: Socket) {
		this.#socket = socket;
		socket.setNoDelay(true);
		socket.setEncoding('latin1');
		socket.on('data', (chunk: string) => this.#onData(chunk));
		socket.on('error', (error) => this.#fail(error));
		socket.on('close', () => this.#fail(new Error('connection closed by the server')));
	}

	static open(host: string, port: number): Promise<Connection> {
		return new Promise((resolve, reject) => {
			const socket = connect({ host, port }, () => {
				socket.off('error', reject);
				resolve(new Connection(socket));
			});
			socket.once('error', reject);
		});
	}

	#onData(chunk: string): void {
		this.#buffer += chunk;
		let end: number;
		while ((end = this.#buffer.indexOf('\r\n')) !== -1) {
			const line = this.#buffer.slice(0, end);
			this.#buffer = this.#buffer.slice(end + 2);
			this.#lines.push(line);
			// A reply ends with the line whose fourth character is a space (RFC 5321 4.2.1).
			if (line.length < 4 || line[3] !== '-') {
				const reply = { code: Number(line.slice(0, 3)), text: this.#lines.join('\n') };
				this.#lines = [];
				const waiter = this.#waiting.shift();
				if (waiter) waiter.resolve(reply);
				else this.#ready.push(reply);
			}
		}
	}

	#fail(error: Error): void {
		this.#failure ??= error;
		for (const waiter of this.#waiting.splice(0)) waiter.reject(error);
	}

	reply(): Promise<Reply> {
		const ready = this.#ready.shift();
		if (ready) return Promise.resolve(ready);
		if (this.#failure) return Promise.reject(this.#failure);
		return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
	}

	async expect(code: number, what: string): Promise<Reply> {
		const reply = await this.reply();
		if (reply.code !== code) throw new Error(`${what}: expected ${code}, got ${reply.text}`);
		return reply;
	}

	write(data: string | Buffer): void {
		this.#socket.write(data);
	}

	close(): void {
		this.#socket.destroy();
	}
}

export interface LoadOptions {
	host: string;
	port: number;
	/** Total messages to send. */
	messages: number;
	/** Concurrent connections. */
	connections: number;
	/** Keep each connection for many messages (true) or open one per message (false). */
	persistent: boolean;
	/** Wire form of message n (CRLF line ends, dot-stuffed, no terminating dot). */
	message: (n: number) => Buffer;
	/** Called when the server accepted message n with its 250, with performance.now(). */
	onAccepted?: (n: number, at: number) => void;
}

export interface LoadResult {
	messages: number;
	elapsedMs: number;
	perSecond: number;
}

const ehlo = 'EHLO bench.postlab\r\n';
const envelope = 'MAIL FROM:<noreply@forum.example>\r\nRCPT TO:<learner@example.com>\r\nDATA\r\n';

async function handshake(connection: Connection): Promise<void> {
	await connection.expect(220, 'greeting');
	connection.write(ehlo);
	const reply = await connection.expect(250, 'EHLO');
	if (!/PIPELINING/i.test(reply.text)) throw new Error('the server does not offer PIPELINING');
}

async function sendOne(connection: Connection, body: Buffer): Promise<void> {
	connection.write(envelope);
	await connection.expect(250, 'MAIL FROM');
	await connection.expect(250, 'RCPT TO');
	await connection.expect(354, 'DATA');
	connection.write(body);
	connection.write('.\r\n');
	await connection.expect(250, 'end of data');
}

/** Sends `messages` messages over `connections` connections and resolves when the last one got its 250. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
	let next = 0;
	const take = (): number | null => (next < options.messages ? next++ : null);
	const started = performance.now();

	async function worker(): Promise<void> {
		let connection: Connection | null = null;
		try {
			for (let n = take(); n !== null; n = take()) {
				if (!connection) {
					connection = await Connection.open(options.host, options.port);
					await handshake(connection);
				}
				await sendOne(connection, options.message(n));
				options.onAccepted?.(n, performance.now());
				if (!options.persistent) {
					connection.write('QUIT\r\n');
					await connection.expect(221, 'QUIT');
					connection.close();
					connection = null;
				}
			}
			if (connection) {
				connection.write('QUIT\r\n');
				await connection.expect(221, 'QUIT');
			}
		} finally {
			connection?.close();
		}
	}

	await Promise.all(Array.from({ length: options.connections }, worker));
	const elapsedMs = performance.now() - started;
	return { messages: options.messages, elapsedMs, perSecond: (options.messages * 1000) / elapsedMs };
}
