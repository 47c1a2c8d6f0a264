/**
 * What the classroom pages share about HTTP: who the visitor is (from the classroom's cookies), setting
 * and clearing those cookies, and the CSRF token of the visitor's forms (the same signed CSRF cookie the
 * forum and settings forms use, so one mechanism guards every form of the site).
 * Server-only (Astro SSR routes).
 */
import type { AstroCookies } from 'astro';
import {
	CLASSROOM_COOKIE_OPTIONS,
	INSTRUCTOR_COOKIE,
	INSTRUCTOR_SESSION_LIFETIME_MS,
	LEARNER_COOKIE,
	type Classroom,
	type Viewer,
} from '../../sandbox/classroom/classroom.ts';
import { getClassroom, getForum } from '../../sandbox/runtime.ts';
import { csrfOk, csrfTokenFor as formToken } from '../forum/forum-http.ts';

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
		// The instructor's cookie goes with its session (12 h); the server ends it then whatever the browser keeps.
		...(which === 'instructor' ? { maxAge: INSTRUCTOR_SESSION_LIFETIME_MS / 1000 } : {}),
		secure: url.protocol === 'https:',
	});
}

export function clearClassroomCookie(cookies: AstroCookies, which: ClassroomCookie): void {
	cookies.delete(which === 'learner' ? LEARNER_COOKIE : INSTRUCTOR_COOKIE, { path: CLASSROOM_COOKIE_OPTIONS.path });
}

/**
 * The CSRF token for this visitor's forms (the forum's signed CSRF cookie: a first-time learner gets one, and
 * nothing is stored for them until they join). Empty when no forum runs: then every POST is refused.
 */
export function csrfTokenFor(cookies: AstroCookies, url: URL): string {
	return formToken(getForum(), cookies, url);
}

/** True when the posted form carries the token of the CSRF cookie it came with. */
export function classroomCsrfOk(cookies: AstroCookies, form: Record<string, string>): boolean {
	const forum = getForum();
	return forum !== null && csrfOk(forum, cookies, form);
}
