/**
 * The smtp-server settings of the bench's own SMTP servers (the bare one, the store comparison's): no TLS,
 * no login, no reverse lookup, no logging, room for the heavy messages. What differs is what they do with a
 * message.
 */
import type { SMTPServerOptions } from 'smtp-server';

export const PLAIN_SMTP_OPTIONS = {
	authOptional: true,
	disableReverseLookup: true,
	disabledCommands: ['STARTTLS'],
	logger: false,
	size: 50 * 1024 * 1024,
} satisfies SMTPServerOptions;
