/**
 * One client connection of the POP3 or IMAP server: the socket (plain, upgraded or TLS from the first
 * byte), the transcript, the idle timer and writes that wait for the socket to drain, so a 10 MB RETR to
 * a slow client does not pile up in memory. Protocol code talks to this and never to the socket.
 */
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { TranscriptRecorder } from './transcript.ts';
import { armLoginDeadline, type ConsoleLinks } from '../connections/console-links.ts';

export interface MailConnectionOptions {
	protocol: 'pop3' | 'imap';
	socket: Socket;
	implicitTls: boolean;
	secureContext: SecureContext;
	idleTimeoutMs: number;
	/** Counted from the connection's start and not extended by traffic: a connection that has not logged in by then is ended. */
	loginTimeoutMs: number;
	/** The lessons' console's connections, which get CONSOLE_LOGIN_TIMEOUT_MS instead (a person types them). */
	consoleLinks?: ConsoleLinks;
}

/** Why a connection is being ended for the protocol to say goodbye: silence, or no login in time. */
export type TimeoutReason = 'idle' | 'login';

/** How long a timed-out client has to take its goodbye line before the socket is destroyed. */
const GOODBYE_GRACE_MS = 5_000;

export class MailConnection {
	readonly recorder: TranscriptRecorder;
	#socket: Socket;
	#raw: Socket;
	#secureContext: SecureContext;
	#closed = false;
	#secure = false;
	#onData: (chunk: Buffer) => void = () => {};
	#onTimeout: (reason: TimeoutReason) => void = () => this.close();
	#onFailure: (error: unknown) => void = () => this.destroy();
	#closeListeners: Array<() => void> = [];
	#cancelLoginDeadline: (() => void) | null;
	/**
	 * Everything a client sends is handled from here: a bug that throws on some input ends this connection
	 * (the session says so and logs it), never the process.
	 */
	#dataListener = (chunk: Buffer): void => {
		try {
			this.#onData(chunk);
		} catch (error) {
			this.#onData = () => {};
			this.#onFailure(error);
		}
	};

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
		this.#raw.on('timeout', () => this.#timedOut('idle'));
		this.#cancelLoginDeadline = armLoginDeadline({
			baseMs: options.loginTimeoutMs,
			links: options.consoleLinks,
			client: () => ({ address: this.#raw.remoteAddress, port: this.#raw.remotePort }),
			expire: () => {
				this.#cancelLoginDeadline = null;
				this.#timedOut('login');
			},
		});
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

	/** What the session does when the connection idled too long or did not log in in time. */
	onTimeout(handler: (reason: TimeoutReason) => void): void {
		this.#onTimeout = handler;
	}

	/** What the session does when handling the client's input threw: answer, log, close. */
	onFailure(handler: (error: unknown) => void): void {
		this.#onFailure = handler;
	}

	/** The client logged in: from now on only the idle timeout applies. */
	loggedIn(): void {
		this.#cancelLoginDeadline?.();
		this.#cancelLoginDeadline = null;
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
		setTimeout(() => this.destroy(), GOODBYE_GRACE_MS).unref();
	}

	destroy(): void {
		this.#socket.destroy();
		this.#raw.destroy();
	}

	/**
	 * The session says goodbye its protocol's way; a client that reads nothing (so the goodbye never
	 * drains, or waits behind answers that never drain) is cut off shortly after all the same.
	 */
	#timedOut(reason: TimeoutReason): void {
		if (this.#closed) return;
		setTimeout(() => this.destroy(), GOODBYE_GRACE_MS).unref();
		this.#onTimeout(reason);
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
		this.#cancelLoginDeadline?.();
		this.recorder.event('close', 'connection closed');
		this.recorder.end();
		for (const listener of this.#closeListeners) listener();
	}
}
