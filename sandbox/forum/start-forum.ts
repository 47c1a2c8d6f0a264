/**
 * Starts the forum next to a running sandbox and registers it for the Astro pages: SECRET_KEY from the
 * environment or the data folder, mail through the sandbox's own SMTP port over STARTTLS, trusting
 * the sandbox's certificate, so the forum's mail lands in the inbox with its transcript.
 */
import { createSandboxMailTransport } from '../transport/mail-transport.ts';
import { createForum } from './create-forum.ts';
import { registerForum } from './forum-registry.ts';
import type { ForumService } from './forum-service.ts';
import type { RealMailSender } from './mail-sender.ts';
import { loadOrCreateSecretKey, type SecretKey } from './secret-key.ts';

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
	/** Real SMTP mode's guarded sender, when `.env` configures it without errors (see sandbox/realmode/). */
	realMailer?: RealMailSender | null;
}

/** The name to reach a listener bound to `host` by (wildcards are not addresses one can connect to). */
function reachable(host: string): string {
	if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
	return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export async function startForum(options: StartForumOptions): Promise<{ forum: ForumService; secretKey: SecretKey }> {
	const secretKey = await loadOrCreateSecretKey({ env: options.env, dataDir: options.dataDir });
	const host = reachable(options.host);
	const mailer = createSandboxMailTransport({
		host: host.replace(/^\[|\]$/g, ''),
		port: options.smtpPort,
		certificatePem: options.certificatePem,
	});
	const forum = await createForum({
		dataDir: options.dataDir,
		secretKey: secretKey.value,
		siteOrigin: `http://${host}:${options.httpPort}`,
		mailer,
		realMailer: options.realMailer ?? null,
	});
	registerForum(forum);
	return { forum, secretKey };
}
