/**
 * Exercise goals for the .env playground, checked against an analysis. Lessons pass goals as data
 * (no code in lessons); each goal's text comes from the UI strings (`labs.env.goal.<kind>`).
 */
import type { EnvReport } from '../../../sandbox/env-file/analyze-env.ts';
import { envBool } from '../../../sandbox/env-file/django-environ-values.ts';
import type { PitfallCode } from '../../../sandbox/env-file/env-rules.ts';

export type EnvGoal =
	/** Both parsers read the key, with the same non-empty value. */
	| { kind: 'defined'; key: string }
	/** django-environ reads exactly this value. */
	| { kind: 'equals'; key: string; value: string }
	/** `env.bool(key)` gives this. */
	| { kind: 'bool'; key: string; value: boolean }
	/** No line is read differently by the two parsers. */
	| { kind: 'agree' }
	/** No value looks like a real Google app password. */
	| { kind: 'noRealSecret' }
	/** None of the lines falls into this pitfall. */
	| { kind: 'noPitfall'; code: PitfallCode };

export interface GoalResult {
	goal: EnvGoal;
	met: boolean;
}

/** The chapter's exercise: a `.env` both Django and Node read the same, safe to show others. */
export const CHAPTER_GOALS: readonly EnvGoal[] = [
	{ kind: 'defined', key: 'EMAIL_HOST_USER' },
	{ kind: 'defined', key: 'EMAIL_HOST_PASSWORD' },
	{ kind: 'agree' },
	{ kind: 'noPitfall', code: 'tlsAndSsl' },
	{ kind: 'noRealSecret' },
];

export function checkGoals(report: EnvReport, goals: readonly EnvGoal[]): GoalResult[] {
	return goals.map((goal) => ({ goal, met: isMet(report, goal) }));
}

function isMet(report: EnvReport, goal: EnvGoal): boolean {
	const hasPitfall = (code: PitfallCode): boolean => report.lines.some((line) => line.pitfalls.some((p) => p.code === code));
	switch (goal.kind) {
		case 'defined': {
			const value = report.django.get(goal.key);
			return value !== undefined && value !== '' && report.dotenv.get(goal.key) === value;
		}
		case 'equals':
			return report.django.get(goal.key) === goal.value;
		case 'bool': {
			const value = report.django.get(goal.key);
			return value !== undefined && envBool(value) === goal.value;
		}
		case 'agree':
			return report.counts.disagreements === 0;
		case 'noRealSecret':
			return !hasPitfall('gmailAppPassword');
		case 'noPitfall':
			return !hasPitfall(goal.code);
	}
}

/** Parameters for a goal's message template. */
export function goalParams(goal: EnvGoal): Record<string, string> {
	switch (goal.kind) {
		case 'defined':
			return { key: goal.key };
		case 'equals':
			return { key: goal.key, value: goal.value };
		case 'bool':
			return { key: goal.key, value: goal.value ? 'True' : 'False' };
		case 'noPitfall':
			return { code: goal.code };
		default:
			return {};
	}
}
