/**
 * Reads the `.env` text line by line to find lines that parse differently than they look, or differently in
 * dotenv (Postlab) and django-environ (the learner's Django). dotenv's own `parse` only returns the final
 * values, so the raw lines are scanned here. The rules follow dotenv 18's LINE pattern and django-environ's
 * `read_env` (`\A(?:export )?([A-Za-z_0-9]+)=(.*)\Z`, quotes stripped, `$VALUE` proxied).
 */
import { problem, type Problem } from './problem.ts';
import { isEmailVariable, SECRET_VARIABLES } from './email-variables.ts';

/** One `KEY=value` line as written. */
export interface EnvLine {
	line: number;
	key: string;
	/** Everything after the separator, untouched. */
	rawValue: string;
}

const KEY_LINE = /^(\s*)(export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)([ \t]*)(=|:)([ \t]*)(.*)$/;

/** Shows a value in a message, unless it is a secret. */
function shown(key: string, value: string): string {
	return SECRET_VARIABLES.has(key) ? '…' : value;
}

function quoteExample(key: string, value: string): string {
	return SECRET_VARIABLES.has(key) ? `${key}='…'` : `${key}='${value}'`;
}

/** Severity for a pitfall: errors for the variables Postlab and Django's email use, warnings for the rest. */
function severityFor(key: string): 'error' | 'warning' {
	return isEmailVariable(key) ? 'error' : 'warning';
}

/** Finds the closing quote of a quoted value, skipping backslash-escaped quotes for `"`. -1 when none. */
function closingQuote(value: string, quote: string): number {
	for (let i = 1; i < value.length; i++) {
		if (quote === '"' && value[i] === '\\') {
			i++;
			continue;
		}
		if (value[i] === quote) return i;
	}
	return -1;
}

export interface EnvScan {
	lines: EnvLine[];
	problems: Problem[];
}

export function scanEnvText(text: string): EnvScan {
	const problems: Problem[] = [];
	const lines: EnvLine[] = [];

	if (text.startsWith('\uFEFF')) {
		problems.push(
			problem(
				'byte-order-mark',
				'.env',
				'error',
				{
					ko: '.env 파일이 BOM(바이트 순서 표시, U+FEFF)으로 시작합니다. dotenv는 무시하지만, Python은 이것을 첫 번째 변수 이름의 일부로 읽어서 Django에서는 첫 줄의 변수가 없는 것처럼 됩니다.',
					en: 'The .env file starts with a byte order mark (U+FEFF). dotenv ignores it, but Python reads it as part of the first variable name, so in Django the first variable seems missing.',
				},
				{
					ko: '편집기에서 "UTF-8"(BOM 없음)으로 다시 저장하세요. (메모장: 다른 이름으로 저장 → 인코딩 UTF-8)',
					en: 'Save the file again as "UTF-8" without BOM (Notepad: Save as → Encoding UTF-8).',
				},
				1,
			),
		);
	}
	if (/\r\n/.test(text)) {
		problems.push(
			problem(
				'crlf-line-endings',
				'.env',
				'warning',
				{
					ko: '.env 파일이 Windows 줄바꿈(CRLF)을 씁니다. dotenv와 django-environ은 문제없이 읽지만, 셸의 `source .env`나 `docker --env-file`은 값 끝에 보이지 않는 \\r을 남깁니다.',
					en: 'The .env file uses Windows line endings (CRLF). dotenv and django-environ read it fine, but a shell `source .env` or `docker --env-file` keeps an invisible \\r at the end of each value.',
				},
				{
					ko: '셸이나 Docker에서도 쓸 파일이라면 편집기에서 줄바꿈을 LF로 바꿔 저장하세요.',
					en: 'If a shell or Docker reads this file too, save it with LF line endings.',
				},
			),
		);
	}

	const seen = new Map<string, number>();
	const rows = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
	for (let index = 0; index < rows.length; index++) {
		const row = rows[index] ?? '';
		const lineNo = index + 1;
		if (row.trim() === '' || row.trim().startsWith('#')) continue;
		const match = KEY_LINE.exec(row);
		if (!match) {
			problems.push(
				problem(
					'unreadable-line',
					'.env',
					'warning',
					{
						ko: `${lineNo}번째 줄은 KEY=value 형식이 아니어서 dotenv도 django-environ도 무시합니다.`,
						en: `Line ${lineNo} is not in KEY=value form, so dotenv and django-environ both skip it.`,
					},
					{
						ko: '변수라면 KEY=value 형식으로 고치고, 설명이라면 줄 앞에 #을 붙이세요.',
						en: 'If it is a variable, write it as KEY=value; if it is a note, start the line with #.',
					},
					lineNo,
				),
			);
			continue;
		}
		const [, indent = '', exportPrefix = '', key = '', beforeSep = '', separator = '=', afterSep = '', rest = ''] = match;
		lines.push({ line: lineNo, key, rawValue: rest });
		const severity = severityFor(key);

		const previous = seen.get(key);
		if (previous !== undefined) {
			problems.push(
				problem(
					'duplicate-key',
					key,
					'warning',
					{
						ko: `${key}가 ${previous}번째 줄과 ${lineNo}번째 줄에 두 번 있습니다. Postlab(dotenv)과 최근 django-environ은 마지막 줄(${lineNo})을 쓰지만, 예전 django-environ은 첫 줄을 씁니다.`,
						en: `${key} is set twice, on lines ${previous} and ${lineNo}. Postlab (dotenv) and recent django-environ use the last one (line ${lineNo}); older django-environ used the first.`,
					},
					{ ko: `${key} 줄을 하나만 남기세요.`, en: `Keep only one ${key} line.` },
					lineNo,
				),
			);
		}
		seen.set(key, lineNo);

		if (separator === ':') {
			problems.push(
				problem(
					'colon-separator',
					key,
					severity,
					{
						ko: `${lineNo}번째 줄은 = 대신 :를 씁니다. dotenv는 읽지만 django-environ은 이 줄을 무시하므로 Django에서는 ${key}가 없습니다.`,
						en: `Line ${lineNo} uses ":" instead of "=". dotenv reads it, but django-environ skips the line, so Django has no ${key}.`,
					},
					{ ko: `${key}=값 형식으로 쓰세요.`, en: `Write it as ${key}=value.` },
					lineNo,
				),
			);
		} else if (indent !== '' || beforeSep !== '' || afterSep !== '') {
			problems.push(
				problem(
					'spaces-around-equals',
					key,
					severity,
					{
						ko: `${lineNo}번째 줄의 = 앞뒤(또는 줄 앞)에 공백이 있습니다. dotenv는 공백을 지우고 읽지만, django-environ은 ${beforeSep !== '' || indent !== '' ? '이 줄을 통째로 무시합니다' : '값 앞의 공백까지 값으로 읽습니다'}. 그래서 Postlab과 Django가 서로 다른 값을 봅니다.`,
						en: `Line ${lineNo} has spaces around "=" (or before the name). dotenv trims them, but django-environ ${beforeSep !== '' || indent !== '' ? 'skips the whole line' : 'keeps the leading spaces as part of the value'}, so Postlab and Django see different values.`,
					},
					{ ko: `공백 없이 ${key}=값 으로 쓰세요.`, en: `Write it without spaces: ${key}=value.` },
					lineNo,
				),
			);
		}

		if (exportPrefix !== '') {
			problems.push(
				problem(
					'export-prefix',
					key,
					'warning',
					{
						ko: `${lineNo}번째 줄이 "export "로 시작합니다. dotenv와 django-environ은 읽지만(django-environ은 공백 한 칸일 때만), docker --env-file 같은 다른 도구는 "export ${key}"를 변수 이름으로 봅니다.`,
						en: `Line ${lineNo} starts with "export ". dotenv and django-environ accept it (django-environ only with exactly one space), but other readers such as docker --env-file take "export ${key}" as the name.`,
					},
					{ ko: '"export "를 지우세요. .env에는 필요하지 않습니다.', en: 'Remove "export "; a .env file does not need it.' },
					lineNo,
				),
			);
		}

		const value = rest;
		const first = value.trimStart()[0];
		if (first === '"' || first === "'" || first === '`') {
			const trimmed = value.trimStart();
			const close = closingQuote(trimmed, first);
			const after = close === -1 ? '' : trimmed.slice(close + 1).trim();
			if (close === -1 || (after !== '' && !after.startsWith('#'))) {
				problems.push(
					problem(
						'mismatched-quotes',
						key,
						severity,
						{
							ko: `${lineNo}번째 줄의 ${key} 값이 ${first}로 시작하지만 같은 따옴표로 끝나지 않습니다. dotenv는 따옴표까지 값의 일부로 읽습니다(예: ${first}로 시작하는 값). Django도 마찬가지입니다.`,
							en: `On line ${lineNo}, the value of ${key} starts with ${first} but does not end with the same quote. dotenv then keeps the quote as part of the value, and so does Django.`,
						},
						{
							ko: `값 전체를 같은 종류의 따옴표로 감싸세요: ${quoteExample(key, 'value')}`,
							en: `Wrap the whole value in one kind of quote: ${quoteExample(key, 'value')}`,
						},
						lineNo,
					),
				);
			}
			if (first === '`') {
				problems.push(
					problem(
						'backtick-quotes',
						key,
						severity,
						{
							ko: `${lineNo}번째 줄은 백틱(\`)으로 값을 감쌌습니다. dotenv는 백틱을 지우지만 django-environ은 백틱까지 값으로 읽습니다.`,
							en: `Line ${lineNo} wraps the value in backticks. dotenv removes them, but django-environ keeps them as part of the value.`,
						},
						{ ko: `작은따옴표를 쓰세요: ${quoteExample(key, 'value')}`, en: `Use single quotes: ${quoteExample(key, 'value')}` },
						lineNo,
					),
				);
			}
			continue;
		}

		const hash = value.indexOf('#');
		if (hash !== -1) {
			const before = value.slice(0, hash);
			// `KEY=value # note` is meant as a comment; `KEY=val#ue` and `KEY=#abc` lose part of the value.
			const isComment = before.trim() !== '' && /\s$/.test(before);
			const kept = before.trim();
			problems.push(
				isComment
					? problem(
							'inline-comment',
							key,
							'warning',
							{
								ko: `${lineNo}번째 줄에서 ${key} 뒤에 따옴표 없는 #이 있습니다. dotenv는 # 뒤를 주석으로 보고 "${shown(key, kept)}"만 읽지만, django-environ은 버전에 따라 # 뒤까지 값으로 읽을 수 있습니다.`,
								en: `On line ${lineNo}, an unquoted # follows ${key}. dotenv treats the rest as a comment and reads "${shown(key, kept)}", but depending on its version django-environ may keep the comment as part of the value.`,
							},
							{
								ko: '주석은 따로 한 줄에 쓰고, 값에 #이 들어 있다면 값을 따옴표로 감싸세요.',
								en: 'Put comments on a line of their own; if the value contains #, wrap it in quotes.',
							},
							lineNo,
						)
					: problem(
							'unquoted-hash',
							key,
							severity,
							{
								ko: `${lineNo}번째 줄의 ${key} 값에 따옴표 없는 #이 있습니다. dotenv는 #부터를 주석으로 보고 값을 잘라 ${SECRET_VARIABLES.has(key) ? `${kept.length}글자만` : `"${kept}"만`} 읽습니다. django-environ은 버전에 따라 다르게 읽습니다.`,
								en: `On line ${lineNo}, the value of ${key} contains an unquoted #. dotenv takes everything from # on as a comment and reads only ${SECRET_VARIABLES.has(key) ? `the first ${kept.length} characters` : `"${kept}"`}. django-environ reads it differently depending on its version.`,
							},
							{
								ko: `값 전체를 작은따옴표로 감싸세요: ${quoteExample(key, value.trim())}`,
								en: `Wrap the whole value in single quotes: ${quoteExample(key, value.trim())}`,
							},
							lineNo,
						),
			);
			continue;
		}

		if (/\S\s+\S/.test(value.trim())) {
			problems.push(
				problem(
					'unquoted-spaces',
					key,
					'warning',
					{
						ko: `${lineNo}번째 줄의 ${key} 값에 따옴표 없이 공백이 들어 있습니다. dotenv와 django-environ은 전체를 읽지만, 셸의 source .env는 첫 공백에서 값을 자릅니다.`,
						en: `On line ${lineNo}, the value of ${key} contains spaces without quotes. dotenv and django-environ read all of it, but a shell's "source .env" cuts it at the first space.`,
					},
					{
						ko: `값을 작은따옴표로 감싸세요: ${quoteExample(key, value.trim())}`,
						en: `Wrap the value in single quotes: ${quoteExample(key, value.trim())}`,
					},
					lineNo,
				),
			);
		}
		if (/[ \t]+$/.test(value) && value.trim() !== '') {
			problems.push(
				problem(
					'trailing-spaces',
					key,
					severity,
					{
						ko: `${lineNo}번째 줄의 ${key} 값 끝에 보이지 않는 공백이 있습니다. dotenv는 지우지만 django-environ은 공백까지 값으로 읽어서, Django에서는 값이 달라집니다.`,
						en: `On line ${lineNo}, the value of ${key} ends with invisible spaces. dotenv trims them, but django-environ keeps them, so Django gets a different value.`,
					},
					{ ko: '줄 끝의 공백을 지우세요.', en: 'Delete the spaces at the end of the line.' },
					lineNo,
				),
			);
		}
	}
	return { lines, problems };
}
