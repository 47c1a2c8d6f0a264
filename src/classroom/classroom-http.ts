/**
 * What the classroom pages share about HTTP: who the visitor is (from the classroom's cookies), setting
 * and clearing those cookies, and the CSRF token of the visitor's forum session (the same synchronizer
 * token the forum and settings forms use, so one mechanism guards every form of the site).
 * Server-only (Astro SSR routes).
 */
import type { AstroCookies } from 'astro';
import {
	CLASSROOM_COOKIE_OPTIONS,
	INSTRUCTOR_COOKIE,
	LEARNER_COOKIE,
	getClassroom,
	type Classroom,
	type Viewer,
} from '../../sandbox/classroom/classroom.ts';
import { getForum } from '../../sandbox/forum/forum-registry.ts';
import { csrfOk, sessionIdOf, setSessionCookie } from '../forum/forum-http.ts';

export interface ClassroomVisit {
	/** Undefined where no sandbox runs (a static preview): the pages say so. */
	classroom: Classroom | undefined;
	viewer: Viewer;
}

export function classroomVisit(cookies: AstroCookies): ClassroomVisit {
	const classroom = getClassroom();
	if (!classroom) return { classroom, viewer: { kind: 'local' } };
	const viewer = classroom.viewerFromCookies({
		learner: cookies.get(LEARNER_COOKIE)?.value,
		instructor: cookies.get(INSTRUCTOR_COOKIE)?.value,
	});
	return { classroom, viewer };
}

export type ClassroomCookie = 'learner' | 'instructor';

export function setClassroomCookie(cookies: AstroCookies, which: ClassroomCookie, value: string, url: URL): void {
	cookies.set(which === 'learner' ? LEARNER_COOKIE : INSTRUCTOR_COOKIE, value, {
		...CLASSROOM_COOKIE_OPTIONS,
		secure: url.protocol === 'https:',
	});
}

export function clearClassroomCookie(cookies: AstroCookies, which: ClassroomCookie): void {
	cookies.delete(which === 'learner' ? LEARNER_COOKIE : INSTRUCTOR_COOKIE, { path: CLASSROOM_COOKIE_OPTIONS.path });
}

/**
 * The CSRF token for this visitor's forms, starting a forum session when there is none (a first-time
 * learner has no cookie at all yet). Empty when no forum runs: then every POST is refused.
 */
export async function csrfTokenFor(cookies: AstroCookies, url: URL): Promise<string> {
	const forum = getForum();
	if (!forum) return '';
	let sessionId = sessionIdOf(cookies);
	if (!forum.visitor(sessionId).sessionId) {
		sessionId = await forum.ensureSession(sessionId);
		setSessionCookie(cookies, sessionId, url);
	}
	return sessionId ? forum.csrf.tokenFor(sessionId) : '';
}

/** True when the posted form carries the CSRF token of the session in the cookie. */
export function classroomCsrfOk(cookies: AstroCookies, form: Record<string, string>): boolean {
	const forum = getForum();
	return forum !== null && csrfOk(forum, sessionIdOf(cookies), form);
}
