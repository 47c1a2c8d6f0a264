/**
 * The variables Postlab reads, with Django's names (django.conf.global_settings), so one `.env` serves the
 * learner's Django project (through django-environ) and Postlab (through dotenv) alike.
 */

export const EMAIL_VARIABLES = [
	'EMAIL_HOST',
	'EMAIL_PORT',
	'EMAIL_USE_TLS',
	'EMAIL_USE_SSL',
	'EMAIL_HOST_USER',
	'EMAIL_HOST_PASSWORD',
	'EMAIL_TIMEOUT',
	'DEFAULT_FROM_EMAIL',
	'SECRET_KEY',
] as const;

export type EmailVariable = (typeof EMAIL_VARIABLES)[number];

/** Values that must never be printed, in any form. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set(['EMAIL_HOST_PASSWORD', 'SECRET_KEY']);

export function isEmailVariable(name: string): name is EmailVariable {
	return (EMAIL_VARIABLES as readonly string[]).includes(name);
}
