/**
 * Browser side of the .env playground (EnvPlayground.astro): reads the textarea, analyses it a moment
 * after the learner stops typing, and draws the table, the line markers, the missing keys and the goal
 * checklist. Everything happens in this page: the module makes no network request, so a pasted secret
 * never leaves the learner's machine.
 */
import { analyzeEnv, type EnvLineReport, type EnvReport, type Pitfall } from '../../../sandbox/env-file/analyze-env.ts';
import type { ParserView, Severity } from '../../../sandbox/env-file/env-rules.ts';
import { checkGoals, goalParams, type EnvGoal, type GoalResult } from './env-goals';
import { writeStored } from '../../progress/browser-storage.ts';
import { ENV_GOALS_MET_EVENT, ENV_GOALS_MET_VALUE, envExerciseKey, type EnvGoalsMetDetail } from './env-progress';
import { fillTemplate, visibleValue } from './visible-value';

/** Long enough not to redraw on every keystroke of a fast typist, short enough to feel live. */
const ANALYSE_DELAY_MS = 200;

interface Parts {
	input: HTMLTextAreaElement;
	gutter: HTMLElement;
	summary: HTMLElement;
	results: HTMLElement;
	rows: HTMLElement;
	missing: HTMLElement;
	goals: HTMLElement;
	goalProgress: HTMLElement;
	reset: HTMLButtonElement | null;
	noscript: HTMLElement | null;
}

/** Starts one playground; `root` carries its strings, goals and required keys as data attributes. */
export function startEnvPlayground(root: HTMLElement): void {
	const parts = findParts(root);
	if (!parts) return;
	const strings = readJson<Record<string, string>>(root.dataset['strings'], {});
	const goals = readJson<EnvGoal[]>(root.dataset['goals'], []);
	const requiredKeys = readJson<string[]>(root.dataset['required'], []);
	const initial = parts.input.value;
	const t = (key: string, params: Record<string, string> = {}): string => fillTemplate(strings[key] ?? key, params);

	let timer: ReturnType<typeof setTimeout> | undefined;
	const progress = { lesson: root.dataset['lesson'] ?? '', lab: root.dataset['lab'] ?? '' };
	const update = (): void => {
		const report = analyzeEnv(parts.input.value, { requiredKeys });
		const results = checkGoals(report, goals);
		render(parts, report, results, t);
		if (results.length > 0 && results.every((r) => r.met)) recordGoalsMet(progress);
	};
	parts.input.addEventListener('input', () => {
		clearTimeout(timer);
		timer = setTimeout(update, ANALYSE_DELAY_MS);
		drawGutterNumbers(parts, parts.input.value);
	});
	parts.input.addEventListener('scroll', () => {
		parts.gutter.scrollTop = parts.input.scrollTop;
	});
	if (parts.reset) {
		parts.reset.hidden = false;
		parts.reset.addEventListener('click', () => {
			parts.input.value = initial;
			update();
			parts.input.focus();
		});
	}
	if (parts.noscript) parts.noscript.hidden = true;
	parts.results.hidden = false;
	update();
}

/** Stores and announces a met exercise once per page view (see env-progress.ts for the contract). */
function recordGoalsMet(detail: EnvGoalsMetDetail): void {
	const key = envExerciseKey(detail.lesson, detail.lab);
	if (announced.has(key)) return;
	announced.add(key);
	// Without storage the checklist still shows the result.
	writeStored(key, ENV_GOALS_MET_VALUE);
	document.dispatchEvent(new CustomEvent<EnvGoalsMetDetail>(ENV_GOALS_MET_EVENT, { detail }));
}
const announced = new Set<string>();

function findParts(root: HTMLElement): Parts | null {
	const one = <T extends Element>(selector: string): T | null => root.querySelector<T>(selector);
	const input = one<HTMLTextAreaElement>('[data-input]');
	const gutter = one<HTMLElement>('[data-gutter]');
	const summary = one<HTMLElement>('[data-summary]');
	const results = one<HTMLElement>('[data-results]');
	const rows = one<HTMLElement>('[data-rows]');
	const missing = one<HTMLElement>('[data-missing]');
	const goals = one<HTMLElement>('[data-goals]');
	const goalProgress = one<HTMLElement>('[data-goal-progress]');
	if (!input || !gutter || !summary || !results || !rows || !missing || !goals || !goalProgress) return null;
	return { input, gutter, summary, results, rows, missing, goals, goalProgress, reset: one('[data-reset]'), noscript: one('[data-noscript]') };
}

/** A data attribute the component wrote with JSON.stringify: one that does not parse is a bug, and says so. */
function readJson<T>(text: string | undefined, fallback: T): T {
	return text ? (JSON.parse(text) as T) : fallback;
}

type Translate = (key: string, params?: Record<string, string>) => string;

function render(parts: Parts, report: EnvReport, goals: GoalResult[], t: Translate): void {
	const shown = report.lines.filter((line) => line.dotenv.state !== 'none' || line.django.state !== 'none' || line.pitfalls.length > 0);
	const tableId = parts.rows.closest('table')?.id ?? 'env-lab-table';
	parts.rows.replaceChildren(...(shown.length > 0 ? shown.flatMap((line) => renderRows(line, tableId, t)) : [emptyRow(t)]));
	drawGutter(parts, report);
	renderMissing(parts.missing, report, t);
	renderGoals(parts, goals, t);
	const counts = report.counts;
	parts.summary.textContent = t('labs.env.summary', {
		keys: String(counts.keys),
		disagreements: String(counts.disagreements),
		errors: String(counts.errors),
		warnings: String(counts.warnings),
	});
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
	const node = document.createElement(tag);
	if (className) node.className = className;
	if (text !== undefined) node.textContent = text;
	return node;
}

function emptyRow(t: Translate): HTMLTableRowElement {
	const row = element('tr');
	const cell = element('td', 'env-lab-empty', t('labs.env.empty'));
	cell.colSpan = 4;
	row.append(cell);
	return row;
}

function worstSeverity(pitfalls: readonly Pitfall[]): Severity | null {
	for (const severity of ['error', 'warning', 'info'] as const) if (pitfalls.some((p) => p.severity === severity)) return severity;
	return null;
}

/**
 * Two table rows per `.env` line: the key and both readings side by side, then the explanation across the
 * full width below them. As a fifth column the explanations were squeezed into a sliver of the page or
 * pushed the table past it; they are the point of the lab. The line number heads both rows.
 */
function renderRows(line: EnvLineReport, tableId: string, t: Translate): HTMLTableRowElement[] {
	const lineNumber = String(line.line + 1);
	const row = element('tr', 'env-lab-reading');
	const notesRow = element('tr', 'env-lab-notes-row');
	row.dataset['line'] = lineNumber;
	notesRow.dataset['notesFor'] = lineNumber;
	const severity = worstSeverity(line.pitfalls);
	for (const each of [row, notesRow]) {
		each.dataset['state'] = line.disagree ? 'different' : 'same';
		if (severity) each.dataset['severity'] = severity;
	}

	const number = element('th', 'env-lab-number', lineNumber);
	number.scope = 'row';
	number.rowSpan = 2;
	number.id = `${tableId}-line-${lineNumber}`;
	const key = element('td', 'env-lab-key');
	if (line.key !== null) {
		const code = element('code');
		code.append(...breakableKey(line.key));
		key.append(code);
	}
	const notes = element('td', 'env-lab-notes');
	notes.colSpan = 3;
	// Spanning the three reading columns, the cell takes its headers from here rather than from their positions.
	notes.headers = `${tableId}-notes ${number.id}`;
	notes.append(element('span', line.disagree ? 'env-lab-verdict is-different' : 'env-lab-verdict', t(line.disagree ? 'labs.env.different' : 'labs.env.same')));
	if (line.pitfalls.length > 0) {
		const list = element('ul', 'env-lab-pitfalls');
		for (const item of line.pitfalls) list.append(renderPitfall(item, t));
		notes.append(list);
	}
	row.append(number, key, renderValue(line.dotenv, t, 'dotenv'), renderValue(line.django, t, 'django'));
	notesRow.append(notes);
	return [row, notesRow];
}

/** A key that may wrap after its underscores (EMAIL_HOST_ / PASSWORD) on a phone, and nowhere else. */
function breakableKey(key: string): Array<string | HTMLElement> {
	return key.split(/(?<=_)/).flatMap((part, index) => (index === 0 ? [part] : [element('wbr'), part]));
}

function renderValue(view: ParserView, t: Translate, parser: 'dotenv' | 'django'): HTMLTableCellElement {
	const cell = element('td', 'env-lab-value');
	cell.dataset['parser'] = parser;
	if (view.state === 'value') {
		if (view.value === '') {
			cell.append(element('em', undefined, t('labs.env.state.empty')));
		} else {
			const code = element('code');
			for (const piece of visibleValue(view.value)) {
				if (!piece.marker) {
					code.append(piece.text);
					continue;
				}
				const marker = element('span', 'env-lab-marker');
				marker.append(element('span', undefined, piece.text), element('span', 'sr-only', ` (${t(`labs.env.marker.${piece.marker}`)}) `));
				marker.firstElementChild?.setAttribute('aria-hidden', 'true');
				code.append(marker);
			}
			cell.append(code);
		}
	} else if (view.state === 'continuation') {
		cell.append(element('em', undefined, t('labs.env.state.continuation', { line: String(view.fromLine + 1) })));
	} else if (view.state === 'skipped') {
		cell.append(element('em', 'env-lab-skipped', t('labs.env.state.skipped')));
	}
	return cell;
}

function pitfallText(item: Pitfall, t: Translate): { title: string; body: string } {
	const prefix = `labs.env.pitfall.${item.code}`;
	const bodyKey = item.code === 'dollarProxy' ? `${prefix}.${item.params['outcome'] ?? 'resolved'}` : `${prefix}.body`;
	return { title: t(`${prefix}.title`, item.params), body: t(bodyKey, item.params) };
}

function renderPitfall(item: Pitfall, t: Translate): HTMLLIElement {
	const entry = element('li', `env-lab-pitfall is-${item.severity}`);
	entry.dataset['code'] = item.code;
	const { title, body } = pitfallText(item, t);
	const heading = element('strong');
	heading.append(`${t(`labs.env.severity.${item.severity}`)}: `, ...withCode(title));
	const text = element('span');
	text.append(...withCode(body));
	entry.append(heading, ' ', text);
	return entry;
}

/** Messages quote `.env` syntax between backticks; those parts are shown as code. */
function withCode(text: string): Array<string | HTMLElement> {
	return text.split('`').map((part, index) => (index % 2 === 1 ? element('code', undefined, part) : part));
}

function renderMissing(list: HTMLElement, report: EnvReport, t: Translate): void {
	if (report.missing.length === 0) {
		list.replaceChildren(element('li', 'env-lab-ok', t('labs.env.missing.none')));
		return;
	}
	list.replaceChildren(
		...report.missing.map((item) => {
			const entry = element('li', 'env-lab-pitfall is-error', t(item.dotenvHasIt ? 'labs.env.missing.dotenvOnly' : 'labs.env.missing.absent', { key: item.key }));
			entry.dataset['missing'] = item.key;
			return entry;
		}),
	);
}

function renderGoals(parts: Parts, goals: GoalResult[], t: Translate): void {
	parts.goals.replaceChildren(
		...goals.map(({ goal, met }) => {
			const entry = element('li', met ? 'env-lab-goal is-met' : 'env-lab-goal');
			entry.dataset['met'] = String(met);
			entry.dataset['goal'] = goal.kind;
			const params = goalParams(goal);
			if (goal.kind === 'noPitfall') params['pitfall'] = t(`labs.env.pitfall.${goal.code}.title`, {});
			const mark = element('span', 'env-lab-goal-mark', met ? '✓' : '○');
			mark.setAttribute('aria-hidden', 'true');
			entry.append(mark, ' ', element('span', undefined, t(`labs.env.goal.${goal.kind}`, params)), element('span', 'sr-only', ` (${t(met ? 'labs.env.goal.met' : 'labs.env.goal.unmet')})`));
			return entry;
		}),
	);
	const metCount = goals.filter((g) => g.met).length;
	parts.goalProgress.textContent = t('labs.env.goals.progress', { met: String(metCount), total: String(goals.length) });
}

/** Line numbers beside the textarea, redrawn at once while typing so they never lag the text. */
function drawGutterNumbers(parts: Parts, text: string): void {
	const count = text.split('\n').length;
	if (parts.gutter.childElementCount === count) return;
	const lines: HTMLElement[] = [];
	for (let i = 0; i < count; i += 1) lines.push(element('span', 'env-lab-gutter-line', String(i + 1)));
	parts.gutter.replaceChildren(...lines);
}

/** Line numbers with a mark for every line read differently or with a problem. */
function drawGutter(parts: Parts, report: EnvReport): void {
	parts.gutter.replaceChildren(
		...report.lines.map((line) => {
			const severity = worstSeverity(line.pitfalls);
			const mark = line.disagree ? '≠' : severity === 'error' || severity === 'warning' ? '!' : '';
			const span = element('span', 'env-lab-gutter-line', `${line.line + 1}${mark ? ` ${mark}` : ''}`);
			if (line.disagree) span.dataset['state'] = 'different';
			if (severity) span.dataset['severity'] = severity;
			return span;
		}),
	);
	parts.gutter.scrollTop = parts.input.scrollTop;
}
