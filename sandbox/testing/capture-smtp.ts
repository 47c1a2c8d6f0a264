/**
 * Test support: a real smtp-server on a random port that requires STARTTLS with a fresh self-signed
 * certificate, and keeps every message it receives (parsed with mailparser) and how it arrived.
 * Tests wait for messages through events, never by sleeping.
 */
import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface CapturedMail {
	parsed: ParsedMail;
	/** True when the message came over TLS (STARTTLS here). */
	secure: boolean;
	rcptTo: string[];
}

export interface CaptureSmtp {
	port: number;
	certificatePem: string;
	messages: CapturedMail[];
	/** How many TCP connections clients opened. */
	connections(): number;
	/** Resolves once at least `count` messages have arrived. */
	waitForMessages(count: number): Promise<CapturedMail[]>;
	close(): Promise<void>;
}

export async function startCaptureSmtp(): Promise<CaptureSmtp> {
	const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
		keyType: 'ec',
		curve: 'P-256',
		extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
	});
	const events = new EventEmitter();
	const messages: CapturedMail[] = [];
	let connections = 0;
	const server = new SMTPServer({
		key: pems.private,
		cert: pems.cert,
		authOptional: true,
		disableReverseLookup: true,
		logger: false,
		onConnect(_session, callback) {
			connections++;
			callback();
		},
		onData(stream, session, callback) {
			simpleParser(stream)
				.then((parsed) => {
					messages.push({ parsed, secure: session.secure, rcptTo: session.envelope.rcptTo.map((r) => r.address) });
					events.emit('message');
					callback();
				})
				.catch((error: Error) => callback(error));
		},
	});
	server.listen(0, '127.0.0.1');
	await once(server.server, 'listening');
	const port = (server.server.address() as AddressInfo).port;
	return {
		port,
		certificatePem: pems.cert,
		messages,
		connections: () => connections,
		async waitForMessages(count) {
			while (messages.length < count) await once(events, 'message');
			return messages;
		},
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
