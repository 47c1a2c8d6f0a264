/**
 * The effective email settings, as Django's SMTP EmailBackend would use them. With no EMAIL_HOST, mail goes
 * to the sandbox; with one, real SMTP mode is available. `password` (and `secretKey`) are non-enumerable, so
 * JSON.stringify, object spread and console.log/util.inspect leave them out.
 */
import type { Problem } from './problem.ts';
import type { EmailVariable } from './email-variables.ts';

/** `starttls` = EMAIL_USE_TLS (587), `implicit` = EMAIL_USE_SSL (465), `none` = plain. */
export type SmtpSecurity = 'starttls' | 'implicit' | 'none';

/** Where a value came from: the `.env` file (with its line), the process environment (wins, as in dotenv and django-environ), or Django's default. */
export type ValueSource = { from: 'env-file'; line: number } | { from: 'environment' } | { from: 'default' };

interface SettingsCommon {
	problems: Problem[];
	sources: Partial<Record<EmailVariable, ValueSource>>;
	/** SECRET_KEY, for the forum's reset tokens; non-enumerable. Empty when unset. */
	readonly secretKey: string;
}

export interface SandboxEmailSettings extends SettingsCommon {
	mode: 'sandbox';
}

export interface RealEmailSettings extends SettingsCommon {
	mode: 'real';
	host: string;
	port: number;
	security: SmtpSecurity;
	/** EMAIL_USE_TLS and EMAIL_USE_SSL as read (both true is an error; `security` then picks one by port). */
	useTls: boolean;
	useSsl: boolean;
	/** EMAIL_HOST_USER; empty when unset (then no AUTH is attempted, as in Django). */
	user: string;
	/** EMAIL_HOST_PASSWORD as it will be sent (for Gmail: spaces removed); non-enumerable. */
	readonly password: string;
	timeoutMs: number;
	/** DEFAULT_FROM_EMAIL, or Django's default `webmaster@localhost`. */
	from: string;
	/** The bare address inside `from`. */
	fromAddress: string;
	/** smtp.gmail.com: Gmail's rules (app password, From rewriting) apply. */
	gmail: boolean;
}

export type EmailSettings = SandboxEmailSettings | RealEmailSettings;
