/**
 * The mini forum: sign-up, log-in, log-out and Django's password reset
 * (django.contrib.auth.views PasswordResetView → PasswordResetDoneView → PasswordResetConfirmView →
 * PasswordResetCompleteView), with the safety rules a reset flow needs. It knows nothing of HTTP
 * frameworks: the Astro pages pass in what the request carried (session id, form fields, client
 * address) and turn the outcomes below into pages and redirects.
 */
import { createHmac } from 'node:crypto';
import { AccountStore, tokenUserOf, type Account } from './account-store.ts';
import { CsrfTokens } from './csrf.ts';
import { DEFAULT_PASSWORD_RESET_TIMEOUT, ResetTokenGenerator, decodeUid, encodeUid } from './django-token.ts';
import { forumPaths, RESET_URL_TOKEN, type ForumLang } from './forum-paths.ts';
import type { Bilingual } from '../outbound/settings/problem.ts';
import type { SmtpExplanation } from '../outbound/smtp-reply-explainer.ts';
import { drillReplyCode } from '../drills/drill-catalogue.ts';
import { MailSendError, isRealSendRefused, type MailRoute, type MailSender, type MailSettingsSummary, type RealMailSender } from '../outbound/mail-sender.ts';
import { PasswordHasher, isUsablePasswordHash, type ScryptParams } from './password-hasher.ts';
import { checkPassword } from './password-rules.ts';
import { RateLimiter, type RateLimitRule } from '../rate-limit.ts';
import { errorMessage } from '../error-text.ts';
import type { MessageKey, MessageParams } from '../i18n/messages.ts';
import { consoleLog, type OperatorLog } from '../operator-log.ts';
import { composePasswordChangedEmail, composeResetEmail } from './reset-email.ts';
import { SessionStore, type StoredSession } from './session-store.ts';
import { SubmissionGuard, isSubmissionKey } from './submission-guard.ts';

/** Reset requests per email address: enough to retry a few times, too few to flood an inbox. */
export const DEFAULT_RESET_LIMIT_PER_ADDRESS: RateLimitRule = { limit: 5, windowMs: 15 * 60 * 1000 };
/** Reset requests per client address: a classroom shares one address sometimes, so more generous. */
export const DEFAULT_RESET_LIMIT_PER_CLIENT: RateLimitRule = { limit: 30, windowMs: 15 * 60 * 1000 };
/**
 * Every reset request takes at least this long to answer, whether an email went out or not, so the
 * response time does not tell whether an address has an account. Sending to the sandbox takes well
 * under this (smtp-server waits 100 ms before its greeting, then TLS).
 */
export const DEFAULT_MIN_RESET_RESPONSE_MS = 800;
/** Django's UnicodeUsernameValidator and the User.username max_length. */
const USERNAME_PATTERN = /^[\p{L}\p{N}_.@+-]+$/u;
const USERNAME_MAX_LENGTH = 150;
/** EmailField's max_length (RFC 5321 path limit). */
const EMAIL_MAX_LENGTH = 254;
/** Inputs longer than this are refused before any hashing, so nobody can make the server hash megabytes. */
const PASSWORD_MAX_LENGTH = 4096;

export interface ForumOptions {
	/** The sandbox data folder; the forum keeps its files in `<dataDir>/forum/`. */
	dataDir: string;
	/** Django's SECRET_KEY: signs reset tokens, CSRF tokens and session fingerprints. */
	secretKey: string;
	/**
	 * Where learners reach the site, e.g. `http://127.0.0.1:4321`, for links in emails when a request does not
	 * say (pages pass the origin of the browser's own request, chosen by sandbox/http/link-origin.ts).
	 */
	siteOrigin: string;
	mailer: MailSender;
	/**
	 * Classroom mode: the sender that files mail in `mailbox` (a learner's, or null for accounts no learner
	 * made). Absent: `mailer` for every account.
	 */
	mailerFor?: (mailbox: string | null) => MailSender;
	/**
	 * Real SMTP mode, when `.env` configures it without errors: the local user may send the reset email
	 * through it instead of the sandbox, one send at a time. Absent: only the sandbox.
	 */
	realMailer?: RealMailSender | null;
	/** The clock; tests move it to expire tokens. */
	now?: () => Date;
	/** Django's site_name in the emails. */
	siteName?: string;
	/** Django's DEFAULT_FROM_EMAIL. */
	fromAddress?: string;
	/** Django's PASSWORD_RESET_TIMEOUT, in seconds. */
	passwordResetTimeout?: number;
	scrypt?: ScryptParams;
	resetLimitPerAddress?: RateLimitRule;
	resetLimitPerClient?: RateLimitRule;
	minResetResponseMs?: number;
	/**
	 * Where the forum logs what Django logs to `django.contrib.auth` (a reset email that could not be sent)
	 * and a notice it could not send. Default: the console.
	 */
	log?: OperatorLog;
}

/** A problem with one form field, as a code the pages translate (`forum.error.<code>`) with its parameters. */
export interface FieldError {
	code: string;
	params?: Record<string, string | number>;
}
export type FieldErrors = Record<string, FieldError[]>;

/** What a page needs to know about the visitor. */
export interface Visitor {
	sessionId: string | null;
	user: Account | null;
}

export type ResetRequestOutcome =
	/**
	 * The page says "check your email" — whether or not the address has an account. `drillRefusal`: a failure
	 * drill refused the sandbox's email (its reply's `535 5.7.8`, or `timeout` for a server that never greeted);
	 * like Django since 4.2.16, the error is logged and the page still says "sent", with a sandbox note.
	 */
	| { kind: 'done'; settings: MailSettingsSummary; route: MailRoute; drillRefusal?: string }
	| { kind: 'invalid'; errors: FieldErrors }
	| { kind: 'rate-limited'; retryAfterSeconds: number }
	/** The mail server could not be reached or refused: the form comes back with what was typed and what failed. */
	| { kind: 'send-failed'; settings: MailSettingsSummary; failure: MailFailure; route: MailRoute }
	/** Real mode's guard said no (per-hour cap or allow-list); nothing was sent, the sandbox is still there. */
	| { kind: 'real-refused'; message: Bilingual };

export interface MailFailure {
	host: string;
	port: number;
	code: string;
	response: string | null;
	message: string;
	/** Real SMTP mode: what happened, what to do, which setting (ko/en). */
	explanation?: SmtpExplanation;
}

export type ResetLinkOutcome =
	| { kind: 'redirect'; sessionId: string; location: string }
	| { kind: 'form'; account: Account }
	| { kind: 'invalid' };

export type SetPasswordOutcome =
	| { kind: 'done'; sessionId: string; location: string; notified: boolean }
	| { kind: 'invalid-form'; errors: FieldErrors }
	| { kind: 'invalid-link' };

function problemOf(code: string, params?: Record<string, string | number>): FieldError {
	return params ? { code, params } : { code };
}

function addError(errors: FieldErrors, field: string, error: FieldError): void {
	(errors[field] ??= []).push(error);
}

function passwordErrors(password: string, owner: { username: string; email: string }): FieldError[] {
	return checkPassword(password, owner).map((p) => {
		switch (p.code) {
			case 'password_too_short':
				return problemOf(p.code, { min: p.minLength });
			case 'password_too_similar':
				return problemOf(p.code, { field: p.attribute });
			default:
				return problemOf(p.code);
		}
	});
}

function failureOf(error: unknown, settings: MailSettingsSummary): MailFailure {
	if (error instanceof MailSendError) {
		const failure: MailFailure = { host: error.host, port: error.port, code: error.code, response: error.response, message: error.message };
		if (error.explanation) failure.explanation = error.explanation;
		return failure;
	}
	return { host: settings.host, port: settings.port, code: 'EUNKNOWN', response: null, message: (error as Error)?.message ?? String(error) };
}

/**
 * A sandbox send refused by a failure drill (sandbox/drills/): its reply's `535 5.7.8`, or `timeout` when the
 * server never greeted (the stalled-server drill); null for any other failure (the sandbox down, a bug), which
 * the form still shows as it is.
 */
function drillRefusalOf(error: unknown): string | null {
	if (!(error instanceof MailSendError)) return null;
	const code = drillReplyCode(error.response);
	if (code) return code;
	return error.code === 'ETIMEDOUT' && /greeting/i.test(error.message) ? 'timeout' : null;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export class ForumService {
	readonly accounts: AccountStore;
	readonly sessions: SessionStore;
	readonly csrf: CsrfTokens;
	readonly mailer: MailSender;
	readonly realMailer: RealMailSender | null;
	readonly siteName: string;
	readonly #options: ForumOptions;
	readonly #now: () => Date;
	readonly #tokens: ResetTokenGenerator;
	readonly #hasher: PasswordHasher;
	readonly #perAddress: RateLimiter;
	readonly #perClient: RateLimiter;
	readonly #resetSubmissions: SubmissionGuard<ResetRequestOutcome>;
	readonly #minResetResponseMs: number;

	constructor(options: ForumOptions, accounts: AccountStore, sessions: SessionStore) {
		this.#options = options;
		this.accounts = accounts;
		this.sessions = sessions;
		this.mailer = options.mailer;
		this.realMailer = options.realMailer ?? null;
		this.siteName = options.siteName ?? 'Postlab';
		this.#now = options.now ?? (() => new Date());
		const nowMs = () => this.#now().getTime();
		this.csrf = new CsrfTokens(options.secretKey);
		this.#tokens = new ResetTokenGenerator({
			secret: options.secretKey,
			timeoutSeconds: options.passwordResetTimeout ?? DEFAULT_PASSWORD_RESET_TIMEOUT,
			now: this.#now,
		});
		this.#hasher = new PasswordHasher(options.scrypt);
		this.#perAddress = new RateLimiter(options.resetLimitPerAddress ?? DEFAULT_RESET_LIMIT_PER_ADDRESS, nowMs);
		this.#perClient = new RateLimiter(options.resetLimitPerClient ?? DEFAULT_RESET_LIMIT_PER_CLIENT, nowMs);
		this.#resetSubmissions = new SubmissionGuard(nowMs);
		this.#minResetResponseMs = options.minResetResponseMs ?? DEFAULT_MIN_RESET_RESPONSE_MS;
	}

	// ----- sessions -------------------------------------------------------------------------------

	/** Who is visiting: the session (if live) and the logged-in account (if its password has not changed since). */
	visitor(sessionId: string | undefined): Visitor {
		const session = this.sessions.get(sessionId);
		if (!session || !sessionId) return { sessionId: null, user: null };
		return { sessionId, user: this.#userOf(session) };
	}

	/** The visitor's session id, starting a session if there is none (forms need one for their CSRF token). */
	async ensureSession(sessionId: string | undefined): Promise<string> {
		return this.sessions.get(sessionId) && sessionId ? sessionId : this.sessions.create();
	}

	/** Reads and clears the one-time notice left for this session. */
	async takeFlash(sessionId: string | null): Promise<string | null> {
		const session = this.sessions.get(sessionId ?? undefined);
		if (!session?.flash || !sessionId) return null;
		await this.sessions.update(sessionId, { flash: null });
		return session.flash;
	}

	#userOf(session: StoredSession): Account | null {
		if (session.userId === null) return null;
		const account = this.accounts.byId(session.userId);
		if (!account || session.authHash !== this.#authHash(account)) return null;
		return account;
	}

	/** Django's get_session_auth_hash: a fingerprint of the password hash, so a password change ends other sessions. */
	#authHash(account: Account): string {
		return createHmac('sha256', `postlab.forum.session-auth${this.#options.secretKey}`).update(account.passwordHash).digest('base64url');
	}

	async #logInSession(sessionId: string | undefined, account: Account): Promise<string> {
		// Logging in updates last_login, which also voids every reset link sent before (it is in the token's hash).
		const updated = await this.accounts.setLastLogin(account.id, this.#now());
		const patch = { userId: updated.id, authHash: this.#authHash(updated), resetToken: null };
		return sessionId && this.sessions.get(sessionId) ? this.sessions.rotate(sessionId, patch) : this.sessions.create(patch);
	}

	// ----- sign up, log in, log out ---------------------------------------------------------------

	async signUp(
		sessionId: string | undefined,
		form: { username: string; email: string; password1: string; password2: string },
		/** Classroom mode: the signing-up learner's mailbox, where the account's mail will be filed. */
		options: { mailbox?: string | null } = {},
	): Promise<{ kind: 'done'; sessionId: string } | { kind: 'invalid'; errors: FieldErrors }> {
		const username = form.username.trim();
		const email = form.email.trim();
		const errors: FieldErrors = {};
		if (!username) addError(errors, 'username', problemOf('required'));
		else if (username.length > USERNAME_MAX_LENGTH || !USERNAME_PATTERN.test(username)) addError(errors, 'username', problemOf('username_invalid'));
		else if (this.accounts.usernameTaken(username)) addError(errors, 'username', problemOf('username_taken'));
		if (!email) addError(errors, 'email', problemOf('required'));
		else if (!isEmailAddress(email)) addError(errors, 'email', problemOf('email_invalid'));
		if (!form.password1) addError(errors, 'password1', problemOf('required'));
		if (!form.password2) addError(errors, 'password2', problemOf('required'));
		else if (form.password1 !== form.password2) addError(errors, 'password2', problemOf('password_mismatch'));
		else if (form.password2.length > PASSWORD_MAX_LENGTH) addError(errors, 'password2', problemOf('password_too_long'));
		else for (const e of passwordErrors(form.password2, { username, email })) addError(errors, 'password2', e);
		if (Object.keys(errors).length > 0) return { kind: 'invalid', errors };

		const account = await this.accounts.create(
			{ username, email, passwordHash: await this.#hasher.hash(form.password2), mailbox: options.mailbox ?? null },
			this.#now(),
		);
		return { kind: 'done', sessionId: await this.#logInSession(sessionId, account) };
	}

	/** Django's AuthenticationForm + ModelBackend: one message for a wrong name or a wrong password. */
	async logIn(
		sessionId: string | undefined,
		form: { username: string; password: string },
	): Promise<{ kind: 'done'; sessionId: string } | { kind: 'invalid'; errors: FieldErrors }> {
		const account = this.accounts.byUsername(form.username.trim());
		const password = form.password.slice(0, PASSWORD_MAX_LENGTH);
		const ok =
			account && isUsablePasswordHash(account.passwordHash)
				? await this.#hasher.verify(password, account.passwordHash)
				: await this.#hasher.verifyNothing(password);
		if (!ok || !account) return { kind: 'invalid', errors: { __all__: [problemOf('invalid_login')] } };
		return { kind: 'done', sessionId: await this.#logInSession(sessionId, account) };
	}

	async logOut(sessionId: string | undefined): Promise<void> {
		if (sessionId && this.sessions.get(sessionId)) await this.sessions.delete(sessionId);
	}

	// ----- password reset -------------------------------------------------------------------------

	/**
	 * PasswordResetView's POST. Known or unknown address, the answer is the same ("check your email")
	 * and takes at least the same minimum time; unknown addresses still exercise the mail server
	 * (connect, STARTTLS, log in) so a broken server shows for both alike. Repeats of one submission
	 * share the first one's outcome, so a double click sends one email.
	 */
	requestPasswordReset(request: {
		email: string;
		lang: ForumLang;
		/** The client's address, for the per-client limit. */
		clientKey: string;
		/** The form's submission key (double-submit protection); a missing key makes every request count. */
		submissionKey: string | null;
		/** `sandbox` (default) or `real`, as posted by the form; anything else, or `real` without real mode, is refused. */
		route?: string | null;
		/** False for a classroom learner: only the instructor (or the local user) may send real mail. Default true. */
		realAllowed?: boolean;
		/** Where the learner's browser reaches us (sandbox/http/link-origin.ts); the reset link starts with it. Default: `siteOrigin`. */
		siteOrigin?: string;
	}): Promise<ResetRequestOutcome> {
		const work = () => this.#padded(() => this.#resetRequest(request));
		if (!isSubmissionKey(request.submissionKey)) return work();
		const key = request.submissionKey;
		const { outcome } = this.#resetSubmissions.once(key, work);
		// Only a sent request is final: after a failed send, a typo or a wait for the rate limit, the same form may be sent again.
		void outcome.then((o) => {
			if (o.kind !== 'done') this.#resetSubmissions.forget(key);
		});
		return outcome;
	}

	async #padded<T>(work: () => Promise<T>): Promise<T> {
		const started = performance.now();
		const result = await work();
		const left = this.#minResetResponseMs - (performance.now() - started);
		if (left > 0) await sleep(left);
		return result;
	}

	async #resetRequest(request: {
		email: string;
		lang: ForumLang;
		clientKey: string;
		route?: string | null;
		realAllowed?: boolean;
		siteOrigin?: string;
	}): Promise<ResetRequestOutcome> {
		const email = request.email.trim();
		const route = request.route === undefined || request.route === null || request.route === '' ? 'sandbox' : request.route;
		const realMode = request.realAllowed === false ? null : this.realMailer;
		if (route !== 'sandbox' && (route !== 'real' || !realMode)) return { kind: 'invalid', errors: { route: [problemOf('route_unavailable')] } };
		if (!email) return { kind: 'invalid', errors: { email: [problemOf('required')] } };
		if (email.length > EMAIL_MAX_LENGTH || !isEmailAddress(email)) return { kind: 'invalid', errors: { email: [problemOf('email_invalid')] } };

		// Both limits are counted whether or not the address has an account, so the limit reveals nothing either.
		const byClient = this.#perClient.peek(request.clientKey);
		const byAddress = this.#perAddress.peek(email.normalize('NFKC').toLowerCase());
		if (!byClient.allowed || !byAddress.allowed) {
			return { kind: 'rate-limited', retryAfterSeconds: Math.ceil(Math.max(byClient.retryAfterMs, byAddress.retryAfterMs) / 1000) };
		}
		this.#perClient.hit(request.clientKey);
		this.#perAddress.hit(email.normalize('NFKC').toLowerCase());

		const realMailer = route === 'real' ? realMode : null;
		const mailer = realMailer ?? this.#sandboxMailer(null);
		const settings = mailer.settings;
		const users = this.accounts.byEmail(email).filter((a) => isUsablePasswordHash(a.passwordHash));
		if (realMailer) {
			// One real email per account of this address, all or none: 25 accounts sharing an address must not
			// take 25 of the hour's sends, nor half of them. An unknown address needs room for one, like a known one.
			const admitted = realMailer.admit(email, Math.max(1, users.length));
			if (!admitted.ok) return { kind: 'real-refused', message: admitted.message };
		}
		let drillRefusal: string | null = null;
		try {
			if (users.length === 0) {
				try {
					await mailer.verify();
				} catch (error) {
					// Django sends nothing for an unknown address, so nothing could fail: a drill's refusal of the probe is not an error.
					drillRefusal = realMailer ? null : drillRefusalOf(error);
					if (drillRefusal === null) throw error;
				}
			}
			for (const account of users) {
				const token = this.#tokens.makeToken(tokenUserOf(account));
				const resetUrl = new URL(forumPaths(request.lang).resetConfirm(encodeUid(account.id), token), request.siteOrigin ?? this.#options.siteOrigin).href;
				const composed = composeResetEmail({ lang: request.lang, siteName: this.siteName, resetUrl, username: account.username });
				try {
					// To the address on the account, not the one typed: a look-alike address cannot receive someone else's link.
					await (realMailer ?? this.#sandboxMailer(account)).send({ from: this.#from(), to: account.email, ...composed });
				} catch (error) {
					// A failure drill refused the sandbox's email: behave as Django's PasswordResetForm.send_mail does
					// since 4.2.16 (CVE-2024-45231): log it to django.contrib.auth, go on, and say "sent".
					const refusal = realMailer ? null : drillRefusalOf(error);
					if (refusal === null) throw error;
					drillRefusal = refusal;
					// Django's own words (its logger's text), in every terminal: what a learner's Django prints too.
					this.#log('log.forum.djangoResetEmailFailed', { user: account.id, reason: failureOf(error, settings).response ?? errorMessage(error) });
				}
			}
		} catch (error) {
			// Another request took the last sends between the check above and this one.
			if (isRealSendRefused(error)) return { kind: 'real-refused', message: error.bilingual };
			return { kind: 'send-failed', settings, failure: failureOf(error, settings), route };
		}
		return drillRefusal === null ? { kind: 'done', settings, route } : { kind: 'done', settings, route, drillRefusal };
	}

	/** Where the sandbox copy of an account's mail goes: the mailbox of the learner who signed it up (classroom). */
	#sandboxMailer(account: Account | null): MailSender {
		return this.#options.mailerFor?.(account?.mailbox ?? null) ?? this.mailer;
	}

	#log(key: MessageKey, params: MessageParams): void {
		(this.#options.log ?? consoleLog)(key, params);
	}

	#from(): string {
		return this.#options.fromAddress ?? `${this.siteName} <webmaster@localhost>`;
	}

	/**
	 * PasswordResetConfirmView.dispatch. With a token in the URL: check it, move it into the session and
	 * redirect to the same URL with `set-password` in its place, so the token never sits in the address
	 * bar or leaks through a Referer header from the form page. With `set-password`: show the form when
	 * the session holds a token that is still valid for this user.
	 */
	async openResetLink(sessionId: string | undefined, uidb64: string, token: string, lang: ForumLang): Promise<ResetLinkOutcome> {
		const account = this.#accountOfUid(uidb64);
		if (!account) return { kind: 'invalid' };
		if (token === RESET_URL_TOKEN) {
			const session = this.sessions.get(sessionId);
			const stored = session?.resetToken;
			if (stored && stored.uidb64 === uidb64 && this.#tokens.checkToken(tokenUserOf(account), stored.token)) return { kind: 'form', account };
			return { kind: 'invalid' };
		}
		if (!this.#tokens.checkToken(tokenUserOf(account), token)) return { kind: 'invalid' };
		const resetToken = { uidb64, token };
		const id = sessionId && this.sessions.get(sessionId) ? sessionId : await this.sessions.create();
		await this.sessions.update(id, { resetToken });
		return { kind: 'redirect', sessionId: id, location: forumPaths(lang).resetConfirm(uidb64, RESET_URL_TOKEN) };
	}

	/** PasswordResetConfirmView.form_valid: set the password, forget the token, tell the owner by email. */
	async setPasswordFromReset(
		sessionId: string | undefined,
		uidb64: string,
		form: { password1: string; password2: string },
		lang: ForumLang,
		/** Where the learner's browser reaches us; the notice's "reset again" link starts with it. */
		siteOrigin: string = this.#options.siteOrigin,
	): Promise<SetPasswordOutcome> {
		const link = await this.openResetLink(sessionId, uidb64, RESET_URL_TOKEN, lang);
		if (link.kind !== 'form' || !sessionId) return { kind: 'invalid-link' };
		const account = link.account;
		const errors: FieldErrors = {};
		if (!form.password1) addError(errors, 'password1', problemOf('required'));
		if (!form.password2) addError(errors, 'password2', problemOf('required'));
		else if (form.password1 !== form.password2) addError(errors, 'password2', problemOf('password_mismatch'));
		else if (form.password2.length > PASSWORD_MAX_LENGTH) addError(errors, 'password2', problemOf('password_too_long'));
		else for (const e of passwordErrors(form.password2, account)) addError(errors, 'password2', e);
		if (Object.keys(errors).length > 0) return { kind: 'invalid-form', errors };

		// The new hash changes the token's hash value: this link, and any other sent before, stop working.
		const updated = await this.accounts.setPasswordHash(account.id, await this.#hasher.hash(form.password2));
		await this.sessions.update(sessionId, { resetToken: null });
		const paths = forumPaths(lang);
		const composed = composePasswordChangedEmail({
			lang,
			siteName: this.siteName,
			username: updated.username,
			passwordResetUrl: new URL(paths.passwordReset, siteOrigin).href,
		});
		let notified = true;
		try {
			await this.#sandboxMailer(updated).send({ from: this.#from(), to: updated.email, ...composed });
		} catch (error) {
			// The password is changed either way; the page says the notice could not be sent, the log says why.
			this.#log('log.forum.changedNoticeNotSent', { user: updated.id, reason: errorMessage(error) });
			notified = false;
		}
		return { kind: 'done', sessionId, location: paths.resetComplete, notified };
	}

	#accountOfUid(uidb64: string): Account | null {
		const id = decodeUid(uidb64);
		const account = id === null ? null : this.accounts.byId(id);
		return account && isUsablePasswordHash(account.passwordHash) ? account : null;
	}
}

/** Django's EmailValidator, simplified: one @, a non-empty local part, a dotted or bracketed domain, no spaces. */
export function isEmailAddress(value: string): boolean {
	return value.length <= EMAIL_MAX_LENGTH && /^[^\s@<>(),;:"\\]+@(?:[^\s@<>(),;:"\\.]+\.)*[^\s@<>(),;:"\\.]+$/u.test(value) && !value.includes('..');
}
