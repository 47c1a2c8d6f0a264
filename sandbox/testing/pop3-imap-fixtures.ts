/**
 * Shared by the POP3 and IMAP tests (not used at run time): a throwaway certificate, a line-oriented raw
 * client over plain or TLS sockets, a way to run Python's own poplib/imaplib against our servers, the
 * transcripts of finished sessions by user, and the connection-limit check both servers get.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { generate } from 'selfsigned';
import { acceptAnyLogin, type MailboxSource } from '../line-protocol/mailbox-source.ts';
import type { MailReadServerOptions, RunningMailReadServer } from '../line-protocol/server-options.ts';
import type { MailSessionTranscript } from '../line-protocol/transcript.ts';

export interface TestCert {
	key: string;
	cert: string;
	/** The certificate as a file, for Python's `cafile`. */
	certPath: string;
}

/** A certificate for localhost and 127.0.0.1, so clients can verify it with itself as the CA. */
export async function makeTestCert(): Promise<TestCert> {
	const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
		keyType: 'ec',
		curve: 'P-256',
		algorithm: 'sha256',
		extensions: [
			{ name: 'basicConstraints', cA: true },
			{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
			{ name: 'extKeyUsage', serverAuth: true },
			{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
		],
	});
	const dir = await mkdtemp(join(tmpdir(), 'postlab-mailread-'));
	const certPath = join(dir, 'cert.pem');
	await writeFile(certPath, pems.cert);
	return { key: pems.private, cert: pems.cert, certPath };
}

export function sha256(data: Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

/** Runs a Python script with arguments; resolves with stdout, rejects with stderr on failure. */
export function runPython(script: string, args: string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile('python3', ['-c', script, ...args], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
			if (error) reject(new Error(`python3 failed: ${stderr || error.message}`));
			else resolve(stdout);
		});
	});
}

/** A client that reads the server's lines as they arrive, for tests that speak the protocol by hand. */
export class RawClient {
	#socket: Socket;
	#buffer: Buffer = Buffer.alloc(0);
	/** Chunks not yet joined into #buffer; joining once per read keeps a 10 MB read linear. */
	#pending: Buffer[] = [];
	#pendingBytes = 0;
	#waiters: Array<() => void> = [];
	#ended = false;

	private constructor(socket: Socket) {
		this.#socket = socket;
		this.#attach(socket);
	}

	static async plain(port: number): Promise<RawClient> {
		const socket = netConnect(port, '127.0.0.1');
		await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
		return new RawClient(socket);
	}

	static async tls(port: number, ca: string): Promise<RawClient> {
		const socket = tlsConnect({ port, host: '127.0.0.1', ca, servername: 'localhost' });
		await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
		return new RawClient(socket);
	}

	get ended(): boolean {
		return this.#ended;
	}

	get encrypted(): boolean {
		return (this.#socket as TLSSocket).encrypted === true;
	}

	send(text: string | Buffer): void {
		this.#socket.write(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
	}

	sendLine(line: string): void {
		this.send(`${line}\r\n`);
	}

	/** The next line without its CRLF. */
	async line(): Promise<string> {
		for (;;) {
			this.#join();
			const lf = this.#buffer.indexOf('\r\n');
			if (lf !== -1) {
				const line = this.#buffer.subarray(0, lf).toString('utf8');
				this.#buffer = this.#buffer.subarray(lf + 2);
				return line;
			}
			if (this.#ended) throw new Error(`connection closed; unread: ${this.#buffer.toString('utf8').slice(0, 200)}`);
			await this.#more();
		}
	}

	/** Exactly `count` bytes. */
	async bytes(count: number): Promise<Buffer> {
		while (this.#buffer.length + this.#pendingBytes < count) {
			if (this.#ended) throw new Error('connection closed before the expected bytes');
			await this.#more();
		}
		this.#join();
		const data = this.#buffer.subarray(0, count);
		this.#buffer = this.#buffer.subarray(count);
		return data;
	}

	/** Lines up to and including the first that matches. */
	async linesUntil(match: RegExp): Promise<string[]> {
		const lines: string[] = [];
		for (;;) {
			const line = await this.line();
			lines.push(line);
			if (match.test(line)) return lines;
		}
	}

	/** Resolves when the server has closed the connection. */
	async closed(): Promise<void> {
		while (!this.#ended) await this.#more();
	}

	/** Upgrades this connection to TLS (after STLS/STARTTLS was accepted). */
	async upgrade(ca: string): Promise<void> {
		this.#socket.removeAllListeners('data');
		this.#socket.removeAllListeners('end');
		this.#socket.removeAllListeners('close');
		const secure = tlsConnect({ socket: this.#socket, ca, servername: 'localhost' });
		await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
		this.#socket = secure;
		this.#attach(secure);
	}

	close(): void {
		this.#socket.destroy();
	}

	#attach(socket: Socket): void {
		socket.on('data', (chunk: Buffer) => {
			this.#pending.push(chunk);
			this.#pendingBytes += chunk.length;
			this.#wake();
		});
		const end = (): void => {
			this.#ended = true;
			this.#wake();
		};
		socket.on('end', end);
		socket.on('close', end);
		socket.on('error', end);
	}

	#join(): void {
		if (this.#pending.length === 0) return;
		this.#buffer = Buffer.concat([this.#buffer, ...this.#pending]);
		this.#pending = [];
		this.#pendingBytes = 0;
	}

	#more(): Promise<void> {
		return new Promise((resolve) => this.#waiters.push(resolve));
	}

	#wake(): void {
		const waiters = this.#waiters;
		this.#waiters = [];
		for (const wake of waiters) wake();
	}
}

/** A server under test: this mailbox, any login accepted, the test certificate, free ports. */
export function testServerOptions(source: MailboxSource, cert: TestCert): MailReadServerOptions {
	return { source, authenticator: acceptAnyLogin, tls: cert, port: 0, tlsPort: 0 };
}

/** Finished sessions' transcripts, waited for by user: hand `onSession` to the server under test. */
export class SessionTranscripts {
	#waiters: Array<(transcript: MailSessionTranscript) => void> = [];

	readonly onSession = (transcript: MailSessionTranscript): void => {
		for (const wait of this.#waiters.splice(0)) wait(transcript);
	};

	/** Resolves with the transcript of the next session of this user that ends ('' for one that never logged in). */
	of(user: string): Promise<MailSessionTranscript> {
		return new Promise((resolve) => {
			const wait = (transcript: MailSessionTranscript): void => {
				if (transcript.user === user || (user === '' && transcript.user === null)) resolve(transcript);
				else this.#waiters.push(wait);
			};
			this.#waiters.push(wait);
		});
	}
}

/**
 * Connects twice to a server started to allow one connection: the first connection's greeting and the
 * second's refusal, after which the server has closed the second.
 */
export async function greetingAndRefusal(
	start: (options: MailReadServerOptions) => Promise<RunningMailReadServer>,
	source: MailboxSource,
	cert: TestCert,
): Promise<{ greeting: string; refusal: string }> {
	const small = await start({ ...testServerOptions(source, cert), maxConnections: 1 });
	try {
		const first = await RawClient.plain(small.ports.plain);
		const greeting = await first.line();
		const second = await RawClient.plain(small.ports.plain);
		const refusal = await second.line();
		await second.closed();
		first.close();
		return { greeting, refusal };
	} finally {
		await small.close();
	}
}
