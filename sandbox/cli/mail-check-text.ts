/**
 * The words `mail:check` prints, in Korean and English. Problem and error explanations bring their own
 * translations; this holds the frame around them.
 */
import type { Lang } from '../outbound/settings/problem.ts';
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

/** The usage text, printed for --help and after a wrong option. */
export function mailCheckHelp(lang: Lang): string {
	return message(lang, 'mailCheck.help');
}
