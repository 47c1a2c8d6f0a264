/**
 * One client connection of the POP3 or IMAP server: the socket (plain, upgraded or TLS from the first
 * byte), the transcript, the idle timer and writes that wait for the socket to drain, so a 10 MB RETR to
 * a slow client does not pile up in memory. Protocol code talks to this and never to the socket.
 */
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { TranscriptRecorder } from './transcript.ts';

export interface MailConnectionOptions {
	protocol: 'pop3' | 'imap';
	socket: Socket;
	implicitTls: boolean;
	secureContext: SecureContext;
	idleTimeoutMs: number;
}

export class MailConnection {
	readonly recorder: TranscriptRecorder;
	#socket: Socket;
	#raw: Socket;
	#secureContext: SecureContext;
	#closed = false;
	#secure = false;
	#onData: (chunk: Buffer) => void = () => {};
	#onTimeout: () => void = () => this.close();
	#closeListeners: Array<() => void> = [];
	#dataListener = (chunk: Buffer): void => this.#onData(chunk);

	constructor(options: MailConnectionOptions) {
		this.#raw = options.socket;
		this.#socket = options.socket;
		this.#secureContext = options.secureContext;
		this.recorder = new TranscriptRecorder(
			options.protocol,
			options.socket.remoteAddress ?? 'unknown',
			options.socket.localPort ?? 0,
			options.implicitTls ? 'implicit' : 'none',
		);
		this.#raw.setNoDelay(true);
		this.#raw.setTimeout(options.idleTimeoutMs);
		this.#raw.on('timeout', () => this.#onTimeout());
		// Errors (a reset, a failed handshake) end the session; they are a client's business, not a crash.
		this.#raw.on('error', () => this.destroy());
		this.#raw.on('close', () => this.#handleClose());
	}

	/** Resolves when the connection can be greeted: at once for plain, after the handshake for implicit TLS. */
	async ready(implicitTls: boolean): Promise<boolean> {
		this.recorder.event('connect', `connection from ${this.recorder.transcript.remoteAddress}`);
		if (!implicitTls) {
			this.#socket.on('data', this.#dataListener);
			return true;
		}
		return this.#handshake('implicit');
	}

	get secure(): boolean {
		return this.#secure;
	}

	get closed(): boolean {
		return this.#closed;
	}

	onData(handler: (chunk: Buffer) => void): void {
		this.#onData = handler;
	}

	onTimeout(handler: () => void): void {
		this.#onTimeout = handler;
	}

	onClose(handler: () => void): void {
		this.#closeListeners.push(handler);
	}

	/** Sends one protocol line and records it as written (callers pass redacted text where needed). */
	async sendLine(line: string, recorded: string = line): Promise<void> {
		this.recorder.server(recorded);
		await this.sendRaw(Buffer.from(`${line}\r\n`, 'latin1'));
	}

	/** Sends bytes without recording them; the caller records a summary. */
	async sendRaw(data: Buffer): Promise<void> {
		if (this.#closed) return;
		if (this.#socket.write(data)) return;
		await new Promise<void>((resolve) => {
			const done = (): void => {
				this.#socket.off('drain', done);
				this.#socket.off('close', done);
				resolve();
			};
			this.#socket.on('drain', done);
			this.#socket.on('close', done);
		});
	}

	/**
	 * Upgrades to TLS after STLS/STARTTLS has been answered. Bytes the client sent after the command are
	 * dropped by the caller: anything sent before the handshake could have been injected (RFC 2595 §3.1).
	 */
	async startTls(): Promise<boolean> {
		this.#socket.off('data', this.#dataListener);
		return this.#handshake('starttls');
	}

	/** Stops reading from the client until `resume` (flow control for pipelined commands). */
	pause(): void {
		this.#socket.pause();
	}

	resume(): void {
		this.#socket.resume();
	}

	/** Flushes what was written, then closes. */
	close(): void {
		if (this.#closed) return;
		this.#socket.end();
		// A client that never reads must not keep the socket open forever.
		setTimeout(() => this.destroy(), 5000).unref();
	}

	destroy(): void {
		this.#socket.destroy();
		this.#raw.destroy();
	}

	#handshake(mode: 'implicit' | 'starttls'): Promise<boolean> {
		const secureSocket = new TLSSocket(this.#raw, { isServer: true, secureContext: this.#secureContext });
		this.#socket = secureSocket;
		secureSocket.on('error', () => this.destroy());
		secureSocket.on('close', () => this.#handleClose());
		return new Promise<boolean>((resolve) => {
			secureSocket.once('secure', () => {
				this.#secure = true;
				this.recorder.transcript.tls = mode;
				const protocol = secureSocket.getProtocol() ?? 'TLS';
				const cipher = secureSocket.getCipher()?.name ?? 'unknown cipher';
				this.recorder.event('tls', `TLS established (${protocol}, ${cipher})`);
				secureSocket.on('data', this.#dataListener);
				resolve(true);
			});
			secureSocket.once('close', () => resolve(false));
		});
	}

	#handleClose(): void {
		if (this.#closed) return;
		this.#closed = true;
		this.recorder.event('close', 'connection closed');
		this.recorder.end();
		for (const listener of this.#closeListeners) listener();
	}
}
