/**
 * The `.env` analysis (sandbox/env-file/, the one the .env playground runs) told as settings problems for
 * `npm run mail:check` and the start-up check: one problem per pitfall about how a line is read, in Korean and
 * English, never quoting a secret. A pitfall is an error here only when it hits a variable Postlab or Django's
 * email uses; elsewhere it cannot stop mail from being sent, so it is a warning.
 */
import { analyzeEnv, type EnvLineReport, type EnvReport, type Pitfall } from '../../env-file/analyze-env.ts';
import { VALUE_PITFALLS, type SyntaxPitfallCode } from '../../env-file/env-rules.ts';
import { isEmailVariable, SECRET_VARIABLES } from './email-variables.ts';
import { problem, type Bilingual, type Problem } from './problem.ts';
import { bilingual } from '../../i18n/messages.ts';

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
		message: () => bilingual('envFile.crlfLineEndings.message'),
		fix: () => bilingual('envFile.crlfLineEndings.fix'),
	},
	bom: {
		message: () => bilingual('envFile.bom.message'),
		fix: () => bilingual('envFile.bom.fix'),
	},
	oddLineBreak: {
		message: (f) => bilingual('envFile.oddLineBreak.message', { lineNo: f.lineNo }),
		fix: () => bilingual('envFile.oddLineBreak.fix'),
	},
	leadingBlank: {
		message: (f) => bilingual('envFile.leadingBlank.message', { key: f.key, lineNo: f.lineNo }),
		fix: (f) => bilingual('envFile.leadingBlank.fix', { key: f.key }),
	},
	exportSpacing: {
		message: (f) => bilingual('envFile.exportSpacing.message', { lineNo: f.lineNo }),
		fix: (f) => bilingual('envFile.exportSpacing.fix', { key: f.key }),
	},
	keyChars: {
		message: (f) => bilingual('envFile.keyChars.message', { key: f.key, lineNo: f.lineNo }),
		fix: () => bilingual('envFile.keyChars.fix'),
	},
	spaceAroundEquals: {
		message: (f) =>
			bilingual(f.params['blank'] === 'before' ? 'envFile.spaceAroundEquals.messageSkips' : 'envFile.spaceAroundEquals.messageKeeps', { lineNo: f.lineNo }),
		fix: (f) => bilingual('envFile.spaceAroundEquals.fix', { key: f.key }),
	},
	colonSyntax: {
		message: (f) => bilingual('envFile.colonSyntax.message', { key: f.key, lineNo: f.lineNo }),
		fix: (f) => bilingual('envFile.colonSyntax.fix', { key: f.key }),
	},
	djangoSkips: {
		message: (f) => bilingual('envFile.djangoSkips.message', { key: f.key, lineNo: f.lineNo }),
		fix: (f) => bilingual('envFile.djangoSkips.fix', { key: f.key }),
	},
	dotenvSkips: {
		message: (f) => bilingual('envFile.dotenvSkips.message', { key: f.key, lineNo: f.lineNo }),
		fix: (f) => bilingual('envFile.dotenvSkips.fix', { key: f.key }),
	},
	notAnAssignment: {
		message: (f) => bilingual('envFile.notAnAssignment.message', { lineNo: f.lineNo }),
		fix: () => bilingual('envFile.notAnAssignment.fix'),
	},
	unquotedHash: {
		message: (f) => {
			const kept = f.params['dotenvValue'] ?? '';
			const params = { lineNo: f.lineNo, key: f.key, kept, length: kept.length };
			return bilingual(SECRET_VARIABLES.has(f.key) ? 'envFile.unquotedHash.messageSecret' : 'envFile.unquotedHash.message', params);
		},
		fix: () => bilingual('envFile.unquotedHash.fix'),
	},
	trailingBlank: {
		message: (f) => bilingual('envFile.trailingBlank.message', { key: f.key, lineNo: f.lineNo }),
		fix: () => bilingual('envFile.trailingBlank.fix'),
	},
	unquotedSpace: {
		message: (f) => bilingual('envFile.unquotedSpace.message', { key: f.key, lineNo: f.lineNo }),
		fix: (f) => bilingual('envFile.unquotedSpace.fix', { example: quoteExample(f) }),
	},
	quotedThenComment: {
		message: (f) => bilingual('envFile.quotedThenComment.message', { key: f.key, lineNo: f.lineNo }),
		fix: () => bilingual('envFile.quotedThenComment.fix'),
	},
	unterminatedQuote: {
		message: (f) => {
			const quote = f.params['quote'] ?? '"';
			return bilingual('envFile.unterminatedQuote.message', { key: f.key, lineNo: f.lineNo, quote });
		},
		fix: (f) => bilingual('envFile.unterminatedQuote.fix', { example: quoteExample(f, SECRET_VARIABLES.has(f.key) ? '…' : 'value') }),
	},
	multilineValue: {
		message: (f) => bilingual('envFile.multilineValue.message', { key: f.key, line: f.params['line'] ?? f.lineNo }),
		fix: () => bilingual('envFile.multilineValue.fix'),
	},
	escapeInDoubleQuotes: {
		message: (f) => bilingual('envFile.escapeInDoubleQuotes.message', { key: f.key, lineNo: f.lineNo }),
		fix: () => bilingual('envFile.escapeInDoubleQuotes.fix'),
	},
	backticks: {
		message: (f) => bilingual('envFile.backticks.message', { lineNo: f.lineNo }),
		fix: (f) => bilingual('envFile.backticks.fix', { example: quoteExample(f, SECRET_VARIABLES.has(f.key) ? '…' : 'value') }),
	},
	duplicateKey: {
		message: (f) => bilingual('envFile.duplicateKey.message', { key: f.key, line: f.params['line'] ?? '', lineNo: f.lineNo }),
		fix: (f) => bilingual('envFile.duplicateKey.fix', { key: f.key }),
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
