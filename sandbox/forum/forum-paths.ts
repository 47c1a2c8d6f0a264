/**
 * The forum's URLs, in one place for the pages and for the links inside emails. The reset routes
 * mirror django.contrib.auth.urls: password_reset/, password_reset/done/, reset/<uidb64>/<token>/,
 * reset/done/.
 */
export type ForumLang = 'ko' | 'en';

/** Django's PasswordResetConfirmView.reset_url_token: the URL word that replaces the token after the confirm step. */
export const RESET_URL_TOKEN = 'set-password';

export function forumPaths(lang: ForumLang) {
	const base = `/${lang}/sandbox/forum/`;
	return {
		home: base,
		signup: `${base}signup/`,
		login: `${base}login/`,
		logout: `${base}logout/`,
		passwordReset: `${base}password_reset/`,
		passwordResetDone: `${base}password_reset/done/`,
		resetConfirm: (uidb64: string, token: string) => `${base}reset/${uidb64}/${token}/`,
		resetComplete: `${base}reset/done/`,
		inbox: `/${lang}/sandbox/inbox/`,
	};
}
