/**
 * Starts the forum next to a running sandbox (startPostlab registers it for the Astro pages): SECRET_KEY from the
 * environment or the data folder, mail through the sandbox's own SMTP port over STARTTLS, trusting
 * the sandbox's certificate, so the forum's mail lands in the inbox with its transcript.
 */
import type { Classroom } from '../classroom/classroom.ts';
import { createSandboxMailTransport } from '../outbound/mail-transport.ts';
import { createForum } from './create-forum.ts';
import type { ForumService } from './forum-service.ts';
import type { MailSender, RealMailSender } from '../outbound/mail-sender.ts';
import { loadOrCreateSecretKey, type SecretKey } from './secret-key.ts';
import type { OperatorLog } from '../operator-log.ts';

export interface StartForumOptions {
	env: Readonly<Record<string, string | undefined>>;
	dataDir: string;
	/** The address the sandbox listens on (HOST); a wildcard means loopback is used to reach it. */
	host: string;
	/** The sandbox's STARTTLS SMTP port. */
	smtpPort: number;
	/** The sandbox certificate (PEM) to trust. */
	certificatePem: string;
	/** The web port, for the links in emails. */
	httpPort: number;
	/** The origin for links when a request does not say (SANDBOX_PUBLIC_URL, or an address of this machine). */
	siteOrigin?: string;
	/** Real SMTP mode's guarded sender, when `.env` configures it without errors (see sandbox/outbound/). */
	realMailer?: RealMailSender | null;
	/**
	 * Classroom mode: the forum logs in to the capture server as the learner who signed the account up, so
	 * the reset mail lands in that learner's mailbox by the same rule as their own Django project's mail
	 * (no second, in-process way into a mailbox to keep safe).
	 */
	classroom?: Classroom;
	/** Where the forum logs an email it could not send; default: the console (see ForumOptions.log). */
	log?: OperatorLog;
}

/** The name to reach a listener bound to `host` by (wildcards are not addresses one can connect to). */
function reachable(host: string): string {
	if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
	return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export async function startForum(options: StartForumOptions): Promise<{ forum: ForumService; secretKey: SecretKey }> {
	const secretKey = await loadOrCreateSecretKey({ env: options.env, dataDir: options.dataDir });
	const host = reachable(options.host);
	const classroom = options.classroom?.enabled ? options.classroom : null;
	const transportTo = (mailbox: string | null): MailSender => {
		const auth = classroom?.mailCredentialsFor(mailbox) ?? null;
		return createSandboxMailTransport({
			host: host.replace(/^\[|\]$/g, ''),
			port: options.smtpPort,
			certificatePem: options.certificatePem,
			...(auth ? { auth } : {}),
		});
	};
	const mailer = transportTo(null);
	const byMailbox = new Map<string, MailSender>();
	const mailerFor = (mailbox: string | null): MailSender => {
		if (mailbox === null) return mailer;
		let sender = byMailbox.get(mailbox);
		if (!sender) byMailbox.set(mailbox, (sender = transportTo(mailbox)));
		return sender;
	};
	const forum = await createForum({
		...(classroom ? { mailerFor } : {}),
		dataDir: options.dataDir,
		secretKey: secretKey.value,
		siteOrigin: options.siteOrigin ?? `http://${host}:${options.httpPort}`,
		mailer,
		realMailer: options.realMailer ?? null,
		...(options.log ? { log: options.log } : {}),
	});
	return { forum, secretKey };
}
