/**
 * Which captured message satisfies a lesson's `check: sandbox-mail` exercise. Pure and shared by the
 * browser checker (src/exercise/lesson-exercise.ts) and its unit test; no DOM, no Node imports.
 *
 * Most lessons accept any message that arrived after the lesson was opened. Lessons whose exercise is
 * sending Django's password reset email accept only a message whose subject is that email's: Django's
 * registration/password_reset_subject.txt gives "Password reset on <site>" in English and
 * "<site>의 비밀번호 재설정" in Django's Korean translation; our sandbox forum (sandbox/forum/reset-email.ts)
 * sends "<site> 비밀번호 재설정". The forum's "password was changed" email must not count.
 */

export type MailRequirement = 'any' | 'reset';

/** Lessons whose exercise is a password reset email arriving (see their front matter). */
const RESET_MAIL_LESSONS: ReadonlySet<string> = new Set(['try-the-reset', 'django-environ']);

/** The part of a message summary (sandbox/store/types.ts MessageSummary) the check reads. */
export interface ArrivedMail {
	readonly id: string;
	readonly subject: string;
	/** ISO 8601 arrival time, on the sandbox server's clock. */
	readonly receivedAt: string;
}

export function mailRequirementFor(lesson: string): MailRequirement {
	return RESET_MAIL_LESSONS.has(lesson) ? 'reset' : 'any';
}

export function isResetSubject(subject: string): boolean {
	return /^\s*password reset on\s/i.test(subject) || /비밀번호\s*재설정/.test(subject);
}

export function satisfiesMailCheck(message: ArrivedMail, requirement: MailRequirement): boolean {
	return requirement === 'any' || isResetSubject(message.subject);
}

/**
 * The earliest message of `messages` that arrived at or after `since` (milliseconds, server clock)
 * and satisfies the requirement, or null.
 */
export function firstSatisfying(
	messages: readonly ArrivedMail[],
	requirement: MailRequirement,
	since: number,
): ArrivedMail | null {
	const fitting = messages
		.filter((message) => Date.parse(message.receivedAt) >= since && satisfiesMailCheck(message, requirement))
		.sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
	return fitting[0] ?? null;
}

/**
 * The moment the lesson was opened, on the server's clock. The sandbox may run on another machine
 * (classroom mode) whose clock differs; the response's `Date` header tells us by how much. The header
 * has whole seconds and was written before the response reached us, so `serverDate - clientNow` is
 * never more than the real offset: the cutoff errs towards accepting a message a moment too early,
 * never towards missing the learner's.
 */
export function serverCutoff(openedAt: number, clientNow: number, serverDate: string | null): number {
	const server = serverDate === null ? Number.NaN : Date.parse(serverDate);
	return Number.isNaN(server) ? openedAt : openedAt + (server - clientNow);
}
