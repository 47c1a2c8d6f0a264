/**
 * Which captured message satisfies a lesson's `check: sandbox-mail` exercise. Pure and shared by the
 * browser checker (src/exercise/lesson-exercise.ts) and its unit test; no DOM, no Node imports.
 *
 * The lesson's front matter names the requirement (`exercise.mail`, src/lesson-schema.ts):
 * - `any`: any message that arrived after the lesson was opened.
 * - `reset`: Django's password reset email. Django's registration/password_reset_subject.txt gives
 *   "Password reset on <site>" in English and "<site>의 비밀번호 재설정" in Django's Korean translation; our
 *   sandbox forum (sandbox/forum/reset-email.ts) sends "<site> 비밀번호 재설정". The forum's "password was
 *   changed" email must not count.
 * - `envelope-differs`: a message whose envelope recipients (RCPT TO) are not the addresses of its To
 *   header, the lesson's point about envelope and letter. Needs the message's detail.
 * - `encrypted-login`: a message that came over TLS (STARTTLS or from the first byte) after AUTH, as hop 1
 *   to Gmail does. Needs the detail.
 * - `sent-for-real`: Postlab's copy of a message it sent through a real SMTP server (real mode), which
 *   that server accepted with a 2xx reply. Needs the detail.
 */

export type MailRequirement = 'any' | 'reset' | 'envelope-differs' | 'encrypted-login' | 'sent-for-real';

/** The part of a message summary (sandbox/store/types.ts MessageSummary) the check reads. */
export interface ArrivedMail {
	readonly id: string;
	readonly subject: string;
	/** ISO 8601 arrival time, on the sandbox server's clock. */
	readonly receivedAt: string;
}

/** The part of a message's detail (sandbox/mail/message-content.ts MessageDetail) the detailed checks read. */
export interface ArrivedDetail extends ArrivedMail {
	readonly to: ReadonlyArray<{ readonly address: string }>;
	readonly session: {
		readonly tls: 'none' | 'starttls' | 'implicit';
		readonly auth?: { readonly mechanism: string; readonly user: string };
		readonly envelope: { readonly rcptTo: readonly string[] };
		readonly direction?: 'inbound' | 'outbound';
		readonly relay?: { readonly host: string; readonly port: number; readonly reply: string };
	};
}

/**
 * Why a message did not count, with what was seen, so the learner is told what to change:
 * `envelope-same` carries the envelope and header addresses, `plain`/`no-login` the connection,
 * `not-outbound` a message the sandbox merely received, `refused` the real server's reply.
 */
export type MailVerdict =
	| { ok: true }
	| { ok: false; why: 'not-reset' }
	| { ok: false; why: 'envelope-same'; envelope: string[]; header: string[] }
	| { ok: false; why: 'plain' }
	| { ok: false; why: 'no-login' }
	| { ok: false; why: 'not-outbound' }
	| { ok: false; why: 'refused'; reply: string };

const REQUIREMENTS: ReadonlySet<string> = new Set(['any', 'reset', 'envelope-differs', 'encrypted-login', 'sent-for-real']);

/** The requirement named in the page (a data attribute), `any` when missing or unknown. */
export function parseRequirement(value: string | undefined): MailRequirement {
	return value !== undefined && REQUIREMENTS.has(value) ? (value as MailRequirement) : 'any';
}

/** Whether the requirement can only be judged from the message's detail (GET /api/v1/messages/{id}). */
export function needsDetail(requirement: MailRequirement): boolean {
	return requirement === 'envelope-differs' || requirement === 'encrypted-login' || requirement === 'sent-for-real';
}

export function isResetSubject(subject: string): boolean {
	return /^\s*password reset on\s/i.test(subject) || /비밀번호\s*재설정/.test(subject);
}

/** Lower-cased, de-duplicated, sorted addresses: `<Me@Example.com>` and `me@example.com` are one. */
function addressSet(addresses: readonly string[]): string[] {
	return [...new Set(addresses.map((address) => address.trim().replace(/^<|>$/g, '').toLowerCase()).filter(Boolean))].sort();
}

/** Judges a summary for the requirements that need no detail. */
export function judgeSummary(message: ArrivedMail, requirement: MailRequirement): MailVerdict {
	if (requirement === 'reset' && !isResetSubject(message.subject)) return { ok: false, why: 'not-reset' };
	return { ok: true };
}

/** Judges a message's detail; for the summary-only requirements it falls back to judgeSummary. */
export function judgeDetail(message: ArrivedDetail, requirement: MailRequirement): MailVerdict {
	const { session } = message;
	switch (requirement) {
		case 'envelope-differs': {
			const envelope = addressSet(session.envelope.rcptTo);
			const header = addressSet(message.to.map((to) => to.address));
			const same = envelope.length === header.length && envelope.every((address, index) => address === header[index]);
			return same ? { ok: false, why: 'envelope-same', envelope, header } : { ok: true };
		}
		case 'encrypted-login':
			if (session.tls === 'none') return { ok: false, why: 'plain' };
			return session.auth ? { ok: true } : { ok: false, why: 'no-login' };
		case 'sent-for-real':
			if (session.direction !== 'outbound' || !session.relay) return { ok: false, why: 'not-outbound' };
			return /^2\d\d\b/.test(session.relay.reply) ? { ok: true } : { ok: false, why: 'refused', reply: session.relay.reply };
		default:
			return judgeSummary(message, requirement);
	}
}

/** Messages that arrived at or after `since` (milliseconds, server clock), earliest first. */
export function arrivedSince<T extends ArrivedMail>(messages: readonly T[], since: number): T[] {
	return messages.filter((message) => Date.parse(message.receivedAt) >= since).sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
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
