import { readFileSync } from 'node:fs';
import libmime from 'libmime';
import { describe, expect, it } from 'vitest';
import { parseCommand } from './imap-command-parser.ts';
import { parseFetchItems, sectionBytes } from './imap-fetch.ts';
import { toTranscript } from './imap-response.ts';
import { bodyStructure, envelope } from './imap-structure.ts';
import { parseMime } from '../mail/mime-tree.ts';
import { parseSequenceSet, resolveRanges } from './sequence-set.ts';

const nested = Buffer.from(
	[
		'From: =?UTF-8?Q?J=C3=B6rg?= <j@example.test>',
		'To: friends: a@example.test, "B, b" <b@example.test>;',
		'Subject: Fwd: "quoted" \\ back',
		'Content-Type: multipart/mixed; boundary=b1',
		'',
		'--b1',
		'Content-Type: multipart/alternative; boundary="b2"',
		'',
		'--b2',
		'Content-Type: text/plain',
		'',
		'plain',
		'--b2',
		'Content-Type: text/html; charset=utf-8',
		'',
		'<p>html</p>',
		'--b2--',
		'--b1',
		'Content-Type: message/rfc822',
		'',
		'From: inner@example.test',
		'Subject: inner',
		'',
		'inner body',
		'line2',
		'--b1--',
		'',
	].join('\r\n'),
);

function section(atom: string): string | null {
	const [item] = parseFetchItems({ type: 'atom', value: atom });
	if (item?.kind !== 'section') throw new Error('not a section');
	return sectionBytes(nested, parseMime(nested), item.section)?.toString('utf8') ?? null;
}

describe('FETCH sections of a nested message (RFC 3501 §6.4.5 numbering)', () => {
	it('walks multiparts and opens attached messages', () => {
		expect(section('BODY[1.1]')).toBe('plain');
		expect(section('BODY.PEEK[1.2]')).toBe('<p>html</p>');
		expect(section('BODY[2.HEADER]')).toBe('From: inner@example.test\r\nSubject: inner\r\n\r\n');
		expect(section('BODY[2.TEXT]')).toBe('inner body\r\nline2');
		expect(section('BODY[2.1]')).toBe('inner body\r\nline2');
		expect(section('BODY[2.MIME]')).toBe('Content-Type: message/rfc822\r\n\r\n');
		expect(section('BODY[3]')).toBeNull();
		expect(section('BODY[1.HEADER]')).toBeNull();
		expect(section('BODY[HEADER.FIELDS.NOT (To From Content-Type)]')).toBe('Subject: Fwd: "quoted" \\ back\r\n\r\n');
	});

	it('rejects malformed sections and unknown items', () => {
		expect(() => parseFetchItems({ type: 'atom', value: 'BODY[MIME]' })).toThrow(/MIME needs a part number/);
		expect(() => parseFetchItems({ type: 'atom', value: 'BODY[HEADER.FIELDS]' })).toThrow(/needs a list/);
		expect(() => parseFetchItems({ type: 'atom', value: 'BODY[0]' })).toThrow(/Bad section/);
		expect(() => parseFetchItems({ type: 'atom', value: 'X-GM-MSGID' })).toThrow(/Unknown FETCH data item/);
	});

	it('describes the structure and envelope with groups, quoting and encoded words kept', () => {
		const root = parseMime(nested);
		expect(toTranscript(bodyStructure(root, nested, false))).toBe(
			'((("TEXT" "PLAIN" NIL NIL NIL "7BIT" 5 1)("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 11 1) "ALTERNATIVE")' +
				'("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 61 (NIL "inner" ((NIL NIL "inner" "example.test")) ((NIL NIL "inner" "example.test")) ((NIL NIL "inner" "example.test")) NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 17 2) 5) "MIXED")',
		);
		expect(toTranscript(envelope(root))).toBe(
			'(NIL "Fwd: \\"quoted\\" \\\\ back" (("=?UTF-8?Q?J=C3=B6rg?=" NIL "j" "example.test")) (("=?UTF-8?Q?J=C3=B6rg?=" NIL "j" "example.test")) (("=?UTF-8?Q?J=C3=B6rg?=" NIL "j" "example.test")) ' +
				'((NIL NIL "friends" NIL)(NIL NIL "a" "example.test")("B, b" NIL "b" "example.test")(NIL NIL NIL NIL)) NIL NIL NIL NIL)',
		);
	});
});

describe('folded headers (RFC 5322 §2.2.3)', () => {
	it('unfolds a subject folded right after its colon, as Django folds long Korean subjects, without a leading space', () => {
		const words = libmime.encodeWords('[포럼] 비밀번호 재설정 안내 메일입니다. 아래 링크를 눌러 주세요', 'B', 40);
		const folded = Buffer.from(`From: forum@example.test\r\nSubject:\r\n ${words.split(' ').join('\r\n ')}\r\n\tcontinued\r\n\r\nbody\r\n`, 'latin1');
		const subject = /^\(NIL "([^"]*)"/.exec(toTranscript(envelope(parseMime(folded))))?.[1] ?? '';
		// The line breaks go; the whitespace that began each continuation line stays between the words.
		expect(subject).toBe(`${words.split(' ').join(' ')}\tcontinued`);
		expect(subject.startsWith('=?')).toBe(true);
		expect(libmime.decodeWords(subject)).toBe('[포럼] 비밀번호 재설정 안내 메일입니다. 아래 링크를 눌러 주세요\tcontinued');
	});
});

describe('BODYSTRUCTURE parameters (RFC 2231)', () => {
	it('joins continuations and sends a name that is not ASCII in RFC 2231 form, which a client decodes back', () => {
		const data = readFileSync(new URL('../mail/testdata/nodemailer-report.eml', import.meta.url));
		const pdf = parseMime(data).children[1];
		if (!pdf) throw new Error('the fixture has a second part');
		const structure = toTranscript(bodyStructure(pdf, data, true));
		const encoded = /\("ATTACHMENT" \("FILENAME\*" "([^"]+)"\)\)/.exec(structure)?.[1] ?? '';
		expect(structure).toContain(`("NAME*" "${encoded}")`);
		expect(libmime.parseHeaderValue(`attachment; filename*=${encoded}`).params['filename']).toBe('2026년 12월 이메일 프로젝트 최종 보고서 (수정본).pdf');
	});

	it('sends an ASCII value joined from its segments as a plain parameter', () => {
		const data = Buffer.from('Content-Type: application/pdf; name*0="annual-"; name*1="report.pdf"\r\nContent-Disposition: attachment; filename*0=annual-; filename*1=report.pdf\r\n\r\nx');
		expect(toTranscript(bodyStructure(parseMime(data), data, true))).toBe(
			'("APPLICATION" "PDF" ("NAME" "annual-report.pdf") NIL NIL "7BIT" 1 NIL ("ATTACHMENT" ("FILENAME" "annual-report.pdf")) NIL NIL)',
		);
	});
});

describe('command parsing', () => {
	it('reads quoted strings, literals and bracketed fetch atoms', () => {
		const command = parseCommand('a1 uid fetch 1:* (UID BODY.PEEK[HEADER.FIELDS (From To)]<0.100>)');
		expect(command.name).toBe('UID FETCH');
		expect(command.args[1]).toEqual({
			type: 'list',
			items: [
				{ type: 'atom', value: 'UID' },
				{ type: 'atom', value: 'BODY.PEEK[HEADER.FIELDS (From To)]<0.100>' },
			],
		});
		const login = parseCommand('a2 LOGIN {4}\r\nuser "pa\\"ss"');
		expect(login.args).toEqual([
			{ type: 'string', value: 'user', literal: true },
			{ type: 'string', value: 'pa"ss', literal: false },
		]);
		expect(() => parseCommand('a3 FETCH (((((((((((((((((((1')).toThrow();
		expect(() => parseCommand('+bad NOOP')).toThrow(/tag/);
	});

	it('resolves sequence sets with * and backwards ranges', () => {
		expect(resolveRanges(parseSequenceSet('1,3:*') ?? [], 5)).toEqual([
			[1, 1],
			[3, 5],
		]);
		expect(resolveRanges(parseSequenceSet('9:*') ?? [], 5)).toEqual([[5, 9]]);
		expect(resolveRanges(parseSequenceSet('4:2') ?? [], 5)).toEqual([[2, 4]]);
		expect(parseSequenceSet('0')).toBeNull();
		expect(parseSequenceSet('1::2')).toBeNull();
	});
});
