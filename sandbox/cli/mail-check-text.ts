/**
 * The words `mail:check` prints, in Korean and English. Problem and error explanations bring their own
 * translations; this holds the frame around them.
 */
import type { Lang } from '../email-settings/problem.ts';
import { message, type MessageKey, type MessageParams } from '../i18n/messages.ts';

/** The frame's words in one language, as mail-check.ts prints them; the texts are in sandbox/i18n. */
export function mailCheckText(lang: Lang) {
	const t = (key: MessageKey, params?: MessageParams): string => message(lang, key, params);
	const count = (n: number, one: 'mailCheck.errorCount.one' | 'mailCheck.warningCount.one', other: 'mailCheck.errorCount.other' | 'mailCheck.warningCount.other') =>
		t(n === 1 ? one : other, { count: n });
	return {
		title: t('mailCheck.title'),
		envFile: t('mailCheck.envFile'),
		notFound: t('mailCheck.notFound'),
		settings: t('mailCheck.settings'),
		fromFile: (line: number) => t('mailCheck.fromFile', { line }),
		fromEnvironment: t('mailCheck.fromEnvironment'),
		byDefault: t('mailCheck.byDefault'),
		timeoutByDefault: (s: number) => t('mailCheck.timeoutByDefault', { seconds: s }),
		trustingSandbox: (where: string, certPath: string) => t('mailCheck.trustingSandbox', { where, certPath }),
		notSet: t('mailCheck.notSet'),
		security: { starttls: t('mailCheck.security.starttls'), implicit: t('mailCheck.security.implicit'), none: t('mailCheck.security.none') },
		seconds: (s: number) => t('mailCheck.seconds', { seconds: s }),
		problems: (errors: number, warnings: number) =>
			t('mailCheck.problems', {
				errors: count(errors, 'mailCheck.errorCount.one', 'mailCheck.errorCount.other'),
				warnings: count(warnings, 'mailCheck.warningCount.one', 'mailCheck.warningCount.other'),
			}),
		noProblems: t('mailCheck.noProblems'),
		error: t('problem.error'),
		warning: t('problem.warning'),
		fix: t('mailCheck.fix'),
		sandbox: t('mailCheck.sandbox'),
		stopForErrors: t('mailCheck.stopForErrors'),
		dialogue: (where: string) => t('mailCheck.dialogue', { where }),
		connected: t('mailCheck.connected'),
		sending: (to: string) => t('mailCheck.sending', { to }),
		sent: (response: string) => t('mailCheck.sent', { response }),
		sentGmailNote: t('mailCheck.sentGmailNote'),
		noTo: t('mailCheck.noTo'),
		failed: t('mailCheck.failed'),
		what: t('mailCheck.what'),
		todo: t('mailCheck.todo'),
		check: t('mailCheck.check'),
		reply: t('mailCheck.reply'),
		subject: t('mailCheck.subject'),
		body: (host: string, when: string) => t('mailCheck.body', { host, when }),
	};
}

export type MailCheckText = ReturnType<typeof mailCheckText>;

export const HELP = `Usage: npm run mail:check -- [--env FILE] [--to ADDRESS] [--lang ko|en]
       node sandbox/cli/mail-check.ts [options]

Checks the email settings in .env (Django's names: EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS,
EMAIL_USE_SSL, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_TIMEOUT, DEFAULT_FROM_EMAIL), prints
them with the password hidden, connects to the server, shows the SMTP dialogue (AUTH hidden) and,
with --to, sends a test message. Variables already in the environment win over the file.

Options:
  --env FILE      the .env file to read (default: DOTENV_CONFIG_PATH, else ./.env)
  --to ADDRESS    also send a test message to ADDRESS
  --lang ko|en    language of the report (default: from LC_ALL/LC_MESSAGES/LANG, else en)
  -h, --help      show this help

With npm, put "--" before the options: npm itself takes "--to" otherwise.
Settings that point at this machine's Postlab sandbox (127.0.0.1 or localhost, its SMTP ports) are
checked against the sandbox's own certificate. To trust another test server's self-signed certificate:
NODE_EXTRA_CA_CERTS=cert.pem

Exit codes: 0 all went well · 1 wrong options · 2 settings error (nothing sent) ·
3 connection or TLS failure · 4 login refused · 5 message refused
`;
