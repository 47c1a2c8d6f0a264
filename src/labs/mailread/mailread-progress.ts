/**
 * Where the POP3/IMAP check (src/components/labs/MailReadCheck.astro) records that a mail client really
 * fetched a message from the sandbox, so the lesson's exercise can count it (src/exercise/lesson-exercise.ts).
 *
 * Contract: localStorage key `postlab:mailread:<lessonId>:fetched` holds `'fetched'` once the check saw a
 * POP3 RETR/TOP or an IMAP FETCH of a message body in the sandbox's own session log; then `document`
 * receives a `postlab:mail-read` CustomEvent with `detail = { lesson }`.
 */
import { writeStored } from '../../progress/browser-storage.ts';

export const MAIL_READ_EVENT = 'postlab:mail-read';
export const MAIL_READ_VALUE = 'fetched';

export function mailReadPrefix(lesson: string): string {
	return `postlab:mailread:${lesson}:`;
}

export function recordMailRead(lesson: string): void {
	// Without storage the check still shows its result.
	writeStored(`${mailReadPrefix(lesson)}fetched`, MAIL_READ_VALUE);
	document.dispatchEvent(new CustomEvent<{ lesson: string }>(MAIL_READ_EVENT, { detail: { lesson } }));
}
