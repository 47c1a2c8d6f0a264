import { describe, expect, it } from 'vitest';
import { analyzeEnv } from '../../../sandbox/env-file/analyze-env.ts';
import { CHAPTER_GOALS, checkGoals } from './env-goals';
import { SAMPLE_ENV } from './sample-env';
import { fillTemplate, visibleValue } from './visible-value';

describe('the sample text', () => {
	it('shows every main pitfall and meets none of the chapter goals but one', () => {
		const report = analyzeEnv(SAMPLE_ENV);
		const found = new Set(report.lines.flatMap((l) => l.pitfalls.map((p) => p.code)));
		for (const code of ['spaceAroundEquals', 'gmailAppPassword', 'boolStyle', 'tlsAndSsl', 'unquotedHash'] as const) expect(found).toContain(code);
		expect(report.missing.map((m) => m.key)).toEqual(['EMAIL_HOST_USER']);
		expect(checkGoals(report, CHAPTER_GOALS).map((g) => g.met)).toEqual([false, true, false, false, false]);
	});

	it('meets every chapter goal once fixed', () => {
		const fixed = [
			'EMAIL_HOST_USER=forum.admin@gmail.com',
			"EMAIL_HOST_PASSWORD='xxxx xxxx xxxx xxxx'",
			'EMAIL_USE_TLS=True',
			'EMAIL_USE_SSL=False',
			'DEFAULT_FROM_EMAIL="ForumWithDjango <admin@FWD.com>"',
		].join('\n');
		expect(checkGoals(analyzeEnv(fixed), CHAPTER_GOALS).every((g) => g.met)).toBe(true);
	});
});

describe('goals', () => {
	it('checks equals and bool goals', () => {
		const report = analyzeEnv('EMAIL_PORT=587\nEMAIL_USE_TLS=yes');
		expect(
			checkGoals(report, [
				{ kind: 'equals', key: 'EMAIL_PORT', value: '587' },
				{ kind: 'equals', key: 'EMAIL_PORT', value: '465' },
				{ kind: 'bool', key: 'EMAIL_USE_TLS', value: true },
				{ kind: 'bool', key: 'EMAIL_USE_SSL', value: false },
			]).map((g) => g.met),
		).toEqual([true, false, true, false]);
	});
});

describe('visibleValue and fillTemplate', () => {
	it('marks blanks at the ends, line breaks and tabs', () => {
		expect(visibleValue(' a b\n')).toEqual([{ text: '·', marker: 'space' }, { text: 'a b' }, { text: '↵', marker: 'newline' }]);
		expect(visibleValue('x\t ')).toEqual([{ text: 'x' }, { text: '⇥', marker: 'tab' }, { text: '·', marker: 'space' }]);
		expect(visibleValue('😀 ')).toEqual([{ text: '😀' }, { text: '·', marker: 'space' }]);
	});
	it('fills placeholders and leaves unknown ones visible', () => {
		expect(fillTemplate('{{key}} on line {{line}}', { key: 'A' })).toBe('A on line {{line}}');
	});
});
