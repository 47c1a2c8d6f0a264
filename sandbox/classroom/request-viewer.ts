/**
 * Who sent a Node request (the JSON API and its event stream): the classroom's cookies read from the
 * Cookie header (RFC 6265 §5.4, by the `cookie` package), and what that viewer may see. Server-only.
 */
import type { IncomingMessage } from 'node:http';
import { parseCookie } from 'cookie';
import { INSTRUCTOR_COOKIE, LEARNER_COOKIE, type Classroom, type Viewer } from './classroom.ts';

/**
 * The named cookies of a Cookie header, read by the `cookie` package (what Astro reads its cookies with, so
 * the API and the pages agree on every odd header): the first of a repeated name wins, as browsers send the
 * most specific first; a value that is not valid percent-encoding is kept as sent.
 */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
	const cookies = new Map<string, string>();
	if (!header) return cookies;
	for (const [name, value] of Object.entries(parseCookie(header))) if (value !== undefined) cookies.set(name, value);
	return cookies;
}

export function viewerOfRequest(req: IncomingMessage, classroom: Classroom | undefined): Viewer {
	if (!classroom || !classroom.enabled) return { kind: 'local' };
	const cookies = parseCookieHeader(req.headers.cookie);
	return classroom.viewerFromCookies({ learner: cookies.get(LEARNER_COOKIE), instructor: cookies.get(INSTRUCTOR_COOKIE) });
}

/**
 * Which mailboxes a viewer's requests are confined to: every one (local user, instructor), one (a learner's
 * own), or none at all (anonymous in classroom mode).
 */
export type MailboxScope = { kind: 'all' } | { kind: 'mailbox'; mailbox: string } | { kind: 'none' };

export function mailboxScope(viewer: Viewer): MailboxScope {
	switch (viewer.kind) {
		case 'local':
		case 'instructor':
			return { kind: 'all' };
		case 'learner':
			return { kind: 'mailbox', mailbox: viewer.learner.mailbox };
		case 'anonymous':
			return { kind: 'none' };
	}
}

/** The viewer of an Astro page (or any request whose cookies are read by name). */
export function viewerOfCookies(cookie: (name: string) => string | undefined, classroom: Classroom | undefined): Viewer {
	if (!classroom || !classroom.enabled) return { kind: 'local' };
	return classroom.viewerFromCookies({ learner: cookie(LEARNER_COOKIE), instructor: cookie(INSTRUCTOR_COOKIE) });
}

/** Real mail leaves the building: in classroom mode only the instructor may send it (never an open relay). */
export function mayUseRealMail(viewer: Viewer): boolean {
	return viewer.kind === 'local' || viewer.kind === 'instructor';
}

/** The learner's mailbox, where what they start (a forum account's mail) is filed; null otherwise. */
export function learnerMailbox(viewer: Viewer): string | null {
	return viewer.kind === 'learner' ? viewer.learner.mailbox : null;
}
