/**
 * What Gmail expects from a client that logs in with SMTP AUTH: an app password (16 letters, shown by Google
 * in four groups of four, which needs 2-Step Verification), the full address as the user name, and a From
 * address that is the account itself or a verified "Send mail as" alias (otherwise Gmail rewrites From).
 */

const GMAIL_SMTP_HOSTS = new Set(['smtp.gmail.com', 'smtp.googlemail.com']);

/** Length of a Google app password once the display spaces are removed. */
export const APP_PASSWORD_LENGTH = 16;

export function isGmailHost(host: string): boolean {
	return GMAIL_SMTP_HOSTS.has(host.trim().toLowerCase().replace(/\.$/, ''));
}

/** Google shows app passwords as `abcd efgh ijkl mnop`; the spaces are only for reading. */
export function stripAppPasswordSpaces(password: string): string {
	return password.replace(/\s+/g, '');
}

export function looksLikeAppPassword(passwordWithoutSpaces: string): boolean {
	return new RegExp(`^[A-Za-z]{${APP_PASSWORD_LENGTH}}$`).test(passwordWithoutSpaces);
}
