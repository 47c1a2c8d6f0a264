/**
 * Where the port/TLS lab records a right pair that really connected, so the lesson's exercise can count
 * it (src/exercise/lesson-exercise.ts).
 *
 * Contract: localStorage key `postlab:porttls:<lessonId>:<style>` holds `'connected'` once the learner ran
 * the lab with the port style `<style>` (`587` or `465`) and exactly the settings that belong to it
 * (EMAIL_USE_TLS alone for 587, EMAIL_USE_SSL alone for 465) and the sandbox accepted the message. A
 * wrong pair, a 25-style run or a failed connection records nothing. Then `document` receives a
 * `postlab:port-tls-connected` CustomEvent with `detail = { lesson, style }`.
 */
import { writeStored } from '../../progress/browser-storage.ts';

export const PORT_TLS_CONNECTED_EVENT = 'postlab:port-tls-connected';
export const PORT_TLS_CONNECTED_VALUE = 'connected';
/** The two right pairs the exercise asks for. */
export const PORT_TLS_STYLES = ['587', '465'] as const;
export type RightPairStyle = (typeof PORT_TLS_STYLES)[number];

export interface PortTlsConnectedDetail {
	lesson: string;
	style: RightPairStyle;
}

export function portTlsPrefix(lesson: string): string {
	return `postlab:porttls:${lesson}:`;
}

/** Whether one run earns a record: the right pair for a 587- or 465-style port, and it worked. */
export function isRightPairRun(style: string, outcome: { ok: boolean; matchesAdvice: boolean }): style is RightPairStyle {
	return (style === '587' || style === '465') && outcome.ok && outcome.matchesAdvice;
}

/** Stores the record and announces it; storage may be off (private windows), the event still fires. */
export function recordRightPair(lesson: string, style: RightPairStyle): void {
	// Without storage the page still shows the pass for this visit.
	writeStored(`${portTlsPrefix(lesson)}${style}`, PORT_TLS_CONNECTED_VALUE);
	document.dispatchEvent(new CustomEvent<PortTlsConnectedDetail>(PORT_TLS_CONNECTED_EVENT, { detail: { lesson, style } }));
}
