/**
 * The forum's emails. The reset email follows Django's registration/password_reset_subject.txt and
 * password_reset_email.html (the same sentences, in Korean or English), with a plain-text part and
 * an HTML part; the second email tells the owner that the password was changed, so a reset they did
 * not ask for does not go unnoticed.
 */
import type { ForumLang } from './forum-paths.ts';
import { message, type MessageKey } from '../i18n/messages.ts';

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

/**
 * Django's password reset email (subject without newlines, as PasswordResetForm.send_mail makes it). The
 * English sentences are Django's, byte for byte (its "you’ve" has a typographic apostrophe, its "You're" not).
 */
export function composeResetEmail({ lang, siteName, resetUrl, username }: ResetEmailInput): ComposedEmail {
	const t = (key: MessageKey): string => message(lang, key, { siteName, username });
	const subject = t('resetEmail.subject').replace(/[\r\n]+/g, ' ');
	const paragraphs = [
		t('resetEmail.requested'),
		t('resetEmail.goTo'),
		{ link: resetUrl },
		t('resetEmail.username'),
		t('resetEmail.thanks'),
		t('resetEmail.signature'),
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
	const t = (key: MessageKey): string => message(lang, key, { siteName, username });
	const subject = t('passwordChangedEmail.subject');
	const paragraphs = [
		t('passwordChangedEmail.changed'),
		t('passwordChangedEmail.ifYou'),
		t('passwordChangedEmail.ifNot'),
		{ link: passwordResetUrl },
		t('passwordChangedEmail.signature'),
	];
	return { subject, text: toText(paragraphs), html: toHtml(lang, subject, paragraphs) };
}
