/**
 * Turns the raw variable values into effective settings and a list of problems, following Django's
 * EmailBackend (django/core/mail/backends/smtp.py): EMAIL_PORT defaults to 25, EMAIL_USE_TLS and EMAIL_USE_SSL
 * are mutually exclusive, and a login happens only when both EMAIL_HOST_USER and EMAIL_HOST_PASSWORD are set.
 */
import { inspect } from 'node:util';
import addressparser from 'nodemailer/lib/addressparser';
import { problem, type Problem } from './problem.ts';
import { bilingual } from '../../i18n/messages.ts';
import { readBoolean } from './boolean-setting.ts';
import { isGmailHost, looksLikeAppPassword, stripAppPasswordSpaces, APP_PASSWORD_LENGTH } from './gmail-account.ts';
import { describeSecret } from './secret-redaction.ts';
import type { EmailVariable } from './email-variables.ts';
import type { EmailSettings, RealEmailSettings, SmtpSecurity, ValueSource } from './email-settings-types.ts';

/** Django's EMAIL_PORT default. */
const DJANGO_DEFAULT_PORT = 25;
/** Django's DEFAULT_FROM_EMAIL default. */
const DJANGO_DEFAULT_FROM = 'webmaster@localhost';
/**
 * Django's EMAIL_TIMEOUT default is None (wait for ever). A check that never ends teaches nothing, so Postlab
 * gives up after 15 s, long enough for a slow network, short enough to see the explanation.
 */
export const DEFAULT_TIMEOUT_MS = 15_000;

export type RawValues = Partial<Record<EmailVariable, string>>;

/** Defines a property that JSON, spread and util.inspect do not see. */
function hide<T extends object>(target: T, key: string, value: string): void {
	Object.defineProperty(target, key, { value, enumerable: false, writable: false, configurable: false });
}

/** Makes the settings safe to print: toJSON and util.inspect show the redacted password description only. */
function protect<T extends EmailSettings>(settings: T, password: string | null, secretKey: string): T {
	hide(settings, 'secretKey', secretKey);
	if (password !== null) hide(settings, 'password', password);
	const view = (): Record<string, unknown> => {
		const out: Record<string, unknown> = { ...settings };
		if (password !== null) out['password'] = describeSecret(password).en;
		return out;
	};
	Object.defineProperty(settings, 'toJSON', { value: view, enumerable: false });
	Object.defineProperty(settings, inspect.custom, { value: () => view(), enumerable: false });
	return settings;
}

function parsePort(raw: string | undefined, problems: Problem[]): number {
	if (raw === undefined || raw.trim() === '') return DJANGO_DEFAULT_PORT;
	const text = raw.trim();
	const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
	if (!Number.isInteger(port) || port < 1 || port > 65_535) {
		problems.push(
			problem(
				'bad-port',
				'EMAIL_PORT',
				'error',
				bilingual('settings.badPort.message', { value: text }),
				bilingual('settings.badPort.fix'),
			),
		);
		return DJANGO_DEFAULT_PORT;
	}
	return port;
}

function parseBoolean(variable: 'EMAIL_USE_TLS' | 'EMAIL_USE_SSL', raw: string | undefined, problems: Problem[]): boolean {
	const reading = readBoolean(raw);
	if (reading.kind === 'unset') return false;
	if (reading.kind === 'valid') return reading.value;
	const text = (raw ?? '').trim();
	const environReads = reading.djangoEnvironReads ? 'True' : 'False';
	problems.push(
		problem(
			'not-a-boolean',
			variable,
			'error',
			bilingual('settings.notABoolean.message', { environReads, value: text, variable }),
			bilingual('settings.notABoolean.fix', { variable }),
		),
	);
	return reading.djangoEnvironReads;
}

function parseTimeout(raw: string | undefined, problems: Problem[]): number {
	if (raw === undefined || raw.trim() === '') return DEFAULT_TIMEOUT_MS;
	const seconds = Number(raw.trim());
	if (!Number.isFinite(seconds) || seconds <= 0) {
		problems.push(
			problem(
				'bad-timeout',
				'EMAIL_TIMEOUT',
				'error',
				bilingual('settings.badTimeout.message', { value: raw.trim() }),
				bilingual('settings.badTimeout.fix'),
			),
		);
		return DEFAULT_TIMEOUT_MS;
	}
	return Math.round(seconds * 1000);
}

function checkSecurity(security: { tls: boolean; ssl: boolean }, port: number, gmail: boolean, problems: Problem[]): SmtpSecurity {
	if (security.tls && security.ssl) {
		problems.push(
			problem(
				'tls-and-ssl',
				'EMAIL_USE_TLS',
				'error',
				bilingual('settings.tlsAndSsl.message'),
				bilingual('settings.tlsAndSsl.fix'),
			),
		);
		return port === 465 ? 'implicit' : 'starttls';
	}
	const securityMode: SmtpSecurity = security.ssl ? 'implicit' : security.tls ? 'starttls' : 'none';
	if (port === 465 && securityMode === 'starttls') {
		problems.push(
			problem(
				'port-465-starttls',
				'EMAIL_PORT',
				'error',
				bilingual('settings.port465Starttls.message'),
				bilingual('settings.port465Starttls.fix'),
			),
		);
	} else if (port === 465 && securityMode === 'none') {
		problems.push(
			problem(
				'port-465-plain',
				'EMAIL_USE_SSL',
				'error',
				bilingual('settings.port465Plain.message'),
				bilingual('settings.port465Plain.fix'),
			),
		);
	} else if ((port === 587 || port === 25) && securityMode === 'implicit') {
		problems.push(
			problem(
				port === 587 ? 'port-587-implicit' : 'port-25-implicit',
				'EMAIL_PORT',
				'error',
				bilingual('settings.implicitOnStarttlsPort.message', { port }),
				bilingual('settings.implicitOnStarttlsPort.fix'),
			),
		);
	} else if (securityMode === 'none' && gmail) {
		problems.push(
			problem(
				'gmail-needs-tls',
				'EMAIL_USE_TLS',
				'error',
				bilingual('settings.gmailNeedsTls.message'),
				bilingual('settings.gmailNeedsTls.fix'),
			),
		);
	} else if (securityMode === 'none' && port === 587) {
		problems.push(
			problem(
				'no-tls',
				'EMAIL_USE_TLS',
				'warning',
				bilingual('settings.noTls.message'),
				bilingual('settings.noTls.fix'),
			),
		);
	}
	return securityMode;
}

function checkHost(host: string, problems: Problem[]): void {
	if (/^[a-z]+:\/\//i.test(host) || /[\s/]/.test(host) || /:\d+$/.test(host)) {
		problems.push(
			problem(
				'bad-host',
				'EMAIL_HOST',
				'error',
				bilingual('settings.badHost.message', { host }),
				bilingual('settings.badHost.fix'),
			),
		);
	}
}

function checkCredentials(user: string, rawPassword: string, gmail: boolean, problems: Problem[]): string {
	if (user === '' && rawPassword === '') {
		problems.push(
			problem(
				'missing-credentials',
				'EMAIL_HOST_USER',
				gmail ? 'error' : 'warning',
				bilingual(gmail ? 'settings.missingCredentials.messageGmail' : 'settings.missingCredentials.message'),
				bilingual('settings.missingCredentials.fix'),
			),
		);
		return '';
	}
	if (user === '') {
		problems.push(
			problem(
				'missing-user',
				'EMAIL_HOST_USER',
				'error',
				bilingual('settings.missingUser.message'),
				bilingual(gmail ? 'settings.missingUser.fixGmail' : 'settings.missingUser.fix'),
			),
		);
	}
	if (rawPassword === '') {
		problems.push(
			problem(
				'missing-password',
				'EMAIL_HOST_PASSWORD',
				'error',
				bilingual('settings.missingPassword.message'),
				bilingual(gmail ? 'settings.missingPassword.fixGmail' : 'settings.missingPassword.fix'),
			),
		);
	}
	if (!gmail || rawPassword === '') return rawPassword;

	const password = stripAppPasswordSpaces(rawPassword);
	if (password !== rawPassword) {
		problems.push(
			problem(
				'app-password-spaces',
				'EMAIL_HOST_PASSWORD',
				'warning',
				bilingual('settings.appPasswordSpaces.message'),
				bilingual('settings.appPasswordSpaces.fix'),
			),
		);
	}
	if (!looksLikeAppPassword(password)) {
		problems.push(
			problem(
				'app-password-shape',
				'EMAIL_HOST_PASSWORD',
				'error',
				bilingual(/^[A-Za-z]*$/.test(password) ? 'settings.appPasswordShape.message' : 'settings.appPasswordShape.messageNotLetters', {
					length: APP_PASSWORD_LENGTH,
					shape: describeSecret(password),
				}),
				bilingual('settings.appPasswordShape.fix'),
			),
		);
	}
	return password;
}

function checkFrom(rawFrom: string | undefined, user: string, gmail: boolean, problems: Problem[]): { from: string; fromAddress: string } {
	if (rawFrom === undefined || rawFrom.trim() === '') {
		problems.push(
			problem(
				'default-from-missing',
				'DEFAULT_FROM_EMAIL',
				'warning',
				bilingual('settings.defaultFromMissing.message', { sender: DJANGO_DEFAULT_FROM }),
				bilingual('settings.defaultFromMissing.fix', { address: user || 'you@example.com' }),
			),
		);
		return { from: DJANGO_DEFAULT_FROM, fromAddress: DJANGO_DEFAULT_FROM };
	}
	const from = rawFrom.trim();
	const parsed = addressparser(from, { flatten: true });
	const fromAddress = parsed[0]?.address ?? '';
	if (parsed.length !== 1 || !/^[^@\s]+@[^@\s]+$/.test(fromAddress)) {
		problems.push(
			problem(
				'bad-from',
				'DEFAULT_FROM_EMAIL',
				'error',
				bilingual('settings.badFrom.message', { from }),
				bilingual('settings.badFrom.fix'),
			),
		);
		return { from, fromAddress };
	}
	if (gmail && user.includes('@') && fromAddress.toLowerCase() !== user.toLowerCase()) {
		problems.push(
			problem(
				'gmail-from-rewrite',
				'DEFAULT_FROM_EMAIL',
				'warning',
				bilingual('settings.gmailFromRewrite.message', { fromAddress, user }),
				bilingual('settings.gmailFromRewrite.fix', { fromAddress, user }),
			),
		);
	}
	return { from, fromAddress };
}

function checkDollarProxy(values: RawValues, problems: Problem[]): void {
	for (const variable of ['EMAIL_HOST_PASSWORD', 'SECRET_KEY'] as const) {
		if (values[variable]?.startsWith('$')) {
			problems.push(
				problem(
					'dollar-proxy',
					variable,
					'warning',
					bilingual('settings.dollarProxy.message', { variable }),
					bilingual('settings.dollarProxy.fix'),
				),
			);
		}
	}
}

/**
 * Resolves raw values (already read from `.env` and the environment) into settings and problems.
 * `sources` is passed through for display.
 */
export function resolveEmailSettings(values: RawValues, sources: Partial<Record<EmailVariable, ValueSource>> = {}): EmailSettings {
	const problems: Problem[] = [];
	const secretKey = values.SECRET_KEY ?? '';
	const host = (values.EMAIL_HOST ?? '').trim();
	checkDollarProxy(values, problems);
	if (host === '') {
		const sandbox: EmailSettings = { mode: 'sandbox', problems, sources, secretKey };
		return protect(sandbox, null, secretKey);
	}
	checkHost(host, problems);
	const gmail = isGmailHost(host);
	const port = parsePort(values.EMAIL_PORT, problems);
	const tls = parseBoolean('EMAIL_USE_TLS', values.EMAIL_USE_TLS, problems);
	const ssl = parseBoolean('EMAIL_USE_SSL', values.EMAIL_USE_SSL, problems);
	const security = checkSecurity({ tls, ssl }, port, gmail, problems);
	const user = (values.EMAIL_HOST_USER ?? '').trim();
	const password = checkCredentials(user, values.EMAIL_HOST_PASSWORD ?? '', gmail, problems);
	if (gmail && user !== '' && !user.includes('@')) {
		problems.push(
			problem(
				'gmail-user-not-address',
				'EMAIL_HOST_USER',
				'error',
				bilingual('settings.gmailUserNotAddress.message', { user }),
				bilingual('settings.gmailUserNotAddress.fix', { user }),
			),
		);
	}
	const timeoutMs = parseTimeout(values.EMAIL_TIMEOUT, problems);
	const { from, fromAddress } = checkFrom(values.DEFAULT_FROM_EMAIL, user, gmail, problems);
	const real = { mode: 'real', host, port, security, useTls: tls, useSsl: ssl, user, timeoutMs, from, fromAddress, gmail, problems, sources } as Omit<
		RealEmailSettings,
		'password' | 'secretKey'
	>;
	return protect(real as RealEmailSettings, password, secretKey);
}
