/**
 * The forum's emails. The reset email follows Django's registration/password_reset_subject.txt and
 * password_reset_email.html (the same sentences, in Korean or English), with a plain-text part and
 * an HTML part; the second email tells the owner that the password was changed, so a reset they did
 * not ask for does not go unnoticed.
 */
import type { ForumLang } from './forum-paths.ts';

export interface ComposedEmail {
	subject: string;
	text: string;
	html: string;
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Turns paragraphs (strings; a URL paragraph becomes a link) into a small, mail-client-safe HTML document. */
function toHtml(lang: ForumLang, subject: string, paragraphs: Array<string | { link: string }>): string {
	const body = paragraphs
		.map((p) => (typeof p === 'string' ? `<p>${escapeHtml(p)}</p>` : `<p><a href="${escapeHtml(p.link)}">${escapeHtml(p.link)}</a></p>`))
		.join('\n');
	return `<!doctype html>\n<html lang="${lang}">\n<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body>\n${body}\n</body>\n</html>\n`;
}

function toText(paragraphs: Array<string | { link: string }>): string {
	return `${paragraphs.map((p) => (typeof p === 'string' ? p : p.link)).join('\n\n')}\n`;
}

export interface ResetEmailInput {
	lang: ForumLang;
	/** Django's site_name. */
	siteName: string;
	/** The full link: protocol://domain/…/reset/<uidb64>/<token>/. */
	resetUrl: string;
	username: string;
}

/** Django's password reset email (subject without newlines, as PasswordResetForm.send_mail makes it). */
export function composeResetEmail({ lang, siteName, resetUrl, username }: ResetEmailInput): ComposedEmail {
	const en = lang === 'en';
	const subject = (en ? `Password reset on ${siteName}` : `${siteName} 비밀번호 재설정`).replace(/[\r\n]+/g, ' ');
	const paragraphs = en
		? [
				`You're receiving this email because you requested a password reset for your user account at ${siteName}.`,
				'Please go to the following page and choose a new password:',
				{ link: resetUrl },
				`Your username, in case you’ve forgotten: ${username}`,
				'Thanks for using our site!',
				`The ${siteName} team`,
			]
		: [
				`${siteName}의 사용자 계정에 대한 비밀번호 재설정을 요청하셨기 때문에 이 이메일을 받으셨습니다.`,
				'다음 페이지로 가서 새 비밀번호를 정하세요:',
				{ link: resetUrl },
				`사용자 이름을 잊으셨을 경우: ${username}`,
				'사이트를 이용해 주셔서 감사합니다!',
				`${siteName} 팀`,
			];
	return { subject, text: toText(paragraphs), html: toHtml(lang, subject, paragraphs) };
}

export interface PasswordChangedEmailInput {
	lang: ForumLang;
	siteName: string;
	username: string;
	/** Where to ask for a new reset if the change was not theirs. */
	passwordResetUrl: string;
}

/** Tells the account's owner that the password changed, with the way back in if it was not them. */
export function composePasswordChangedEmail({ lang, siteName, username, passwordResetUrl }: PasswordChangedEmailInput): ComposedEmail {
	const en = lang === 'en';
	const subject = en ? `Your password on ${siteName} was changed` : `${siteName} 비밀번호가 변경되었습니다`;
	const paragraphs = en
		? [
				`The password of your account ${username} at ${siteName} has just been changed.`,
				'If you did this, there is nothing more to do.',
				'If you did not, someone else may have access to your email. Secure your email account, then ask for a new password here:',
				{ link: passwordResetUrl },
				`The ${siteName} team`,
			]
		: [
				`${siteName}의 계정 ${username}의 비밀번호가 방금 변경되었습니다.`,
				'직접 변경하셨다면 더 하실 일은 없습니다.',
				'직접 변경하지 않으셨다면 다른 사람이 이메일에 접근했을 수 있습니다. 이메일 계정을 먼저 지킨 다음, 여기에서 새 비밀번호를 요청하세요:',
				{ link: passwordResetUrl },
				`${siteName} 팀`,
			];
	return { subject, text: toText(paragraphs), html: toHtml(lang, subject, paragraphs) };
}
