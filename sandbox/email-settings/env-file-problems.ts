/**
 * The `.env` analysis (sandbox/env-file/, the one the .env playground runs) told as settings problems for
 * `npm run mail:check` and the start-up check: one problem per pitfall about how a line is read, in Korean and
 * English, never quoting a secret. A pitfall is an error here only when it hits a variable Postlab or Django's
 * email uses; elsewhere it cannot stop mail from being sent, so it is a warning.
 */
import { analyzeEnv, type EnvLineReport, type EnvReport, type Pitfall } from '../env-file/analyze-env.ts';
import { VALUE_PITFALLS, type SyntaxPitfallCode } from '../env-file/env-rules.ts';
import { isEmailVariable, SECRET_VARIABLES } from './email-variables.ts';
import { problem, type Bilingual, type Problem } from './problem.ts';

/** One pitfall on one line, with what its message may show. */
interface Found {
	/** 1-based, as editors count. */
	lineNo: number;
	key: string;
	params: Record<string, string>;
	/** The line's value as dotenv reads it, or '…' for a secret. */
	shownValue: string;
}

interface Texts {
	message: (f: Found) => Bilingual;
	fix: (f: Found) => Bilingual;
}

const quoteExample = (f: Found, value = f.shownValue): string => `${f.key}='${value}'`;

const TEXTS: Record<SyntaxPitfallCode, Texts> = {
	crlfLineEndings: {
		message: () => ({
			ko: '.env 파일이 Windows 줄바꿈(CRLF)을 씁니다. dotenv와 django-environ은 문제없이 읽지만, 셸의 `source .env`나 `docker --env-file`은 값 끝에 보이지 않는 \\r을 남깁니다.',
			en: 'The .env file uses Windows line endings (CRLF). dotenv and django-environ read it fine, but a shell `source .env` or `docker --env-file` keeps an invisible \\r at the end of each value.',
		}),
		fix: () => ({ ko: '셸이나 Docker에서도 쓸 파일이라면 편집기에서 줄바꿈을 LF로 바꿔 저장하세요.', en: 'If a shell or Docker reads this file too, save it with LF line endings.' }),
	},
	bom: {
		message: () => ({
			ko: '.env 파일이 BOM(바이트 순서 표시, U+FEFF)으로 시작합니다. dotenv는 무시하지만, Python은 이것을 첫 번째 변수 이름의 일부로 읽어서 Django에서는 첫 줄의 변수가 없는 것처럼 됩니다.',
			en: 'The .env file starts with a byte order mark (U+FEFF). dotenv ignores it, but Python reads it as part of the first variable name, so in Django the first variable seems missing.',
		}),
		fix: () => ({
			ko: '편집기에서 "UTF-8"(BOM 없음)으로 다시 저장하세요. (메모장: 다른 이름으로 저장 → 인코딩 UTF-8)',
			en: 'Save the file again as "UTF-8" without BOM (Notepad: Save as → Encoding UTF-8).',
		}),
	},
	oddLineBreak: {
		message: (f) => ({
			ko: `${f.lineNo}번째 줄에 Python이 줄바꿈으로 보는 문자(U+2028 등)가 있어서, django-environ은 이 줄을 거기서 나눠 읽습니다.`,
			en: `Line ${f.lineNo} holds a character Python treats as a line break (such as U+2028), so django-environ splits the line there.`,
		}),
		fix: () => ({ ko: '이 줄을 지우고 다시 입력하세요.', en: 'Delete the line and type it again.' }),
	},
	leadingBlank: {
		message: (f) => ({
			ko: `${f.lineNo}번째 줄은 ${f.key} 앞에 공백이 있습니다. dotenv는 읽지만 django-environ은 이 줄을 통째로 무시하므로 Django에서는 ${f.key}가 없습니다.`,
			en: `Line ${f.lineNo} has blanks before ${f.key}. dotenv reads it, but django-environ skips the whole line, so Django has no ${f.key}.`,
		}),
		fix: (f) => ({ ko: `줄 앞의 공백을 지우고 ${f.key}=값 으로 쓰세요.`, en: `Remove the blanks in front: ${f.key}=value.` }),
	},
	exportSpacing: {
		message: (f) => ({
			ko: `${f.lineNo}번째 줄은 export 뒤에 공백이 한 칸보다 많습니다. django-environ은 "export " 한 칸만 받으므로 이 줄을 무시합니다.`,
			en: `Line ${f.lineNo} has more than one blank after export. django-environ accepts "export " with exactly one space, so it skips the line.`,
		}),
		fix: (f) => ({ ko: `"export "를 지우고 ${f.key}=값 으로 쓰세요.`, en: `Drop "export " and write ${f.key}=value.` }),
	},
	keyChars: {
		message: (f) => ({
			ko: `${f.lineNo}번째 줄의 변수 이름 ${f.key}에 - 나 . 이 있습니다. dotenv는 읽지만 django-environ은 영문자, 숫자, _만 받으므로 이 줄을 무시합니다.`,
			en: `The name ${f.key} on line ${f.lineNo} has a "-" or ".". dotenv reads it, but django-environ takes only letters, digits and "_", so it skips the line.`,
		}),
		fix: () => ({ ko: '- 나 . 대신 _를 쓰세요.', en: 'Use "_" instead of "-" or ".".' }),
	},
	spaceAroundEquals: {
		message: (f) => {
			const skips = f.params['blank'] === 'before';
			return {
				ko: `${f.lineNo}번째 줄의 = 앞뒤에 공백이 있습니다. dotenv는 공백을 지우고 읽지만, django-environ은 ${skips ? '이 줄을 통째로 무시합니다' : '값 앞의 공백까지 값으로 읽습니다'}. 그래서 Postlab과 Django가 서로 다른 값을 봅니다.`,
				en: `Line ${f.lineNo} has spaces around "=". dotenv trims them, but django-environ ${skips ? 'skips the whole line' : 'keeps the leading spaces as part of the value'}, so Postlab and Django see different values.`,
			};
		},
		fix: (f) => ({ ko: `공백 없이 ${f.key}=값 으로 쓰세요.`, en: `Write it without spaces: ${f.key}=value.` }),
	},
	colonSyntax: {
		message: (f) => ({
			ko: `${f.lineNo}번째 줄은 = 대신 :를 씁니다. dotenv는 읽지만 django-environ은 이 줄을 무시하므로 Django에서는 ${f.key}가 없습니다.`,
			en: `Line ${f.lineNo} uses ":" instead of "=". dotenv reads it, but django-environ skips the line, so Django has no ${f.key}.`,
		}),
		fix: (f) => ({ ko: `${f.key}=값 형식으로 쓰세요.`, en: `Write it as ${f.key}=value.` }),
	},
	djangoSkips: {
		message: (f) => ({
			ko: `${f.lineNo}번째 줄의 ${f.key}는 dotenv만 읽고 django-environ은 무시합니다. django-environ은 줄 맨 앞에서 시작하는 KEY=value만 받습니다.`,
			en: `Only dotenv reads ${f.key} on line ${f.lineNo}; django-environ skips it, as it takes only KEY=value at the very start of a line.`,
		}),
		fix: (f) => ({ ko: `${f.key}=값 형식으로 쓰세요.`, en: `Write it as ${f.key}=value.` }),
	},
	dotenvSkips: {
		message: (f) => ({
			ko: `${f.lineNo}번째 줄의 ${f.key}는 django-environ만 읽고 dotenv(Postlab)는 무시합니다.`,
			en: `Only django-environ reads ${f.key} on line ${f.lineNo}; dotenv (Postlab) skips it.`,
		}),
		fix: (f) => ({ ko: `${f.key}=값 형식으로, 값에 따옴표가 있다면 같은 따옴표로 닫아 쓰세요.`, en: `Write it as ${f.key}=value, closing any quote with the same kind.` }),
	},
	notAnAssignment: {
		message: (f) => ({
			ko: `${f.lineNo}번째 줄은 KEY=value 형식이 아니어서 dotenv도 django-environ도 무시합니다.`,
			en: `Line ${f.lineNo} is not in KEY=value form, so dotenv and django-environ both skip it.`,
		}),
		fix: () => ({ ko: '변수라면 KEY=value 형식으로 고치고, 설명이라면 줄 앞에 #을 붙이세요.', en: 'If it is a variable, write it as KEY=value; if it is a note, start the line with #.' }),
	},
	unquotedHash: {
		message: (f) => {
			const secret = SECRET_VARIABLES.has(f.key);
			const kept = f.params['dotenvValue'] ?? '';
			return {
				ko: `${f.lineNo}번째 줄의 ${f.key} 값에 따옴표 없는 #이 있습니다. dotenv는 #부터를 주석으로 보고 ${secret ? `${kept.length}글자만` : `"${kept}"만`} 읽지만, django-environ 0.12는 #과 그 뒤까지 값으로 읽습니다.`,
				en: `On line ${f.lineNo}, the value of ${f.key} holds an unquoted #. dotenv takes everything from # on as a comment and reads only ${secret ? `the first ${kept.length} characters` : `"${kept}"`}, but django-environ 0.12 keeps the # and what follows.`,
			};
		},
		fix: () => ({
			ko: '주석은 따로 한 줄에 쓰고, 값에 #이 들어 있다면 값 전체를 작은따옴표로 감싸세요.',
			en: 'Put comments on a line of their own; if the value contains #, wrap the whole value in single quotes.',
		}),
	},
	trailingBlank: {
		message: (f) => ({
			ko: `${f.lineNo}번째 줄의 ${f.key} 값 끝에 보이지 않는 공백이 있습니다. dotenv는 지우지만 django-environ은 공백까지 값으로 읽어서, Django에서는 값이 달라집니다.`,
			en: `On line ${f.lineNo}, the value of ${f.key} ends with invisible spaces. dotenv trims them, but django-environ keeps them, so Django gets a different value.`,
		}),
		fix: () => ({ ko: '줄 끝의 공백을 지우세요.', en: 'Delete the spaces at the end of the line.' }),
	},
	unquotedSpace: {
		message: (f) => ({
			ko: `${f.lineNo}번째 줄의 ${f.key} 값에 따옴표 없이 공백이 들어 있습니다. dotenv와 django-environ은 전체를 읽지만, 셸의 source .env는 첫 공백에서 값을 자릅니다.`,
			en: `On line ${f.lineNo}, the value of ${f.key} contains spaces without quotes. dotenv and django-environ read all of it, but a shell's "source .env" cuts it at the first space.`,
		}),
		fix: (f) => ({ ko: `값을 작은따옴표로 감싸세요: ${quoteExample(f)}`, en: `Wrap the value in single quotes: ${quoteExample(f)}` }),
	},
	quotedThenComment: {
		message: (f) => ({
			ko: `${f.lineNo}번째 줄은 따옴표로 감싼 ${f.key} 값 뒤에 주석이 있습니다. dotenv는 주석과 따옴표를 지우지만, django-environ 0.12는 따옴표가 줄 끝까지 감쌀 때만 지우므로 따옴표와 주석까지 값으로 읽습니다.`,
			en: `On line ${f.lineNo}, a comment follows the quoted value of ${f.key}. dotenv drops the comment and the quotes, but django-environ 0.12 removes quotes only when they enclose the rest of the line, so it keeps quotes and comment.`,
		}),
		fix: () => ({ ko: '주석을 따로 한 줄에 쓰세요.', en: 'Move the comment to a line of its own.' }),
	},
	unterminatedQuote: {
		message: (f) => {
			const quote = f.params['quote'] ?? '"';
			return {
				ko: `${f.lineNo}번째 줄의 ${f.key} 값이 ${quote}로 시작하지만 같은 따옴표로 끝나지 않습니다. dotenv와 django-environ 모두 따옴표까지 값의 일부로 읽습니다.`,
				en: `On line ${f.lineNo}, the value of ${f.key} starts with ${quote} but does not end with the same quote, so dotenv and django-environ both keep the quote as part of the value.`,
			};
		},
		fix: (f) => ({ ko: `값 전체를 같은 종류의 따옴표로 감싸세요: ${quoteExample(f, SECRET_VARIABLES.has(f.key) ? '…' : 'value')}`, en: `Wrap the whole value in one kind of quote: ${quoteExample(f, SECRET_VARIABLES.has(f.key) ? '…' : 'value')}` }),
	},
	multilineValue: {
		message: (f) => ({
			ko: `${f.params['line'] ?? f.lineNo}번째 줄에서 시작한 ${f.key}의 따옴표 값이 여러 줄에 걸쳐 있습니다. dotenv는 다음 줄까지 이어 읽지만, django-environ은 한 줄씩 읽어서 값이 잘리고 다음 줄을 따로 읽습니다.`,
			en: `The quoted value of ${f.key} that starts on line ${f.params['line'] ?? f.lineNo} spans several lines. dotenv reads on to the closing quote, but django-environ reads one line at a time: it gets a broken value and reads the next lines on their own.`,
		}),
		fix: () => ({ ko: '값을 한 줄에 쓰세요. 줄바꿈이 필요하면 settings.py에서 처리하세요.', en: 'Keep the value on one line; if it needs line breaks, add them in settings.py.' }),
	},
	escapeInDoubleQuotes: {
		message: (f) => ({
			ko: `${f.lineNo}번째 줄의 ${f.key} 값은 큰따옴표 안에 \\n이나 \\r이 있습니다. dotenv는 진짜 줄바꿈으로 바꾸지만, django-environ은 역슬래시와 글자 두 개로 그대로 둡니다.`,
			en: `On line ${f.lineNo}, the double-quoted value of ${f.key} holds \\n or \\r. dotenv turns it into a real line break; django-environ keeps the backslash and the letter.`,
		}),
		fix: () => ({ ko: '작은따옴표를 쓰거나 \\n을 빼세요.', en: 'Use single quotes, or leave the \\n out.' }),
	},
	backticks: {
		message: (f) => ({
			ko: `${f.lineNo}번째 줄은 백틱(\`)으로 값을 감쌌습니다. dotenv는 백틱을 지우지만 django-environ은 백틱까지 값으로 읽습니다.`,
			en: `Line ${f.lineNo} wraps the value in backticks. dotenv removes them, but django-environ keeps them as part of the value.`,
		}),
		fix: (f) => ({ ko: `작은따옴표를 쓰세요: ${quoteExample(f, SECRET_VARIABLES.has(f.key) ? '…' : 'value')}`, en: `Use single quotes: ${quoteExample(f, SECRET_VARIABLES.has(f.key) ? '…' : 'value')}` }),
	},
	duplicateKey: {
		message: (f) => ({
			ko: `${f.key}가 ${f.lineNo}번째 줄과 ${f.params['line']}번째 줄에 두 번 있습니다. Postlab(dotenv)과 최근 django-environ은 마지막 줄(${f.params['line']})을 쓰지만, 예전 django-environ은 첫 줄을 씁니다.`,
			en: `${f.key} is set twice, on lines ${f.lineNo} and ${f.params['line']}. Postlab (dotenv) and recent django-environ use the last one (line ${f.params['line']}); older django-environ used the first.`,
		}),
		fix: (f) => ({ ko: `${f.key} 줄을 하나만 남기세요.`, en: `Keep only one ${f.key} line.` }),
	},
};

const VALUE_PITFALL_CODES: ReadonlySet<string> = new Set(VALUE_PITFALLS);

function isSyntaxPitfall(pitfall: Pitfall): pitfall is Pitfall & { code: SyntaxPitfallCode } {
	return !VALUE_PITFALL_CODES.has(pitfall.code);
}

/** The problem for one pitfall of one line. */
function toProblem(line: EnvLineReport, pitfall: Pitfall & { code: SyntaxPitfallCode }): Problem {
	const key = line.key ?? '';
	const shownValue = SECRET_VARIABLES.has(key) ? '…' : line.dotenv.state === 'value' ? line.dotenv.value : '';
	const found: Found = { lineNo: line.line + 1, key, params: pitfall.params, shownValue };
	const texts = TEXTS[pitfall.code];
	const wholeFile = pitfall.code === 'crlfLineEndings' || pitfall.code === 'bom' || key === '';
	const severity = pitfall.severity === 'error' && isEmailVariable(key) ? 'error' : 'warning';
	return problem(pitfall.code, wholeFile ? '.env' : key, severity, texts.message(found), texts.fix(found), found.lineNo);
}

/** The `.env` text's problems with how its lines are read, in line order. */
export function envFileProblems(report: EnvReport): Problem[] {
	return report.lines.flatMap((line) => line.pitfalls.filter(isSyntaxPitfall).map((pitfall) => toProblem(line, pitfall)));
}

/** Analyses `.env` text for the settings loader: the problems, and the line each key was last set on (1-based). */
export function scanEnvFile(text: string): { problems: Problem[]; lastLineOf: Map<string, number> } {
	const report = analyzeEnv(text, { requiredKeys: [] });
	const lastLineOf = new Map<string, number>();
	for (const line of report.lines) if (line.dotenv.state === 'value') lastLineOf.set(line.dotenv.key, line.line + 1);
	return { problems: envFileProblems(report), lastLineOf };
}
