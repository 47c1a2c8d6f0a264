/**
 * Table tests for the IMAP command parser: one row per input (the command as the session hands it over,
 * literals included as `{n}\r\n` + n bytes) and the parse or the error expected. Rows follow the formal
 * syntax of RFC 9051 §9 (RFC 3501 §9 agrees for these productions, but for UTF-8 in quoted strings, which
 * IMAP4rev2 allows); where the parser is lenient on purpose the row says why. In the spirit of go-imap's
 * parser tests: inputs in every position a literal may take, and the malformed neighbours of each.
 */
import { describe, expect, it } from 'vitest';
import { announcedLiteral, ImapSyntaxError, parseCommand, parseCommandTag, tokenText, type ImapCommand, type ImapToken } from './imap-command-parser.ts';
import { parseFetchItems, type FetchItem } from './imap-fetch.ts';
import { compileSearch } from './imap-search.ts';
import { parseSequenceSet, resolveRanges } from './sequence-set.ts';

const atom = (value: string): ImapToken => ({ type: 'atom', value });
const quoted = (value: string): ImapToken => ({ type: 'string', value, literal: false });
const literal = (value: string): ImapToken => ({ type: 'string', value, literal: true });
const list = (...items: ImapToken[]): ImapToken => ({ type: 'list', items });
/** Text as it arrives on the wire: UTF-8 bytes held one per character (latin1), as the session reads them. */
const wire = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

/** One input and what parseCommand must make of it: a command, or an ImapSyntaxError whose message matches. */
type Row = { why: string; input: string } & ({ parsed: ImapCommand } | { error: RegExp });

const ok = (why: string, input: string, name: string, args: ImapToken[], tag = 'a'): Row => ({ why, input, parsed: { tag, name, args } });
const bad = (why: string, input: string, error: RegExp): Row => ({ why, input, error });

const TAGS: Row[] = [
	ok('a plain tag', 'a1 NOOP', 'NOOP', [], 'a1'),
	ok('tags may hold punctuation that is not special', 'A.0-1_x NOOP', 'NOOP', [], 'A.0-1_x'),
	ok('"]" is an ASTRING-CHAR, so a tag may hold it', 'a]1 NOOP', 'NOOP', [], 'a]1'),
	bad('an empty line has no tag', '', /tag/),
	bad('a leading space leaves the tag empty', ' a NOOP', /tag/),
	bad('a tag alone is no command', 'a1', /Missing command/),
	bad('"+" is the one ASTRING-CHAR a tag may not hold (at the start)', '+a NOOP', /tag/),
	bad('"+" is the one ASTRING-CHAR a tag may not hold (inside)', 'a+1 NOOP', /tag/),
	bad('"*" is a list-wildcard, not a tag (it marks untagged answers)', '* NOOP', /tag/),
	bad('"%" in a tag', 'a% NOOP', /tag/),
	bad('"(" in a tag', 'a( NOOP', /tag/),
	bad('"{" in a tag', 'a{ NOOP', /tag/),
	bad('a quote in a tag', 'a" NOOP', /tag/),
	bad('a backslash in a tag', 'a\\ NOOP', /tag/),
	bad('a control character in a tag', 'a\x01 NOOP', /tag/),
	bad('DEL in a tag', 'a\x7f NOOP', /tag/),
	bad('a tab after the tag', 'a\tNOOP', /tag/),
	bad('8-bit bytes in a tag (tags are 7-bit CHARs)', `${wire('태그')} NOOP`, /tag/),
	bad('a literal cannot be a tag', '{4}\r\nabcd NOOP', /tag/),
];

const NAMES: Row[] = [
	ok('command names are case-insensitive', 'a noop', 'NOOP', []),
	ok('mixed case', 'a CaPaBiLiTy', 'CAPABILITY', []),
	ok('UID keeps its command, both upper-cased', 'a uid fetch 1:* FLAGS', 'UID FETCH', [atom('1:*'), atom('FLAGS')]),
	ok('UID SEARCH in mixed case', 'a Uid Search all', 'UID SEARCH', [atom('all')]),
	ok('UID EXPUNGE with a set', 'a UID EXPUNGE 3:5', 'UID EXPUNGE', [atom('3:5')]),
	ok('UID STORE', 'a UID STORE 1:* -FLAGS.SILENT (\\Deleted)', 'UID STORE', [atom('1:*'), atom('-FLAGS.SILENT'), list(atom('\\Deleted'))]),
	ok('UID COPY with a quoted mailbox', 'a UID COPY 4,7:9 "Archive"', 'UID COPY', [atom('4,7:9'), quoted('Archive')]),
	ok('UID MOVE with a literal mailbox', 'a UID MOVE *:3 {7}\r\nArchive', 'UID MOVE', [atom('*:3'), literal('Archive')]),
	ok('an unknown command still parses (the session answers it)', 'a XFROB 1 (2)', 'XFROB', [atom('1'), list(atom('2'))]),
	bad('UID alone', 'a UID', /UID needs a command/),
	bad('UID followed by a list', 'a UID (FETCH)', /UID needs a command/),
	bad('UID followed by a string', 'a UID "FETCH"', /UID needs a command/),
	bad('a quoted command name', 'a "NOOP"', /Missing command/),
	bad('a command name in a list', 'a (NOOP)', /Missing command/),
	bad('a literal as the command name', 'a {4}\r\nNOOP', /Missing command/),
];

const SPACES: Row[] = [
	// Tolerated: the extra spaces are unambiguous, and learners type commands by hand in the console.
	ok('a trailing space is tolerated', 'a NOOP ', 'NOOP', []),
	ok('two spaces after the tag are tolerated', 'a  NOOP', 'NOOP', []),
	ok('runs of spaces between arguments are tolerated', 'a LOGIN  user   pass  ', 'LOGIN', [atom('user'), atom('pass')]),
	bad('the line ending is not part of the command (the session strips it)', 'a NOOP\r\n', /control character/),
	bad('a tab is a CTL, not a separator', 'a NOOP\t', /control character/),
	bad('a tab between arguments', 'a LOGIN user\tpass', /control character/),
	bad('two quoted strings need a space between them', 'a LOGIN "u""p"', /space/),
	bad('a literal needs a space before the next argument', 'a LOGIN {1}\r\nuv', /space/),
	bad('an atom needs a space before a list', 'a FETCH 1(FLAGS)', /space/),
	bad('two lists need a space between them', 'a STATUS INBOX (MESSAGES)(UIDNEXT)', /space/),
	bad('a quoted string glued to an atom', 'a LOGIN u"p"', /Unexpected character/),
];

const ATOMS: Row[] = [
	ok('an atom argument', 'a SELECT INBOX', 'SELECT', [atom('INBOX')]),
	ok('flags keep their backslash', 'a STORE 1 +FLAGS (\\Seen \\Deleted $Junk)', 'STORE', [atom('1'), atom('+FLAGS'), list(atom('\\Seen'), atom('\\Deleted'), atom('$Junk'))]),
	ok('list wildcards are atoms here (LIST reads them)', 'a LIST "" *', 'LIST', [quoted(''), atom('*')]),
	ok('"%" wildcard', 'a LSUB "" %', 'LSUB', [quoted(''), atom('%')]),
	ok('"]" may stand in an astring', 'a SELECT in]box', 'SELECT', [atom('in]box')]),
	ok('NIL is an atom; as an astring it is the text "NIL"', 'a LOGIN NIL nil', 'LOGIN', [atom('NIL'), atom('nil')]),
	ok('"NIL" quoted is a string', 'a LOGIN "NIL" NIL', 'LOGIN', [quoted('NIL'), atom('NIL')]),
	ok('ID NIL', 'a ID NIL', 'ID', [atom('NIL')]),
	ok('ID with a parameter list', 'a ID ("name" "mutt" "version" NIL)', 'ID', [list(quoted('name'), quoted('mutt'), quoted('version'), atom('NIL'))]),
	bad('"{" inside an atom', 'a SELECT in{box', /Unexpected character/),
	bad('a backslash inside an atom (only a flag starts with one)', 'a LOGIN us\\er p', /Unexpected character/),
	bad('a flag with a second backslash', 'a STORE 1 +FLAGS (\\Se\\en)', /Unexpected character/),
	bad('NUL inside an atom', 'a SELECT in\x00box', /control character/),
	bad('a bare CR inside an atom', 'a SELECT in\rbox', /control character/),
	// Tolerated: RFC 9051 wants a quoted string, but learners type Korean search words by hand.
	ok('8-bit bytes in an atom are tolerated', `a SEARCH SUBJECT ${wire('안녕')}`, 'SEARCH', [atom('SUBJECT'), atom(wire('안녕'))]),
];

const QUOTED: Row[] = [
	ok('quoted strings', 'a LOGIN "user" "pass"', 'LOGIN', [quoted('user'), quoted('pass')]),
	ok('empty quoted strings', 'a LOGIN "" ""', 'LOGIN', [quoted(''), quoted('')]),
	ok('\\" and \\\\ are the two escapes', 'a LOGIN "pa\\"ss" "back\\\\slash"', 'LOGIN', [quoted('pa"ss'), quoted('back\\slash')]),
	ok('an escaped backslash right before the closing quote', 'a LOGIN "u\\\\" p', 'LOGIN', [quoted('u\\'), atom('p')]),
	ok('specials inside quotes are text', 'a LOGIN "sp ace" "(x) {5} [y] %*"', 'LOGIN', [quoted('sp ace'), quoted('(x) {5} [y] %*')]),
	ok('UTF-8 in quoted strings (RFC 9051 QUOTED-CHAR takes UTF8-2..4)', `a LOGIN "${wire('학생')}" "${wire('pässwörd')}"`, 'LOGIN', [quoted(wire('학생')), quoted(wire('pässwörd'))]),
	ok('UTF-8 search text', `a SEARCH CHARSET UTF-8 SUBJECT "${wire('비밀번호')}"`, 'SEARCH', [atom('CHARSET'), atom('UTF-8'), atom('SUBJECT'), quoted(wire('비밀번호'))]),
	bad('"\\b" is not an escape', 'a LOGIN "a\\b" p', /escape/),
	bad('"\\n" is not an escape', 'a LOGIN "a\\n" p', /escape/),
	bad('a backslash before the closing quote escapes it: unterminated', 'a LOGIN "p\\" x', /Unterminated/),
	bad('an unterminated quoted string', 'a LOGIN "open p', /Unterminated/),
	bad('CRLF inside a quoted string (only literals may hold it)', 'a LOGIN "ab\r\ncd" p', /Unterminated/),
	bad('a bare CR inside a quoted string', 'a LOGIN "ab\rcd" p', /Unterminated/),
	bad('an escaped CR inside a quoted string', 'a LOGIN "ab\\\r\ncd" p', /escape|Unterminated/),
	bad('NUL inside a quoted string', 'a LOGIN "a\x00b" p', /NUL/),
];

const LITERALS: Row[] = [
	ok('LOGIN user and password as literals', 'a LOGIN {4}\r\nuser {4}\r\npass', 'LOGIN', [literal('user'), literal('pass')]),
	ok('LOGIN with non-synchronising literals (RFC 7888)', 'a LOGIN {4+}\r\nuser {4+}\r\npass', 'LOGIN', [literal('user'), literal('pass')]),
	ok('a literal password after an atom user', 'a LOGIN user {2}\r\npw', 'LOGIN', [atom('user'), literal('pw')]),
	ok('a literal user before a quoted password', 'a LOGIN {4}\r\nuser "pw"', 'LOGIN', [literal('user'), quoted('pw')]),
	ok('zero-length literals', 'a LOGIN {0}\r\n {0}\r\n', 'LOGIN', [literal(''), literal('')]),
	ok('a zero-length non-synchronising literal', 'a LOGIN {0+}\r\n ""', 'LOGIN', [literal(''), quoted('')]),
	ok('SELECT with a literal mailbox', 'a SELECT {5}\r\nINBOX', 'SELECT', [literal('INBOX')]),
	ok('EXAMINE with a non-synchronising literal', 'a EXAMINE {5+}\r\nINBOX', 'EXAMINE', [literal('INBOX')]),
	ok('STATUS with a literal mailbox before its list', 'a STATUS {5}\r\nINBOX (MESSAGES)', 'STATUS', [literal('INBOX'), list(atom('MESSAGES'))]),
	ok('LIST with literal reference and pattern', 'a LIST {0}\r\n {1}\r\n*', 'LIST', [literal(''), literal('*')]),
	ok('SEARCH with a literal string', 'a SEARCH SUBJECT {5}\r\nhello', 'SEARCH', [atom('SUBJECT'), literal('hello')]),
	ok('SEARCH CHARSET UTF-8 with a literal of UTF-8 bytes', `a SEARCH CHARSET UTF-8 TEXT {12}\r\n${wire('비밀번호')}`, 'SEARCH', [atom('CHARSET'), atom('UTF-8'), atom('TEXT'), literal(wire('비밀번호'))]),
	ok('UID SEARCH with two literals under OR', 'a UID SEARCH OR FROM {3}\r\nbob TO {5+}\r\nalice', 'UID SEARCH', [atom('OR'), atom('FROM'), literal('bob'), atom('TO'), literal('alice')]),
	ok('literals inside a list', 'a SEARCH (HEADER {7}\r\nSubject {2}\r\nhi)', 'SEARCH', [list(atom('HEADER'), literal('Subject'), literal('hi'))]),
	ok('a literal last in a list', 'a SEARCH (BODY {1}\r\nz)', 'SEARCH', [list(atom('BODY'), literal('z'))]),
	ok('a literal holds CRLF, quotes, parentheses and braces as data', 'a LOGIN {13}\r\na\r\n"(x)"{1}\\b p', 'LOGIN', [literal('a\r\n"(x)"{1}\\b'), atom('p')]),
	ok('a literal holds 8-bit bytes', `a LOGIN {6}\r\n${wire('학생')} p`, 'LOGIN', [literal(wire('학생')), atom('p')]),
	ok('APPEND with flags and a non-synchronising literal message', 'a APPEND INBOX (\\Seen) {11+}\r\nSubject: hi', 'APPEND', [atom('INBOX'), list(atom('\\Seen')), literal('Subject: hi')]),
	ok('APPEND with a date-time', 'a APPEND INBOX "07-Dec-2026 10:00:00 +0000" {2+}\r\nhi', 'APPEND', [atom('INBOX'), quoted('07-Dec-2026 10:00:00 +0000'), literal('hi')]),
	ok('leading zeros in the size are still a number', 'a SELECT {005}\r\nINBOX', 'SELECT', [literal('INBOX')]),
	ok('any number of leading zeros (the session reads such a literal, so the parser must too)', `a SELECT {${'0'.repeat(30)}5}\r\nINBOX`, 'SELECT', [literal('INBOX')]),
	bad('a literal shorter than announced', 'a LOGIN {10}\r\nuser', /shorter than announced/),
	bad('an absurd announced size is refused, not allocated', 'a LOGIN {99999999999999999999}\r\nx', /shorter than announced|too large/),
	bad('a size past 32 bits', 'a LOGIN {4294967296}\r\nx', /shorter than announced|too large/),
	bad('no CRLF after the size', 'a LOGIN {4}user', /Bad literal/),
	bad('a bare LF after the size', 'a LOGIN {4}\nuser', /Bad literal/),
	bad('a negative size', 'a LOGIN {-1}\r\n', /Bad literal/),
	bad('a space in the braces', 'a LOGIN { 4}\r\nuser', /Bad literal/),
	bad('two plus signs', 'a LOGIN {4++}\r\nuser', /Bad literal/),
	bad('empty braces', 'a LOGIN {}\r\n', /Bad literal/),
	bad('"-" is not a literal marker (LITERAL- uses "+")', 'a LOGIN {4-}\r\nuser', /Bad literal/),
	bad('NUL inside a literal (CHAR8 is %x01-FF)', 'a LOGIN {3}\r\na\x00b p', /NUL/),
	bad('literal8 (~{n}) belongs to BINARY (RFC 3516), which is not offered', 'a LOGIN ~{3}\r\nabc p', /Unexpected character/),
];

const depth = (n: number): string => `a SEARCH ${'('.repeat(n)}ALL${')'.repeat(n)}`;
const nested = (n: number): ImapToken => (n === 0 ? atom('ALL') : list(nested(n - 1)));

const LISTS: Row[] = [
	ok('an empty list', 'a STATUS INBOX ()', 'STATUS', [atom('INBOX'), list()]),
	ok('a flat list', 'a STATUS INBOX (MESSAGES UNSEEN)', 'STATUS', [atom('INBOX'), list(atom('MESSAGES'), atom('UNSEEN'))]),
	ok('nested lists', 'a SEARCH (OR (SEEN) (NOT (FLAGGED)))', 'SEARCH', [list(atom('OR'), list(atom('SEEN')), list(atom('NOT'), list(atom('FLAGGED'))))]),
	ok('a list of mixed strings', 'a SEARCH (SUBJECT "x y" BODY {1}\r\nz)', 'SEARCH', [list(atom('SUBJECT'), quoted('x y'), atom('BODY'), literal('z'))]),
	ok('a space after "(" and before ")" is tolerated', 'a STATUS INBOX ( MESSAGES )', 'STATUS', [atom('INBOX'), list(atom('MESSAGES'))]),
	ok('16 levels of nesting are the limit', depth(16), 'SEARCH', [nested(16)]),
	bad('17 levels are refused', depth(17), /nested too deeply/),
	bad('deep nesting is refused before it costs a deep recursion', depth(100_000), /nested too deeply/),
	bad('an unclosed list', 'a STATUS INBOX (MESSAGES', /Missing "\)"/),
	bad('an unclosed inner list', 'a SEARCH ((SEEN)', /Missing "\)"/),
	bad('a stray ")"', 'a STATUS INBOX MESSAGES)', /Unexpected "\)"/),
	bad('a stray ")" after a list', 'a SEARCH (SEEN))', /Unexpected "\)"/),
];

const FETCH_ATOMS: Row[] = [
	ok('a section with a header list stays one atom', 'a FETCH 1 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)])', 'FETCH', [atom('1'), list(atom('FLAGS'), atom('BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]'))]),
	ok('a partial fetch', 'a FETCH 1 BODY[]<0.100>', 'FETCH', [atom('1'), atom('BODY[]<0.100>')]),
	ok('a MIME section of a nested part', 'a FETCH 1 BODY.PEEK[1.2.MIME]', 'FETCH', [atom('1'), atom('BODY.PEEK[1.2.MIME]')]),
	ok('HEADER.FIELDS.NOT with a partial', 'a UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS.NOT (Received DKIM-Signature)]<10.20>)', 'UID FETCH', [atom('1:*'), list(atom('UID'), atom('BODY.PEEK[HEADER.FIELDS.NOT (Received DKIM-Signature)]<10.20>'))]),
	ok('quoted header names inside a section', 'a FETCH 1 BODY[HEADER.FIELDS ("Subject" "From")]', 'FETCH', [atom('1'), atom('BODY[HEADER.FIELDS ("Subject" "From")]')]),
	ok('a literal header name inside a section becomes a quoted one', 'a FETCH 1 BODY[HEADER.FIELDS ({7}\r\nSubject)]', 'FETCH', [atom('1'), atom('BODY[HEADER.FIELDS ("Subject")]')]),
	ok('a macro', 'a FETCH 1:3 fast', 'FETCH', [atom('1:3'), atom('fast')]),
	bad('an unclosed section', 'a FETCH 1 BODY[HEADER', /Missing "\]"/),
	bad('an unclosed section swallowing the list end', 'a FETCH 1 (BODY[TEXT FLAGS)', /Missing "\]"/),
	bad('a header name with a "]" cannot close the section early', 'a FETCH 1 BODY[HEADER.FIELDS ("a]b")]', /header field name/),
];

const ROWS: Array<[string, Row[]]> = [
	['tags', TAGS],
	['command names', NAMES],
	['spaces', SPACES],
	['atoms and NIL', ATOMS],
	['quoted strings', QUOTED],
	['literals', LITERALS],
	['lists and nesting', LISTS],
	['fetch attributes', FETCH_ATOMS],
];

for (const [group, rows] of ROWS) {
	describe(`parseCommand: ${group}`, () => {
		it.each(rows)('$why', (row) => {
			if ('parsed' in row) {
				expect(parseCommand(row.input)).toEqual(row.parsed);
				return;
			}
			let thrown: unknown = null;
			try {
				parseCommand(row.input);
			} catch (error) {
				thrown = error;
			}
			expect(thrown).toBeInstanceOf(ImapSyntaxError);
			const message = (thrown as ImapSyntaxError).message;
			expect(message).toMatch(row.error);
			// The message becomes a BAD response line: one printable line, short, whatever the input held.
			expect(message).toMatch(/^[\x20-\x7e]{1,120}$/);
		});
	});
}

/** Splits the input as the session does, into lines and the literals they announce; returns how many literals. */
function framedLiterals(input: string): number {
	let count = 0;
	for (let pos = 0; ; ) {
		const end = input.indexOf('\r\n', pos);
		if (end === -1) return count;
		const announced = announcedLiteral(input.slice(pos, end));
		if (!announced) throw new Error(`a line ends before the command does: ${JSON.stringify(input.slice(pos, end))}`);
		count += 1;
		pos = end + 2 + announced.size;
	}
}

function literalTokens(tokens: ImapToken[]): number {
	return tokens.reduce((sum, token) => sum + (token.type === 'list' ? literalTokens(token.items) : token.type === 'string' && token.literal ? 1 : 0), 0);
}

describe('the session frames every literal the parser reads', () => {
	it.each(LITERALS.filter((row) => 'parsed' in row))('$why', (row) => {
		expect(framedLiterals(row.input)).toBe(literalTokens(parseCommand(row.input).args));
	});
});

describe('parseCommandTag', () => {
	it.each([
		['a1 LOGIN "x', 'a1'],
		['a1', 'a1'],
		['+ x', null],
		['', null],
		[`${wire('ä')} NOOP`, null],
	])('%j → %j', (input, tag) => {
		expect(parseCommandTag(input)).toBe(tag);
	});
});

describe('announcedLiteral: does this line end in a literal the session must read before the command is whole?', () => {
	it.each<[string, ReturnType<typeof announcedLiteral>]>([
		['a LOGIN {4}', { size: 4, synchronising: true }],
		['a LOGIN {4+}', { size: 4, synchronising: false }],
		['a LOGIN {0}', { size: 0, synchronising: true }],
		['a LOGIN {4}\r\nuser {4+}', { size: 4, synchronising: false }],
		['a APPEND INBOX (\\Seen) {310}', { size: 310, synchronising: true }],
		// Too large to read, but a literal all the same: the session refuses it rather than run its bytes as commands.
		['a LOGIN {99999999999+}', { size: 99_999_999_999, synchronising: false }],
		['a LOGIN {00000000000000000000004}', { size: 4, synchronising: true }],
		[`a LOGIN {${'9'.repeat(400)}}`, { size: Number.POSITIVE_INFINITY, synchronising: true }],
		['a LOGIN x', null],
		['a LOGIN "{4}"', null],
		['a LOGIN {4} ', null],
		['a LOGIN {4-}', null],
		// The session reads a literal8's bytes as data too, then the parser refuses the command.
		['a APPEND INBOX ~{3}', { size: 3, synchronising: true }],
		['a LOGIN {+}', null],
		['a LOGIN {}', null],
		['a LOGIN {x}', null],
		['', null],
	])('%j → %j', (line, expected) => {
		expect(announcedLiteral(line)).toEqual(expected);
	});
});

describe('tokenText', () => {
	it.each<[ImapToken | undefined, string | null]>([
		[atom('NIL'), 'NIL'],
		[quoted('x'), 'x'],
		[literal(''), ''],
		[list(atom('x')), null],
		[undefined, null],
	])('%j → %j', (token, text) => {
		expect(tokenText(token)).toBe(text);
	});
});

type FetchRow = [why: string, items: string, expected: FetchItem[] | RegExp];
const section = (spec: Partial<Extract<FetchItem, { kind: 'section' }>> & { label: string }): FetchItem => ({
	kind: 'section',
	section: { path: [], specifier: '', fields: [] },
	peek: false,
	partial: null,
	...spec,
});

const FETCH_ITEMS: FetchRow[] = [
	['the whole message with a partial range', 'BODY[]<0.100>', [section({ partial: { start: 0, count: 100 }, label: 'BODY[]<0>' })]],
	['a partial range starting later', 'BODY.PEEK[TEXT]<512.1024>', [section({ section: { path: [], specifier: 'TEXT', fields: [] }, peek: true, partial: { start: 512, count: 1024 }, label: 'BODY[TEXT]<512>' })]],
	['MIME header of part 1.2', 'BODY.PEEK[1.2.MIME]', [section({ section: { path: [1, 2], specifier: 'MIME', fields: [] }, peek: true, label: 'BODY[1.2.MIME]' })]],
	['a part by number', 'BODY[2]', [section({ section: { path: [2], specifier: '', fields: [] }, label: 'BODY[2]' })]],
	['a deep part', 'BODY[1.2.3]', [section({ section: { path: [1, 2, 3], specifier: '', fields: [] }, label: 'BODY[1.2.3]' })]],
	['HEADER of an attached message', 'BODY[3.HEADER]', [section({ section: { path: [3], specifier: 'HEADER', fields: [] }, label: 'BODY[3.HEADER]' })]],
	['case-insensitive section names', 'body.peek[text]', [section({ section: { path: [], specifier: 'TEXT', fields: [] }, peek: true, label: 'BODY[TEXT]' })]],
	['HEADER.FIELDS, names lower-cased', '(BODY.PEEK[HEADER.FIELDS (SUBJECT From)])', [section({ section: { path: [], specifier: 'HEADER.FIELDS', fields: ['subject', 'from'] }, peek: true, label: 'BODY[HEADER.FIELDS (SUBJECT FROM)]' })]],
	['HEADER.FIELDS with quoted names', 'BODY[HEADER.FIELDS ("Subject" "From")]', [section({ section: { path: [], specifier: 'HEADER.FIELDS', fields: ['subject', 'from'] }, label: 'BODY[HEADER.FIELDS ("SUBJECT" "FROM")]' })]],
	['HEADER.FIELDS.NOT of part 1', 'BODY[1.HEADER.FIELDS.NOT (Received)]', [section({ section: { path: [1], specifier: 'HEADER.FIELDS.NOT', fields: ['received'] }, label: 'BODY[1.HEADER.FIELDS.NOT (RECEIVED)]' })]],
	['simple items in a list', '(UID FLAGS RFC822.SIZE)', [{ kind: 'UID' }, { kind: 'FLAGS' }, { kind: 'RFC822.SIZE' }]],
	['the FAST macro', 'FAST', [{ kind: 'FLAGS' }, { kind: 'INTERNALDATE' }, { kind: 'RFC822.SIZE' }]],
	['a macro is not allowed inside a list', '(FAST)', /Unknown FETCH data item/],
	['MIME needs a part number', 'BODY[MIME]', /MIME needs a part number/],
	['part 0 does not exist', 'BODY[0]', /Bad section/],
	['a part number with a leading zero', 'BODY[01]', /Bad section/],
	['part x.0', 'BODY[1.0]', /Bad section/],
	['a trailing dot', 'BODY[1.]', /Bad section/],
	['a part number runs into HEADER without a dot', 'BODY[1HEADER]', /Bad section/],
	['a part number runs into MIME without a dot', 'BODY[1.2MIME]', /Bad section/],
	['a dot with no part number before it', 'BODY[.HEADER]', /Bad section/],
	['HEADER.FIELDS and its list need a space between them', 'BODY[HEADER.FIELDS(SUBJECT)]', /Bad section/],
	['HEADER.FIELDS without names', 'BODY[HEADER.FIELDS]', /needs a list of header names/],
	['HEADER.FIELDS with an empty list', 'BODY[HEADER.FIELDS ()]', /at least one header name/],
	['TEXT takes no list', 'BODY[TEXT (A)]', /needs a list of header names/],
	['<n> alone belongs to responses, not commands', 'BODY[]<0>', /Unknown FETCH data item/],
	['a partial of zero octets (the count is an nz-number)', 'BODY[]<0.0>', /Unknown FETCH data item|partial/],
	['a partial past 32 bits', 'BODY[]<0.4294967296>', /Unknown FETCH data item|partial/],
	['an unclosed partial', 'BODY[]<0.100', /Unknown FETCH data item/],
	['BODY.PEEK needs a section', 'BODY.PEEK', /Unknown FETCH data item/],
	['BINARY is not offered', 'BINARY[1]', /Unknown FETCH data item/],
	['a string is not a data item', '"FLAGS"', /must be atoms/],
];

describe('parseFetchItems', () => {
	it.each(FETCH_ITEMS)('%s: %s', (_why, items, expected) => {
		const token = parseCommand(`a FETCH 1 ${items}`).args[1];
		if (expected instanceof RegExp) expect(() => parseFetchItems(token)).toThrow(expected);
		else expect(parseFetchItems(token)).toEqual(expected);
	});
});

const INF = Number.POSITIVE_INFINITY;
const SEQUENCE_SETS: Array<[string, Array<[number, number | '*']> | null]> = [
	['1', [[1, 1]]],
	['1:*', [[1, '*']]],
	['*:3', [[INF, 3]]],
	['*', [[INF, '*']]],
	['1,3:5', [[1, 1], [3, 5]]],
	['5:2', [[5, 2]]],
	['1,2,3', [[1, 1], [2, 2], [3, 3]]],
	['4294967295', [[4294967295, 4294967295]]],
	['4294967296', null],
	['1:4294967296', null],
	['0', null],
	['0:*', null],
	['1:0', null],
	['01', null],
	['', null],
	[',', null],
	['1,', null],
	[',1', null],
	['1::2', null],
	['1:2:3', null],
	['-1', null],
	['+1', null],
	['1.5', null],
	['1 2', null],
	['a', null],
];

describe('parseSequenceSet', () => {
	it.each(SEQUENCE_SETS)('%j → %j', (text, ranges) => {
		expect(parseSequenceSet(text)).toEqual(ranges);
	});

	it.each<[string, number, Array<[number, number]>]>([
		['*:3', 10, [[3, 10]]],
		['1:*', 4, [[1, 4]]],
		['7:*', 4, [[4, 7]]],
		['*', 0, [[0, 0]]],
	])('%s with %i as the largest → %j', (text, largest, resolved) => {
		expect(resolveRanges(parseSequenceSet(text) ?? [], largest)).toEqual(resolved);
	});
});

describe('SEARCH reads strings in every form', () => {
	const raw = Buffer.from(`Subject: ${wire('비밀번호')} hello\r\nFrom: bob@example.test\r\n\r\nbody text\r\n`, 'latin1');
	const candidate = { seq: 1, uid: 7, size: raw.length, receivedAt: new Date('2026-12-07T00:00:00Z'), flags: new Set<string>(), bytes: async () => raw };
	const context = { largestSeq: 1, largestUid: 7 };

	it.each<[string, boolean]>([
		['SUBJECT hello', true],
		['SUBJECT "hello"', true],
		['SUBJECT {5}\r\nhello', true],
		['SUBJECT {5+}\r\nhello', true],
		['SUBJECT {7}\r\ngoodbye', false],
		[`CHARSET UTF-8 SUBJECT {12}\r\n${wire('비밀번호')}`, true],
		[`CHARSET UTF-8 SUBJECT "${wire('비밀번호')}"`, true],
		['OR FROM {3}\r\nbob TO {5}\r\nalice', true],
		['(HEADER {4}\r\nFrom {3}\r\nBOB)', true],
		['NOT SUBJECT {0}\r\n', false],
		['BODY {4}\r\ntext', true],
		['TEXT {3+}\r\nbob', true],
		['FROM {16}\r\nbob@example.test', true],
		['TO {3}\r\nbob', false],
		['HEADER {4}\r\nFrom {0}\r\n', true],
		['HEADER {2}\r\nCc {0}\r\n', false],
		['KEYWORD {4}\r\n$Foo', false],
		['UNKEYWORD {4}\r\n$Foo', true],
	])('%j → %s', async (criteria, matches) => {
		const predicate = compileSearch(parseCommand(`a SEARCH ${criteria}`).args);
		expect(await predicate(candidate, context)).toBe(matches);
	});

	it('runs a thousand nested ORs and refuses one more, which would otherwise overflow the stack', async () => {
		const ors = (n: number): string => `${'OR '.repeat(n)}SUBJECT {4}\r\nnope${' SUBJECT {5}\r\nhello'.repeat(n)}`;
		expect(await compileSearch(parseCommand(`a SEARCH ${ors(1000)}`).args)(candidate, context)).toBe(true);
		expect(() => compileSearch(parseCommand(`a SEARCH ${ors(1001)}`).args)).toThrow(/nested too deeply/);
		// A command within the session's 256 KB limit, in lines under its 8192-octet limit (each ends in a literal),
		// nests 36000 ORs: more than the stack holds.
		const lines = Array.from({ length: 18 }, () => `${'OR '.repeat(2000)}SUBJECT {0}`);
		const deep = `a SEARCH ${lines.join('\r\n ')}\r\n${' ALL'.repeat(18 * 2000)}`;
		expect(deep.length).toBeLessThan(256 * 1024);
		expect(() => compileSearch(parseCommand(deep).args)).toThrow(/nested too deeply/);
	});
});
