/**
 * The seam between the forum and whatever sends its mail. The forum only knows this interface; the
 * nodemailer implementation lives in sandbox/transport/mail-transport.ts, so the same forum can send
 * to the sandbox's own SMTP server today and to Gmail later.
 */

export interface MailMessage {
	from: string;
	to: string;
	subject: string;
	text: string;
	html: string;
}

/** The settings a transport uses, as shown to the learner: never a password. */
export interface MailSettingsSummary {
	host: string;
	port: number;
	/** `starttls` = plain connection upgraded with STARTTLS, `implicit` = TLS from the first byte (465), `none` = no TLS. */
	tls: 'starttls' | 'implicit' | 'none';
	/** The AUTH user, or null when the transport does not log in. */
	user: string | null;
}

export interface MailSendResult {
	messageId: string;
	accepted: string[];
	rejected: string[];
	/** The server's last reply, e.g. `250 OK: message queued`. */
	response: string;
}

export interface MailSender {
	readonly settings: MailSettingsSummary;
	/** Sends one message; rejects with a MailSendError when the server cannot be reached or refuses it. */
	send(message: MailMessage): Promise<MailSendResult>;
	/**
	 * Connects, greets, upgrades and logs in as a send would, without sending. The forum calls it for
	 * reset requests about unknown addresses, so those take the same path to the server as real ones.
	 */
	verify(): Promise<void>;
	/** Closes pooled connections, if any. */
	close(): void;
}

/** Why sending failed, in the terms the learner sees: which server, which step, what it answered. */
export class MailSendError extends Error {
	readonly host: string;
	readonly port: number;
	/** nodemailer's error code: ECONNECTION, ETLS, EAUTH, EENVELOPE, ETIMEDOUT, … */
	readonly code: string;
	/** The server's reply line when there was one (e.g. `535 5.7.8 Username and Password not accepted`). */
	readonly response: string | null;
	/** The SMTP command that failed, when known. */
	readonly command: string | null;

	constructor(fields: { host: string; port: number; code: string; response: string | null; command: string | null; message: string }, options?: ErrorOptions) {
		super(fields.message, options);
		this.name = 'MailSendError';
		this.host = fields.host;
		this.port = fields.port;
		this.code = fields.code;
		this.response = fields.response;
		this.command = fields.command;
	}
}
