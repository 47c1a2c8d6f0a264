/**
 * What Django prints for a port/TLS pair: the last line of the traceback that `python manage.py
 * sendtestemail` (or `send_mail`) ends with, as Python's smtplib raises it. Django's SMTP EmailBackend
 * opens `smtplib.SMTP_SSL` when EMAIL_USE_SSL is on, else `smtplib.SMTP` and then `starttls()` when
 * EMAIL_USE_TLS is on, and refuses both with a ValueError before connecting
 * (django/core/mail/backends/smtp.py). The lines were measured with CPython 3.11 against the sandbox's own
 * ports (django-smtp-outcome.test.ts runs smtplib the same way and compares).
 *
 * The lab itself connects with nodemailer, whose messages differ ("Greeting never received"); the learner
 * meets Python's, so the lab leads with these and keeps nodemailer's line for the curious.
 */
import type { LabPort } from './port-tls-lab.ts';

/** Django's own text (django/core/mail/backends/smtp.py, EmailBackend.__init__). */
export const MUTUALLY_EXCLUSIVE_MESSAGE =
	'EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive, so only set one of those settings to True.';

export interface DjangoOutcome {
	/**
	 * When the exception comes: before any connection, at once, or when EMAIL_TIMEOUT runs out; null
	 * `exception` means the message is sent.
	 */
	readonly when: 'sent' | 'before-connecting' | 'at-once' | 'after-timeout';
	/** The traceback's last line (`module.Class: message`), or null when Django sends. */
	readonly exception: string | null;
	/**
	 * With EMAIL_TIMEOUT unset (Django's default, None) Python waits until the server hangs up, and the
	 * line lacks the "timed out". Only for `after-timeout`.
	 */
	readonly exceptionWithoutTimeout?: string;
}

/** OpenSSL's reason when a TLS client reads a plain-text SMTP greeting; CPython appends the C source line. */
export const WRONG_VERSION_LINE = 'ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:…)';
/** smtplib's getreply() turns a read that times out into SMTPServerDisconnected with the OSError's text. */
export const TIMED_OUT_LINE = 'smtplib.SMTPServerDisconnected: Connection unexpectedly closed: timed out';
export const CLOSED_LINE = 'smtplib.SMTPServerDisconnected: Connection unexpectedly closed';

export function djangoOutcome(port: LabPort, useTls: boolean, useSsl: boolean): DjangoOutcome {
	if (useTls && useSsl) return { when: 'before-connecting', exception: `ValueError: ${MUTUALLY_EXCLUSIVE_MESSAGE}` };
	if (port === 'starttls') {
		// A TLS client on the plain port reads "220 …" where it expects a TLS record.
		return useSsl ? { when: 'at-once', exception: WRONG_VERSION_LINE } : { when: 'sent', exception: null };
	}
	if (useSsl) return { when: 'sent', exception: null };
	// A plain client on the TLS port waits for a greeting while the server waits for a TLS hello.
	return { when: 'after-timeout', exception: TIMED_OUT_LINE, exceptionWithoutTimeout: CLOSED_LINE };
}
