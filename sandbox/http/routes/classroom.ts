/** `GET /api/v1/classroom/roster`: the class's learners, for the instructor only (classroom mode). */
import type { Classroom } from '../../classroom/classroom.ts';
import type { ApiRequest } from '../api-request.ts';
import { HttpError, sendJson } from '../json-response.ts';
import { route, type Route } from '../route-table.ts';

export function classroomRoutes(classroom: Classroom): Route<ApiRequest>[] {
	return [
		route('GET', 'classroom/roster', ({ res, viewer }) => {
			if (viewer.kind !== 'instructor') throw new HttpError(403, 'api.rosterInstructorOnly');
			sendJson(res, 200, { learners: classroom.roster() });
		}),
	];
}
