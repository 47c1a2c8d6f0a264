/**
 * Keeps real SMTP mode from becoming an open relay when mail is sent from the site (the forum's reset flow,
 * the instructor's test send): at most N real sends per rolling hour (SANDBOX_REAL_SEND_PER_HOUR, default 20)
 * and, when SANDBOX_REAL_SEND_ALLOW is set, only to recipients that match one of its patterns
 * (`*@myschool.ac.kr`, `teacher@example.com`; `*` matches any run of characters, case-insensitive).
 * The command line (`mail:check --to`) is the local user's own action and is not limited by this.
 */
import type { Bilingual } from '../email-settings/problem.ts';

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
	/** Decides whether a real send to these recipients may happen now; records it when it may. */
	tryAcquire(recipients: readonly string[]): GuardDecision;
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

	return {
		tryAcquire(recipients) {
			const at = now();
			prune(at);
			if (allow.length > 0) {
				const refused = recipients.filter((r) => !allow.some((pattern) => pattern.test(r.trim())));
				if (refused.length > 0) {
					return {
						ok: false,
						reason: 'not-allowed',
						recipients: refused,
						message: {
							ko: `${refused.join(', ')}에게는 실제 메일을 보낼 수 없습니다. SANDBOX_REAL_SEND_ALLOW에 있는 주소(${options.allow ?? ''})로만 보냅니다.`,
							en: `Real mail cannot go to ${refused.join(', ')}; only to addresses in SANDBOX_REAL_SEND_ALLOW (${options.allow ?? ''}).`,
						},
					};
				}
			}
			if (sentAt.length >= perHour) {
				const retryAfterMs = (sentAt[0] ?? at) + HOUR_MS - at;
				const minutes = Math.ceil(retryAfterMs / 60_000);
				return {
					ok: false,
					reason: 'rate-limit',
					retryAfterMs,
					message: {
						ko: `한 시간에 실제 메일은 ${perHour}통까지 보냅니다. ${minutes}분 뒤에 다시 시도하세요(SANDBOX_REAL_SEND_PER_HOUR로 바꿀 수 있습니다).`,
						en: `Real mail is limited to ${perHour} messages an hour. Try again in ${minutes} min (SANDBOX_REAL_SEND_PER_HOUR changes the limit).`,
					},
				};
			}
			sentAt.push(at);
			return { ok: true };
		},
		remaining() {
			prune(now());
			return Math.max(0, perHour - sentAt.length);
		},
	};
}
