/**
 * Reads the <Quiz> blocks of the lesson sources (content/lessons/{ko,en}/*.mdx) as data, for the tests
 * that check how quizzes are built. It understands the one shape the lessons use: an `id="…"` prop, an
 * optional `multiple` prop, and `options={[ { text: '…', correct: true|false, feedback: '…' }, … ]}` with
 * single-quoted strings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface QuizOptionSource {
	text: string;
	correct: boolean;
}

export interface QuizSource {
	lang: string;
	lesson: string;
	id: string;
	multiple: boolean;
	options: QuizOptionSource[];
}

const ROOT = new URL('../../content/lessons/', import.meta.url).pathname;
const QUIZ_BLOCK = /<Quiz\b([\s\S]*?)\/>/g;
const OPTION = /\{\s*text:\s*'((?:[^'\\]|\\.)*)',\s*correct:\s*(true|false)\s*,/g;

/** The option's text as a learner sees it: JS escapes undone, code backticks gone. */
export function visibleText(source: string): string {
	return source.replace(/\\(.)/g, '$1').replaceAll('`', '');
}

export function readQuizzes(lang: string): QuizSource[] {
	const quizzes: QuizSource[] = [];
	for (const name of readdirSync(join(ROOT, lang)).filter((file) => file.endsWith('.mdx'))) {
		const source = readFileSync(join(ROOT, lang, name), 'utf8');
		for (const [, props = ''] of source.matchAll(QUIZ_BLOCK)) {
			const id = /\bid="([^"]+)"/.exec(props)?.[1];
			if (!id) throw new Error(`${lang}/${name}: a <Quiz> without an id`);
			const options = [...props.matchAll(OPTION)].map(([, text = '', correct]) => ({ text: visibleText(text), correct: correct === 'true' }));
			if (options.length < 2) throw new Error(`${lang}/${name}: quiz ${id} has fewer than two readable options`);
			quizzes.push({ lang, lesson: name.replace(/\.mdx$/, ''), id, multiple: /^\s*multiple\s*$/m.test(props), options });
		}
	}
	return quizzes;
}
