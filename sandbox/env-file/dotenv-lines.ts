/**
 * What Node's `dotenv` (v18) reads from a `.env` text, with the line each key came from. Runs in the
 * browser, so the learner's text never leaves the page.
 *
 * Why not import `dotenv` itself: its one bundle (`dist/index.cjs`) requires `fs`, `path`, `os` and
 * `url` when it loads and destructures `url` at once, which Vite can only stub for the browser with
 * warnings; and its `parse()` returns a plain object, so it cannot tell which line a key came from.
 * This module follows the rules of dotenv's default parser (not the opt-in `fast` scanner) and adds
 * positions. `dotenv-lines.test.ts` runs the real `dotenv.parse` in Node against this module over a
 * table of tricky inputs and a few thousand generated ones; any behaviour change in a dotenv update
 * fails there first.
 *
 * dotenv's rules, as its default parser applies them:
 * - `\r\n` and a lone `\r` become `\n` first.
 * - One multi-line regular expression, matched at line starts: optional blanks (which may be whole
 *   blank lines), optional `export `, a key of `[\w.-]`, then `=` (blanks allowed on both sides) or
 *   `:` followed by a blank; then a value that is either quoted with `'`, `"` or `` ` `` (and may span
 *   lines, up to the next matching quote) or unquoted (up to `#` or the end of the line); then an
 *   optional `# comment`.
 * - The value is trimmed; one pair of surrounding quotes is removed; in a value that began with `"`,
 *   the two-character sequences `\n` and `\r` become a newline and a carriage return.
 * - A later assignment of the same key wins.
 */

/** dotenv 18's line rule (default parser), with named groups; `d` gives the key's position. */
const LINE =
	/(?:^|^)\s*(?:export\s+)?(?<key>[\w.-]+)(?:\s*=\s*?|:\s+?)(?<raw>\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;
/** One pair of matching surrounding quotes (dotenv applies it with the `m` flag, so do we). */
const SURROUNDING_QUOTES = /^(['"`])([\s\S]*)\1$/gm;

export interface DotenvEntry {
	key: string;
	value: string;
	/** 0-based line (after line-break normalisation) where the key stands. */
	line: number;
	/** 0-based line where the matched text ends; larger than `line` for a value spanning lines. */
	endLine: number;
	/** How the value was written: the first character after trimming decides. */
	quote: "'" | '"' | '`' | null;
}

/** The text as dotenv sees it: every `\r\n` or lone `\r` turned into `\n`. */
export function normaliseLineBreaks(text: string): string {
	return text.replace(/\r\n?/g, '\n');
}

/** Every assignment dotenv reads, in order, duplicates included. */
export function dotenvEntries(text: string): DotenvEntry[] {
	const source = normaliseLineBreaks(text);
	const lineStarts = lineStartOffsets(source);
	const entries: DotenvEntry[] = [];
	const pattern = new RegExp(LINE.source, LINE.flags);
	for (let match = pattern.exec(source); match !== null; match = pattern.exec(source)) {
		const key = match.groups?.['key'] ?? '';
		const keyAt = match.indices?.groups?.['key']?.[0] ?? match.index;
		let value = (match.groups?.['raw'] ?? '').trim();
		const first = value[0];
		value = value.replace(SURROUNDING_QUOTES, '$2');
		if (first === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
		// The match may end right after a line break it consumed as trailing blanks; that line
		// break belongs to the line before it.
		const matched = match[0].replace(/\n+$/, '');
		entries.push({
			key,
			value,
			line: lineOf(lineStarts, keyAt),
			endLine: lineOf(lineStarts, match.index + matched.length),
			quote: first === "'" || first === '"' || first === '`' ? first : null,
		});
		// An empty match would loop for ever; dotenv's cannot be empty (a key is required).
		if (match[0].length === 0) pattern.lastIndex += 1;
	}
	return entries;
}

/** The key → value map `dotenv.parse` returns for the same text. */
export function dotenvParse(text: string): Record<string, string> {
	const parsed: Record<string, string> = {};
	for (const entry of dotenvEntries(text)) parsed[entry.key] = entry.value;
	return parsed;
}

function lineStartOffsets(source: string): number[] {
	const starts = [0];
	for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
	return starts;
}

/** The 0-based line holding `offset`, by binary search over the line starts. */
function lineOf(starts: readonly number[], offset: number): number {
	let low = 0;
	let high = starts.length - 1;
	while (low < high) {
		const mid = (low + high + 1) >> 1;
		if ((starts[mid] ?? 0) <= offset) low = mid;
		else high = mid - 1;
	}
	return low;
}
