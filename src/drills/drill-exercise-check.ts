/**
 * The try-the-reset drill exercise, judged from the sandbox's records: with the "wrong app password" drill on,
 * the learner's own Django sends a reset email and is refused at AUTH (a drill refusal, kept by the sandbox);
 * with the drill off, the same login sends a reset email again and it is delivered (a stored message whose
 * session logged in as the same user, after the refusal). Pure, for the browser checker and its unit test.
 */
import type { DrillRefusal } from '../../sandbox/drills/drill-switch.ts';
import { judgeSummary, type ArrivedMail } from '../exercise/sandbox-mail-match.ts';

/** The drill the exercise is about. */
export const EXERCISE_DRILL = 'wrong-app-password';

export interface DeliveredCandidate extends ArrivedMail {
	/** The login of the session that delivered it; null when the client did not log in. */
	readonly authUser: string | null;
}

export type DrillExerciseVerdict =
	| { state: 'need-refusal' }
	/** Refused as it should be; now turn the drill off and send again. */
	| { state: 'need-delivery'; refusal: DrillRefusal }
	| { state: 'passed'; refusal: DrillRefusal; message: DeliveredCandidate };

/**
 * `since`: when checking started (server clock, ms); records from before do not count. The refusal is the
 * first wrong-app-password refusal at AUTH since then; the delivery, a reset email that arrived after it with
 * the same login (so the same project sent both, not the sandbox forum or another script).
 */
export function judgeDrillExercise(refusals: readonly DrillRefusal[], delivered: readonly DeliveredCandidate[], since: number): DrillExerciseVerdict {
	const refusal = refusals
		.filter((r) => r.drill === EXERCISE_DRILL && r.step === 'auth' && Date.parse(r.at) >= since)
		.toSorted((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
	if (!refusal) return { state: 'need-refusal' };
	const message = delivered.find(
		(m) => Date.parse(m.receivedAt) >= Date.parse(refusal.at) && judgeSummary(m, 'reset').ok && m.authUser !== null && m.authUser === (refusal.user ?? null),
	);
	return message ? { state: 'passed', refusal, message } : { state: 'need-delivery', refusal };
}
