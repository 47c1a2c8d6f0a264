/**
 * Records the SMTP dialogue Postlab has with a real server, from nodemailer's logger hook
 * (`transactionLog: true` logs each command and reply, not the message body). Secrets are removed on the way
 * in, before anything is stored or printed: AUTH arguments and every line answering a 334 challenge become
 * `[redacted]`, and every form of the password (spaced, unspaced, base64 at any alignment, the AUTH PLAIN blob)
 * is scrubbed from all lines, replies and error messages included. nodemailer hides secrets in its own log
 * lines too; this is the second lock on the same door.
 */
import { format } from 'node:util';
import type { TranscriptEntry } from '../store/types.ts';
import { REDACTED, redactSecrets, secretForms } from './settings/secret-redaction.ts';
import { redactCredentialLine } from '../smtp/credential-lines.ts';

type LogArguments = [entry?: unknown, message?: unknown, ...args: unknown[]];

/** The bunyan-style logger nodemailer calls: each level takes a data object, then a printf-style message. */
export interface NodemailerLogger {
	trace(...args: LogArguments): void;
	debug(...args: LogArguments): void;
	info(...args: LogArguments): void;
	warn(...args: LogArguments): void;
	error(...args: LogArguments): void;
	fatal(...args: LogArguments): void;
}

export interface OutboundTranscript {
	/** Entries so far, already redacted. */
	readonly entries: TranscriptEntry[];
	/** Pass as nodemailer's `logger` option (with `transactionLog: true`). */
	readonly logger: NodemailerLogger;
	/** Scrubs any secret from a text (used for error messages and replies shown beside the transcript). */
	redact(text: string): string;
}

export interface TranscriptSecrets {
	user: string;
	/** The password as sent, and as written in `.env` (e.g. with Gmail's display spaces). */
	passwords: string[];
}

/** Every exact form of the AUTH PLAIN (RFC 4616) blob nodemailer or another client could send. */
function authPlainBlobs(user: string, password: string): string[] {
	return [`\0${user}\0${password}`, `${user}\0${user}\0${password}`].map((blob) => Buffer.from(blob, 'utf8').toString('base64'));
}

function eventKind(message: string): TranscriptEntry['event'] {
	if (/^Connection established/i.test(message)) return 'connect';
	if (/STARTTLS|upgraded|secure/i.test(message)) return 'tls';
	if (/^Connection closed|^Closing connection/i.test(message)) return 'close';
	return undefined;
}

export function createOutboundTranscript(secrets: TranscriptSecrets, onEntry?: (entry: TranscriptEntry) => void): OutboundTranscript {
	const passwords = secrets.passwords.filter((p) => p.length > 0);
	const forms = [
		...new Set([...passwords.flatMap((p) => authPlainBlobs(secrets.user, p)), ...secretForms(passwords)]),
	].sort((a, b) => b.length - a.length);
	const redact = (text: string): string => redactSecrets(text, forms);
	const entries: TranscriptEntry[] = [];
	let startedAt: number | undefined;
	/** True after the server sent a 334 challenge: the client's next line is an AUTH response. */
	let challengePending = false;

	const push = (entry: Omit<TranscriptEntry, 'at'>): void => {
		const now = Date.now();
		startedAt ??= now;
		const stored: TranscriptEntry = { at: now - startedAt, ...entry };
		entries.push(stored);
		onEntry?.(stored);
	};

	const clientLine = (line: string): string => {
		if (challengePending) {
			challengePending = false;
			return REDACTED;
		}
		return redact(redactCredentialLine(line) ?? line);
	};

	const record = (level: string, args: LogArguments): void => {
		const [data, message, ...rest] = args;
		const tnx = typeof data === 'object' && data !== null ? (data as { tnx?: unknown }).tnx : undefined;
		const text = typeof message === 'string' ? format(message, ...rest) : format(message ?? '', ...rest);
		if (tnx === 'client') {
			for (const line of text.split(/\r?\n/)) push({ from: 'client', line: clientLine(line) });
			return;
		}
		if (tnx === 'server') {
			for (const line of text.split(/\r?\n/)) {
				if (line === '') continue;
				challengePending = /^334[ -]/.test(line);
				push({ from: 'server', line: redact(line) });
			}
			return;
		}
		if (tnx === 'message' || level === 'trace') return;
		if (level === 'debug' && tnx !== 'network') return;
		const event = eventKind(text);
		push(event ? { from: 'event', event, line: redact(text) } : { from: 'event', line: redact(text) });
	};

	const logger: NodemailerLogger = {
		trace: (...args) => record('trace', args),
		debug: (...args) => record('debug', args),
		info: (...args) => record('info', args),
		warn: (...args) => record('warn', args),
		error: (...args) => record('error', args),
		fatal: (...args) => record('fatal', args),
	};
	return { entries, logger, redact };
}
