/**
 * The `.env` block a learner pastes into their Django project in classroom mode: Django's own setting
 * names (the lessons' settings.py reads them with django-environ), pointing at the instructor's Postlab
 * on its STARTTLS port with the learner's personal login. Pure: the page passes in what it knows.
 */

export interface DjangoEnvInput {
	/** The host name the learner's browser used to reach Postlab: their Django reaches it the same way. */
	readonly host: string;
	/** The capture server's plain port that offers STARTTLS (EMAIL_USE_TLS=True upgrades on it). */
	readonly port: number;
	readonly user: string;
	readonly password: string;
}

/**
 * Values that dotenv and django-environ both read literally when left bare. Anything else (spaces, `#`,
 * quotes, `$`) is single-quoted: both parsers then keep it as written (see /work/shared/NOTES.md table).
 */
const BARE_VALUE = /^[A-Za-z0-9._@:+-]+$/;

export function envValue(value: string): string {
	if (BARE_VALUE.test(value)) return value;
	if (value.includes("'")) throw new Error('A value with a single quote cannot be written safely into a .env line.');
	return `'${value}'`;
}

/** `[::1]` (a URL's hostname) → `::1` (what smtplib.SMTP(host) expects). */
export function bareHost(hostname: string): string {
	return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

export function djangoEnvBlock(input: DjangoEnvInput): string {
	return [
		`EMAIL_HOST=${envValue(bareHost(input.host))}`,
		`EMAIL_PORT=${input.port}`,
		'EMAIL_USE_TLS=True',
		`EMAIL_HOST_USER=${envValue(input.user)}`,
		`EMAIL_HOST_PASSWORD=${envValue(input.password)}`,
	].join('\n');
}
