/**
 * Test support for the hardening tests: an SMTP client that writes exactly the bytes it is given (split
 * into the TCP writes it is told to use), reads whole replies, upgrades with STARTTLS on request, and can
 * hang up in every way a broken client does (reset, half-close, silence). Replies are read as latin1 so
 * binary junk echoed back never breaks the reader.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';

export interface WireOptions {
	port: number;
	/** TLS from the first byte (the 465-style port), trusting `ca`. */
	tls?: boolean;
	ca?: string;
}

/** One complete reply: `code` of its last line, `text` of all lines. */
export interface Reply {
	code: number;
	text: string;
}

const REPLY = /^(?:\d{3}-[^\n]*\n)*(\d{3})(?:[ \t][^\n]*)?\r?\n/;

export class WireClient {
	socket: Socket | TLSSocket;
	/** Every byte the server sent, for finding `stored as <id>` replies. */
	received = '';
	#unread = '';
	#waiters: Array<() => void> = [];
	#closed = false;
	#closedAt: Promise<void>;

	private constructor(socket: Socket | TLSSocket) {
		this.socket = socket;
		this.#closedAt = new Promise((resolve) => {
			this.#attach(socket, resolve);
		});
	}

	static async open(options: WireOptions): Promise<WireClient> {
		const socket = options.tls
			? connectTls({ host: '127.0.0.1', port: options.port, servername: 'localhost', ca: options.ca ?? '' })
			: connectTcp({ host: '127.0.0.1', port: options.port });
		await new Promise<void>((resolve, reject) => {
			socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
			socket.once('error', reject);
		});
		return new WireClient(socket);
	}

	get closed(): boolean {
		return this.#closed;
	}

	/** The next complete reply, or null when the server closed first. Rejects after `timeoutMs` of silence. */
	async reply(timeoutMs = 15_000): Promise<Reply | null> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const match = REPLY.exec(this.#unread);
			if (match) {
				this.#unread = this.#unread.slice(match[0].length);
				return { code: Number(match[1]), text: match[0].trimEnd() };
			}
			if (this.#closed) return null;
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`no reply within ${timeoutMs} ms; unread: ${JSON.stringify(this.#unread.slice(0, 200))}`);
			await this.#wait(left);
		}
	}

	/** Writes `data`, cut into `segments` separate writes at the given offsets (TCP segmentation edge cases). */
	write(data: Buffer | string, cuts: number[] = []): void {
		if (this.#closed || this.socket.destroyed || this.socket.writableEnded) return;
		const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
		let from = 0;
		for (const cut of [...cuts.filter((at) => at > 0 && at < bytes.length).sort((a, b) => a - b), bytes.length]) {
			if (cut > from) this.socket.write(bytes.subarray(from, cut));
			from = cut;
		}
	}

	async command(line: string): Promise<Reply | null> {
		this.write(`${line}\r\n`);
		return this.reply();
	}

	/** Upgrades the connection after the server said 220 to STARTTLS. */
	async startTls(ca: string): Promise<void> {
		const plain = this.socket;
		plain.removeAllListeners('data');
		const secure = connectTls({ socket: plain, servername: 'localhost', ca });
		await new Promise<void>((resolve, reject) => {
			secure.once('secureConnect', () => resolve());
			secure.once('error', reject);
			secure.once('close', () => reject(new Error('closed during the TLS handshake')));
		});
		this.socket = secure;
		this.#attach(secure, () => undefined);
	}

	/** Resolves once the server has closed; false if it did not within `timeoutMs`. */
	async serverClosed(timeoutMs: number): Promise<boolean> {
		let timer: NodeJS.Timeout | undefined;
		const timedOut = new Promise<false>((resolve) => {
			timer = setTimeout(() => resolve(false), timeoutMs);
		});
		const result = await Promise.race([this.#closedAt.then(() => true as const), timedOut]);
		clearTimeout(timer);
		return result;
	}

	/** FIN without reading on: the half-open client. */
	halfClose(): void {
		if (!this.socket.destroyed) this.socket.end();
	}

	destroy(): void {
		this.socket.destroy();
	}

	#attach(socket: Socket | TLSSocket, onClose: () => void): void {
		socket.on('data', (chunk: Buffer) => {
			const text = chunk.toString('latin1');
			this.received += text;
			this.#unread += text;
			this.#wake();
		});
		// The server's FIN is its hang-up, even while our half of a TLS connection is still winding down.
		const closed = () => {
			this.#closed = true;
			onClose();
			this.#wake();
		};
		socket.on('end', closed);
		socket.on('close', closed);
		// A reset by the server is an outcome the test looks at, not an exception.
		socket.on('error', () => undefined);
	}

	#wait(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(resolve, ms);
			this.#waiters.push(() => {
				clearTimeout(timer);
				resolve();
			});
		});
	}

	#wake(): void {
		for (const wake of this.#waiters.splice(0)) wake();
	}
}

/** RFC 5321 §4.5.2: a leading dot on any line is doubled (after a bare LF too, as smtp-server unstuffs there). */
export function dotStuff(raw: Buffer): Buffer {
	const out: number[] = [];
	for (let i = 0; i < raw.length; i += 1) {
		const byte = raw[i]!;
		if (byte === 0x2e && (i === 0 || raw[i - 1] === 0x0a)) out.push(0x2e);
		out.push(byte);
	}
	return Buffer.from(out);
}

/** What the server stores for `raw` sent through DATA: the bytes, ending with the CRLF before the final dot. */
export function storedForm(raw: Buffer): Buffer {
	return raw.subarray(-2).equals(Buffer.from('\r\n')) ? raw : Buffer.concat([raw, Buffer.from('\r\n')]);
}

/** The id in `250 Ok: stored as <id>`, or null. */
export function storedId(reply: Reply | null): string | null {
	if (!reply || reply.code !== 250) return null;
	return /stored as ([0-9a-z]+)/.exec(reply.text)?.[1] ?? null;
}

/** Every id the server announced in this conversation's replies. */
export function storedIds(received: string): string[] {
	return [...received.matchAll(/^250[ -]Ok: stored as ([0-9a-z]+)/gm)].map((match) => match[1]!);
}

/**
 * One proper delivery on an open session (after EHLO): MAIL, RCPT, DATA and the stuffed message. Resolves
 * with the id from the 250, or throws with the reply that refused it.
 */
export async function deliver(client: WireClient, raw: Buffer, envelope = { from: 'fuzz@sender.test', to: 'learner@example.com' }): Promise<string> {
	for (const line of [`MAIL FROM:<${envelope.from}>`, `RCPT TO:<${envelope.to}>`]) {
		const reply = await client.command(line);
		if (reply?.code !== 250) throw new Error(`${line} → ${reply?.text ?? 'connection closed'}`);
	}
	const go = await client.command('DATA');
	if (go?.code !== 354) throw new Error(`DATA → ${go?.text ?? 'connection closed'}`);
	client.write(Buffer.concat([dotStuff(storedForm(raw)), Buffer.from('.\r\n')]));
	const done = await client.reply(60_000);
	const id = storedId(done);
	if (!id) throw new Error(`end of DATA → ${done?.text ?? 'connection closed'}`);
	return id;
}
