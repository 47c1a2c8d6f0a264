/**
 * Sending mail with nodemailer, behind the forum's MailSender interface. One factory turns effective
 * settings (host, port, TLS mode, login) into a transport; `createSandboxMailTransport` is the default:
 * the sandbox's own SMTP server on 127.0.0.1 over STARTTLS, trusting the sandbox's certificate, so the
 * forum's mail is captured with a full transcript like a learner's Django project's would be.
 */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { MailSendError, type MailMessage, type MailSendResult, type MailSender, type MailSettingsSummary } from './mail-sender.ts';

/** A dead host should fail within seconds, not nodemailer's two minutes, so the learner sees why. */
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

export interface MailTransportOptions {
	host: string;
	port: number;
	/** `implicit` = TLS from the first byte (port 465), `starttls` = must upgrade (587, 2525 here), `none` = plain. */
	tls: 'implicit' | 'starttls' | 'none';
	/** PEM certificates to trust besides the system's (the sandbox's self-signed certificate). */
	ca?: string;
	auth?: { user: string; pass: string };
	/** The name sent in EHLO. */
	clientName?: string;
}

/** A MailSender that sends through nodemailer's SMTP transport with the given settings. */
export function createMailTransport(options: MailTransportOptions): MailSender {
	const transportOptions: SMTPTransport.Options = {
		host: options.host,
		port: options.port,
		secure: options.tls === 'implicit',
		requireTLS: options.tls === 'starttls',
		ignoreTLS: options.tls === 'none',
		connectionTimeout: CONNECTION_TIMEOUT_MS,
		greetingTimeout: GREETING_TIMEOUT_MS,
		socketTimeout: SOCKET_TIMEOUT_MS,
		...(options.clientName ? { name: options.clientName } : {}),
		...(options.ca ? { tls: { ca: options.ca } } : {}),
		...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.pass } } : {}),
	};
	const transporter = nodemailer.createTransport(transportOptions);
	const settings: MailSettingsSummary = {
		host: options.host,
		port: options.port,
		tls: options.tls,
		user: options.auth?.user ?? null,
	};

	function explain(error: unknown): MailSendError {
		const e = error as Partial<{ code: string; response: string; command: string; message: string }>;
		return new MailSendError(
			{
				host: options.host,
				port: options.port,
				code: e.code ?? 'EUNKNOWN',
				response: e.response ?? null,
				command: e.command ?? null,
				message: e.message ?? String(error),
			},
			{ cause: error },
		);
	}

	return {
		settings,
		async send(message: MailMessage): Promise<MailSendResult> {
			try {
				const info = await transporter.sendMail(message);
				return {
					messageId: info.messageId,
					accepted: info.accepted.map(String),
					rejected: info.rejected.map(String),
					response: info.response,
				};
			} catch (error) {
				throw explain(error);
			}
		},
		async verify(): Promise<void> {
			try {
				await transporter.verify();
			} catch (error) {
				throw explain(error);
			}
		},
		close(): void {
			transporter.close();
		},
	};
}

export interface SandboxMailTransportOptions {
	/** The sandbox SMTP port that offers STARTTLS. */
	port: number;
	/** The sandbox's certificate (PEM), trusted for this connection only. */
	certificatePem: string;
	host?: string;
	/** Classroom mode: the capture server wants a login, and the login picks the mailbox. */
	auth?: { user: string; pass: string };
}

/** The forum's default transport: the sandbox's own SMTP server, STARTTLS required, its certificate trusted. */
export function createSandboxMailTransport(options: SandboxMailTransportOptions): MailSender {
	return createMailTransport({
		host: options.host ?? '127.0.0.1',
		port: options.port,
		tls: 'starttls',
		ca: options.certificatePem,
		clientName: 'postlab-forum.localhost',
		...(options.auth ? { auth: options.auth } : {}),
	});
}
