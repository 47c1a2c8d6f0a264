/**
 * Which translated sentence tells a learner why joining failed, by the classroom's error code
 * (sandbox/classroom/classroom.ts). Codes the page has no sentence for show the server's own message.
 */
import type { ClassroomError } from '../../sandbox/classroom/classroom.ts';

export type JoinErrorKey =
	| 'classroom.join.error.empty'
	| 'classroom.join.error.long'
	| 'classroom.join.error.invalid'
	| 'classroom.join.error.noLetter'
	| 'classroom.join.error.taken'
	| 'classroom.join.error.full'
	| 'classroom.join.error.failed';

export function joinErrorKey(code: ClassroomError['code']): JoinErrorKey {
	switch (code) {
		case 'name-required':
			return 'classroom.join.error.empty';
		case 'name-too-long':
			return 'classroom.join.error.long';
		case 'name-invalid':
			return 'classroom.join.error.invalid';
		case 'name-no-letter':
			return 'classroom.join.error.noLetter';
		case 'name-taken':
			return 'classroom.join.error.taken';
		case 'class-full':
			return 'classroom.join.error.full';
		default:
			return 'classroom.join.error.failed';
	}
}

/** The status a refused join answers with: the class being full is a conflict; every name problem is the request's own (400). */
export function joinErrorStatus(code: ClassroomError['code']): number {
	return code === 'class-full' ? 409 : 400;
}
