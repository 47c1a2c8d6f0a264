/**
 * Keeps real SMTP mode from becoming an open relay when mail is sent from the site (the forum's reset flow,
 * the instructor's test send): at most N real messages per rolling hour, each message counted whatever sent
 * it (SANDBOX_REAL_SEND_PER_HOUR, default 20)
 * and, when SANDBOX_REAL_SEND_ALLOW is set, only to recipients that match one of its patterns
 * (`*@myschool.ac.kr`, `teacher@example.com`; `*` matches any run of characters, case-insensitive).
 * The command line (`mail:check --to`) is the local user's own action and is not limited by this.
 */
import type { Bilingual } from './settings/problem.ts';
import { bilingual } from '../i18n/messages.ts';

/** Gmail allows ~500 messages a day; a class exercise needs a handful. 20 an hour stops a runaway loop early. */
export const DEFAULT_REAL_SENDS_PER_HOUR = 20;
const HOUR_MS = 60 * 60 * 1000;

export type GuardDecision =
	| { ok: true }
	| { ok: false; reason: 'rate-limit'; retryAfterMs: number; message: Bilingual }
	| { ok: false; reason: 'not-allowed'; recipients: string[]; message: Bilingual };

export interface RealSendGuardOptions {
	perHour?: number;
	/** SANDBOX_REAL_SEND_ALLOW: comma-separated patterns; empty or unset allows every recipient. */
	allow?: string;
	/** Clock, for tests. */
	now?: () => number;
}

export interface RealSendGuard {
	/** Decides whether one message to these recipients may go out now; counts it when it may. */
	tryAcquire(recipients: readonly string[]): GuardDecision;
	/**
	 * Whether `messages` messages to these recipients could go out now, counting nothing: a caller about to
	 * send several (one per forum account of an address) asks first, so it sends all or none.
	 */
	check(recipients: readonly string[], messages: number): GuardDecision;
	/** Sends left in the current hour. */
	remaining(): number;
}

export function parseAllowList(raw: string | undefined): RegExp[] {
	if (raw === undefined) return [];
	return raw
		.split(',')
		.map((pattern) => pattern.trim())
		.filter((pattern) => pattern !== '')
		.map((pattern) => new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i'));
}

export function createRealSendGuard(options: RealSendGuardOptions = {}): RealSendGuard {
	const perHour = options.perHour ?? DEFAULT_REAL_SENDS_PER_HOUR;
	const allow = parseAllowList(options.allow);
	const now = options.now ?? Date.now;
	const sentAt: number[] = [];

	const prune = (at: number): void => {
		while (sentAt.length > 0 && (sentAt[0] ?? 0) <= at - HOUR_MS) sentAt.shift();
	};

	const decide = (recipients: readonly string[], messages: number, at: number): GuardDecision => {
		prune(at);
		if (allow.length > 0) {
			const refused = recipients.filter((r) => !allow.some((pattern) => pattern.test(r.trim())));
			if (refused.length > 0) {
				return {
					ok: false,
					reason: 'not-allowed',
					recipients: refused,
					message: bilingual('realSend.notAllowed', { recipients: refused.join(', '), allow: options.allow ?? '' }),
				};
			}
		}
		if (sentAt.length + messages > perHour) {
			// The slot that frees last among those needed: with 3 needed and 1 left, the second-oldest send must age out.
			const needed = sentAt.length + messages - perHour;
			const retryAfterMs = messages > perHour ? HOUR_MS : (sentAt[needed - 1] ?? at) + HOUR_MS - at;
			const minutes = Math.ceil(retryAfterMs / 60_000);
			return {
				ok: false,
				reason: 'rate-limit',
				retryAfterMs,
				message: bilingual(messages === 1 ? 'realSend.rateLimit.one' : 'realSend.rateLimit.other', { perHour, messages, minutes }),
			};
		}
		return { ok: true };
	};

	return {
		tryAcquire(recipients) {
			const at = now();
			const decision = decide(recipients, 1, at);
			if (decision.ok) sentAt.push(at);
			return decision;
		},
		check(recipients, messages) {
			return decide(recipients, messages, now());
		},
		remaining() {
			prune(now());
			return Math.max(0, perHour - sentAt.length);
		},
	};
}
