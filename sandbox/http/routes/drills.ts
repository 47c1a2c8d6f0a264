/**
 * `/api/v1/drills`: the failure drills (sandbox/drills/), for the inbox panel, the lessons and tests.
 *
 *   GET    /api/v1/drills                          { drills, active, classWide, refusals }
 *   PUT    /api/v1/drills  { drill, mode? }        { active }   mode `on` (default) or `once` (next message only)
 *   DELETE /api/v1/drills                          { active: null }
 *
 * Whose drill: the local user's (local mode), a learner's own (it applies to their SMTP login only), or the
 * instructor's, which applies to the whole class. An unknown drill or mode is a 400 that lists the known ones.
 */
import type { IncomingMessage } from 'node:http';
import type { Viewer } from '../../classroom/classroom.ts';
import { DRILL_IDS, DRILL_MODES, DRILLS, isDrillId, type DrillMode } from '../../drills/drill-catalogue.ts';
import { CLASS_WIDE, type ActiveDrill, type DrillRefusal, type DrillSwitch } from '../../drills/drill-switch.ts';
import { DEFAULT_MAILBOX } from '../../store/types.ts';
import { readJson, type ApiRequest } from '../api-request.ts';
import { HttpError, sendJson } from '../json-response.ts';
import { route, type Route } from '../route-table.ts';

export interface DrillsState {
	/** Whose drill this viewer sets: `own` (local user, learner) or `class` (the instructor, for everyone). */
	scope: 'own' | 'class';
	drills: Array<{ id: string; step: string; reply: string | null; rule: string; lesson: string }>;
	/** The viewer's own drill (the instructor's is the class's). */
	active: ActiveDrill | null;
	/** The instructor's drill for the whole class (classroom mode), which a learner's own overrides. */
	classWide: ActiveDrill | null;
	/** The viewer's refusals (the instructor: everyone's), newest first. */
	refusals: DrillRefusal[];
}

/** The key a viewer's drill is kept under; null for a viewer who may not set one. */
function keyOf(viewer: Viewer): string | null {
	switch (viewer.kind) {
		case 'local':
			return DEFAULT_MAILBOX;
		case 'learner':
			return viewer.learner.mailbox;
		case 'instructor':
			return CLASS_WIDE;
		case 'anonymous':
			return null;
	}
}

export function drillsState(drills: DrillSwitch, viewer: Viewer): DrillsState {
	const key = keyOf(viewer);
	const refusalsOf = viewer.kind === 'instructor' ? null : (key ?? '');
	return {
		scope: viewer.kind === 'instructor' ? 'class' : 'own',
		drills: DRILL_IDS.map((id) => {
			const drill = DRILLS[id];
			return { id, step: drill.step, reply: drill.reply ? `${drill.reply.code} ${drill.reply.enhanced} ${drill.reply.text}` : null, rule: drill.rule, lesson: drill.lesson };
		}),
		active: key ? drills.get(key) : null,
		classWide: viewer.kind === 'learner' ? drills.get(CLASS_WIDE) : null,
		refusals: drills.refusals(refusalsOf),
	};
}

/** Validates a PUT body and turns the drill on for the viewer; a clear 400 for anything else. */
export function setDrill(drills: DrillSwitch, viewer: Viewer, body: unknown, req: IncomingMessage): ActiveDrill {
	const key = keyOf(viewer);
	if (!key) throw new HttpError(401, 'api.joinClass');
	if (typeof body !== 'object' || body === null) throw new HttpError(400, 'api.drillBody');
	const { drill, mode = 'on' } = body as { drill?: unknown; mode?: unknown };
	if (!isDrillId(drill)) {
		throw new HttpError(400, 'api.unknownDrill', { drill: JSON.stringify(drill ?? null), known: DRILL_IDS.join(', ') });
	}
	if (!(DRILL_MODES as readonly unknown[]).includes(mode)) {
		throw new HttpError(400, 'api.unknownDrillMode', { mode: JSON.stringify(mode) });
	}
	// A learner's stalled server is found by the address their machine connects from (see drill-switch.ts).
	const address = viewer.kind === 'learner' ? req.socket.remoteAddress : undefined;
	return drills.set(key, drill, mode as DrillMode, address);
}

export function clearDrill(drills: DrillSwitch, viewer: Viewer): void {
	const key = keyOf(viewer);
	if (!key) throw new HttpError(401, 'api.joinClass');
	drills.clear(key);
}

export function drillRoutes(drills: DrillSwitch): Route<ApiRequest>[] {
	return [
		route('GET', 'drills', ({ res, viewer }) => sendJson(res, 200, drillsState(drills, viewer))),
		route('PUT', 'drills', async ({ req, res, viewer }) => sendJson(res, 200, { active: setDrill(drills, viewer, await readJson(req), req) })),
		route('DELETE', 'drills', ({ res, viewer }) => {
			clearDrill(drills, viewer);
			sendJson(res, 200, { active: null });
		}),
	];
}
