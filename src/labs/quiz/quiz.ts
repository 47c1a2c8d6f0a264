/**
 * Browser side of <Quiz>: checks the chosen answers, shows the feedback of each chosen option, and on a
 * correct answer records it for the reader's progress (see quiz-progress.ts for the contract).
 */
import { readStored, writeStored } from '../../progress/browser-storage.ts';
import { QUIZ_SOLVED_EVENT, QUIZ_SOLVED_VALUE, judgeQuiz, quizStorageKey, type QuizSolvedDetail } from './quiz-progress';

interface QuizOptionData {
	correct: boolean;
	feedback: string;
}

export function startQuiz(form: HTMLFormElement): void {
	const lesson = form.dataset['lesson'] ?? '';
	const quiz = form.dataset['quizId'] ?? '';
	const options = readJson<QuizOptionData[]>(form.dataset['options'], []);
	const strings = readJson<Record<string, string>>(form.dataset['strings'], {});
	const feedback = form.querySelector<HTMLElement>('[data-feedback]');
	const check = form.querySelector<HTMLButtonElement>('[data-check]');
	const fallback = form.querySelector<HTMLElement>('[data-fallback]');
	const solvedNote = form.querySelector<HTMLElement>('[data-solved]');
	const inputs = [...form.querySelectorAll<HTMLInputElement>('input[data-option]')];
	if (!feedback || !check || inputs.length !== options.length) return;

	// With the script running, answers are revealed one choice at a time instead of all at once.
	if (fallback) fallback.hidden = true;
	check.hidden = false;
	const key = quizStorageKey(lesson, quiz);
	if (solvedNote && readStored(key) === QUIZ_SOLVED_VALUE) solvedNote.hidden = false;

	form.addEventListener('submit', (event) => {
		event.preventDefault();
		const chosen = inputs.flatMap((input, index) => (input.checked ? [index] : []));
		const correct = options.flatMap((option, index) => (option.correct ? [index] : []));
		const verdict = judgeQuiz(chosen, correct);
		for (const [index, input] of inputs.entries()) {
			const row = input.closest<HTMLElement>('[data-option-row]');
			if (row) row.dataset['result'] = input.checked ? (options[index]?.correct ? 'right' : 'wrong') : '';
		}
		const verdictText = {
			correct: strings['labs.quiz.correct'],
			partial: strings['labs.quiz.partial'],
			incorrect: strings['labs.quiz.incorrect'],
			empty: strings['labs.quiz.chooseFirst'],
		}[verdict];
		const heading = document.createElement('p');
		heading.className = 'quiz-verdict';
		heading.textContent = verdictText ?? verdict;
		const list = document.createElement('ul');
		for (const index of chosen) {
			const item = document.createElement('li');
			const label = inputs[index]?.labels?.[0]?.textContent ?? '';
			const strong = document.createElement('strong');
			strong.textContent = `${label.trim()}: `;
			item.append(strong, ...withCode(options[index]?.feedback ?? ''));
			list.append(item);
		}
		feedback.dataset['verdict'] = verdict;
		feedback.replaceChildren(heading, ...(chosen.length > 0 ? [list] : []));
		if (verdict === 'correct') {
			// Progress is a convenience; the feedback has already been shown.
			writeStored(key, QUIZ_SOLVED_VALUE);
			const detail: QuizSolvedDetail = { lesson, quiz };
			document.dispatchEvent(new CustomEvent<QuizSolvedDetail>(QUIZ_SOLVED_EVENT, { detail }));
		}
	});
}

/** Feedback quotes settings like option texts do: `a `b` c` → text, <code>b</code>, text. */
function withCode(text: string): Array<string | HTMLElement> {
	return text.split('`').map((part, index) => {
		if (index % 2 === 0) return part;
		const code = document.createElement('code');
		code.textContent = part;
		return code;
	});
}

/** A data attribute the component wrote with JSON.stringify: one that does not parse is a bug, and says so. */
function readJson<T>(text: string | undefined, fallback: T): T {
	return text ? (JSON.parse(text) as T) : fallback;
}

