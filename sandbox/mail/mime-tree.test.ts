/**
 * The MIME walk the store's index and IMAP share, on messages real libraries wrote (testdata/: nodemailer 10.6's
 * MailComposer and Python 3.11's email package, made once and kept as they came out), on RFC 2231's own examples,
 * and on malformed mail. Each part's bytes are checked, since IMAP serves exactly those.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { headerEnd, unfoldHeaders } from './header-block.ts';
import { MAX_MIME_DEPTH, MAX_MIME_PARTS, param, parseMime, parseParameterised, type MimePart } from './mime-tree.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`./testdata/${name}`, import.meta.url));
const body = (data: Buffer, part: MimePart | null | undefined): string => (part ? data.toString('utf8', part.bodyStart, part.end) : '<none>');
const shape = (part: MimePart): unknown =>
	part.type === 'multipart' ? [`${part.type}/${part.subtype}`, part.children.map(shape)] : part.message ? [`${part.type}/${part.subtype}`, shape(part.message)] : `${part.type}/${part.subtype}`;

describe('messages written by real libraries', () => {
	it('nodemailer: alternative with a related HTML body, an RFC 2231 file name in five segments, an attached message', () => {
		const data = fixture('nodemailer-report.eml');
		const root = parseMime(data);
		expect(shape(root)).toEqual([
			'multipart/mixed',
			[['multipart/alternative', ['text/plain', ['multipart/related', ['text/html', 'image/png']]]], 'application/pdf', ['message/rfc822', 'text/plain']],
		]);
		const [alternative, pdf, attached] = root.children;
		expect(Buffer.from(body(data, alternative?.children[0]), 'base64').toString()).toBe('보고서를 첨부합니다. 첫 메일도 함께 보냅니다.');
		// The file name in percent-encoded UTF-8 continuations, and again as encoded words in Content-Type's name.
		expect(pdf?.disposition).toEqual({ value: 'attachment', params: [['filename', '2026년 12월 이메일 프로젝트 최종 보고서 (수정본).pdf']] });
		expect(param(pdf?.params ?? [], 'name')).toBe('2026년 12월 이메일 프로젝트 최종 보고서 (수정본).pdf');
		expect(Buffer.from(body(data, pdf), 'base64').toString()).toBe('%PDF-1.4\n% not a real pdf\n');
		expect(body(data, attached?.message)).toBe('안녕하세요. 원래 메일입니다.\r\n');
		expect(attached?.message?.headers.find((h) => h.name === 'subject')?.value).toBe('=?UTF-8?B?7ZSE66Gc7ZWEIOuzgOqyvQ==?=');
	});

	it('Python email: a forwarded message with its own attachment, RFC 2231 names with a charset', () => {
		const data = fixture('python-forward.eml');
		const root = parseMime(data);
		expect(shape(root)).toEqual(['multipart/mixed', ['text/plain', ['message/rfc822', ['multipart/mixed', ['text/plain', 'text/csv']]], 'application/octet-stream']]);
		const inner = root.children[1]?.message;
		expect(inner?.children[1]?.disposition?.params).toEqual([['filename', 'résumé 2026.csv']]);
		expect(body(data, inner?.children[1])).toBe('Y29sMSxjb2wyCjEsMgo=\r\n');
		expect(root.children[2]?.disposition?.params).toEqual([['filename', '데이터.bin']]);
		expect(body(data, root.children[0])).toBe('Forwarded below.\r\n');
	});
});

describe('parameters (RFC 2045 §5.1, RFC 2231)', () => {
	it.each([
		// RFC 2231 §3: continuations, in order whatever order they are written in.
		['message/external-body; access-type=URL; URL*1="cool.html"; URL*0="ftp://"; URL*2=""', 'url', 'ftp://cool.html'],
		// RFC 2231 §4: charset and language.
		["application/x-stuff; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A", 'title', 'This is ***fun***'],
		// RFC 2231 §4.1: encoded and plain segments mixed.
		[`application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2="isn't it!"`, 'title', "This is even more ***fun*** isn't it!"],
		// Another charset than UTF-8.
		["text/plain; name*=iso-8859-1''%E9t%E9.txt", 'name', 'été.txt'],
		// Encoded words in a quoted parameter (not standard, but what many mail programs write).
		['text/plain; name="=?utf-8?B?7ZWc6riA?=.txt"', 'name', '한글.txt'],
		// Raw UTF-8 in the header (RFC 6532), as the bytes arrive.
		[Buffer.from('text/plain; name="한글.txt"').toString('latin1'), 'name', '한글.txt'],
		// Comments are not part of a value (RFC 2045 §5.1 allows them).
		['multipart/mixed; boundary=b1 (a comment)', 'boundary', 'b1'],
		['text/plain; charset="us-ascii" (Plain text)', 'charset', 'us-ascii'],
	])('%s', (header, name, expected) => {
		expect(param(parseParameterised(header).params, name)).toBe(expected);
	});

	it('a file name that spells an encoded word is kept as written when it came in RFC 2231 form', () => {
		const header = "attachment; filename*=utf-8''%3D%3Futf-8%3FQ%3Fa.exe%3F%3D";
		expect(parseParameterised(header).params).toEqual([['filename', '=?utf-8?Q?a.exe?=']]);
	});

	it('lower-cases the value and the names, and skips what is not a parameter', () => {
		expect(parseParameterised('Text/HTML; CHARSET=UTF-8;;; =x')).toEqual({ value: 'text/html', params: [['charset', 'UTF-8']] });
	});

	it('parses a repeated short value once and shares the answer, frozen so no reader can change it for the next', () => {
		const header = 'text/plain; charset="utf-8"; format=flowed';
		const first = parseParameterised(header);
		expect(parseParameterised(header)).toBe(first);
		expect(first).toEqual({ value: 'text/plain', params: [['charset', 'utf-8'], ['format', 'flowed']] });
		expect(Object.isFrozen(first) && Object.isFrozen(first.params) && first.params.every((pair) => Object.isFrozen(pair))).toBe(true);
		expect(() => (first.params as Array<[string, string]>).push(['charset', 'latin1'])).toThrow(TypeError);
		expect(param(parseParameterised(header).params, 'charset')).toBe('utf-8');
	});

	it('keeps no long value and at most a bounded number of short ones, so one sender cannot fill the memory', () => {
		const long = `multipart/mixed; boundary="${'b'.repeat(300)}"`;
		expect(parseParameterised(long)).not.toBe(parseParameterised(long));
		expect(parseParameterised(long)).toEqual(parseParameterised(long));
		const first = parseParameterised('text/plain; charset=first-of-many');
		for (let i = 0; i < 300; i += 1) parseParameterised(`multipart/mixed; boundary=b${i}`);
		const again = parseParameterised('text/plain; charset=first-of-many');
		expect(again).not.toBe(first);
		expect(again).toEqual(first);
	});
});

describe('nesting and limits', () => {
	const nest = (levels: number): Buffer => {
		let message = 'Content-Type: text/plain\r\n\r\ninnermost';
		for (let i = levels; i > 0; i -= 1) message = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${message}\r\n--b${i}--`;
		return Buffer.from(message);
	};
	const depthOf = (part: MimePart): number => 1 + Math.max(0, ...part.children.map(depthOf));

	it('opens nested multiparts down to the innermost text', () => {
		const data = nest(10);
		let part = parseMime(data);
		for (let i = 0; i < 10; i += 1) part = part.children[0] ?? part;
		expect(body(data, part)).toBe('innermost');
	});

	it(`keeps parts deeper than ${MAX_MIME_DEPTH} levels whole instead of recursing into them`, () => {
		const root = parseMime(nest(MAX_MIME_DEPTH + 20));
		expect(depthOf(root)).toBe(MAX_MIME_DEPTH + 1);
	});

	it(`splits out at most ${MAX_MIME_PARTS} parts`, () => {
		const parts = Array.from({ length: MAX_MIME_PARTS + 50 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}`).join('\r\n');
		const root = parseMime(Buffer.from(`Content-Type: multipart/mixed; boundary=b\r\n\r\n${parts}\r\n--b--\r\n`));
		expect(root.children).toHaveLength(MAX_MIME_PARTS - 1);
	});

	it('takes message/rfc822 as the default type inside multipart/digest (RFC 2046 §5.1.5)', () => {
		const data = Buffer.from('Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: one\r\n\r\nfirst\r\n--d--\r\n');
		const [entry] = parseMime(data).children;
		expect(entry).toMatchObject({ type: 'message', subtype: 'rfc822' });
		expect(body(data, entry?.message)).toBe('first');
	});
});

describe('malformed mail', () => {
	it('runs the last part to the end when the closing delimiter is missing', () => {
		const data = Buffer.from('Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\none\r\n--x\r\nContent-Type: text/html\r\n\r\ntwo, cut off');
		expect(parseMime(data).children.map((c) => body(data, c))).toEqual(['one', 'two, cut off']);
	});

	it('ignores the boundary inside a line, after other text, or as the start of a longer boundary', () => {
		const data = Buffer.from('Content-Type: multipart/mixed; boundary=x\r\n\r\npreamble --x\r\n--x\r\n\r\na --x b\r\n--xy\r\nstill a\r\n--x--\r\nepilogue --x\r\n');
		expect(parseMime(data).children.map((c) => body(data, c))).toEqual(['a --x b\r\n--xy\r\nstill a']);
	});

	it('reads bare LF line ends and parts without a header', () => {
		const data = Buffer.from('Content-Type: multipart/alternative; boundary=x\n\n--x\n\nno header\n--x\nContent-Type: text/html\n\n<p>html</p>\n--x--\n');
		const root = parseMime(data);
		expect(root.children.map((c) => [`${c.type}/${c.subtype}`, body(data, c)])).toEqual([
			['text/plain', 'no header'],
			['text/html', '<p>html</p>'],
		]);
	});

	it('keeps a multipart without a boundary, or with an unreadable type, as one part', () => {
		expect(parseMime(Buffer.from('Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\nbody'))).toMatchObject({ type: 'multipart', subtype: 'mixed', children: [] });
		expect(parseMime(Buffer.from('Content-Type: te<xt>/pl ain\r\n\r\nbody'))).toMatchObject({ type: 'text', subtype: 'plain' });
		expect(parseMime(Buffer.from('Content-Type: ;;;\r\n\r\nbody'))).toMatchObject({ type: 'text', subtype: 'plain' });
	});

	it('reads a message that is all header, or no header at all', () => {
		expect(parseMime(Buffer.from('Subject: only a header'))).toMatchObject({ bodyStart: 22, end: 22, headers: [{ name: 'subject', value: 'only a header' }] });
		expect(parseMime(Buffer.from('\r\nbody only'))).toMatchObject({ bodyStart: 2, headers: [] });
		expect(parseMime(Buffer.alloc(0))).toMatchObject({ start: 0, bodyStart: 0, end: 0 });
	});
});

describe('the header block', () => {
	it('ends at the first empty line, CRLF or LF, and is all header without one', () => {
		expect(headerEnd(Buffer.from('A: 1\r\nB: 2\r\n\r\nbody'))).toEqual({ end: 12, bodyStart: 14 });
		expect(headerEnd(Buffer.from('A: 1\nB: 2\n\nbody'))).toEqual({ end: 10, bodyStart: 11 });
		expect(headerEnd(Buffer.from('A: 1\r\nno blank line'))).toEqual({ end: 19, bodyStart: 19 });
		expect(headerEnd(Buffer.from('\r\nbody'))).toEqual({ end: 0, bodyStart: 2 });
		// From an offset and up to a limit, as for a part inside a message.
		expect(headerEnd(Buffer.from('xxA: 1\r\n\r\nbody'), 2)).toEqual({ end: 8, bodyStart: 10 });
		expect(headerEnd(Buffer.from('A: 1\r\nB: 2\r\n\r\nbody'), 0, 8)).toEqual({ end: 8, bodyStart: 8 });
	});

	it('unfolds continuation lines (only the line break goes, RFC 5322 §2.2.3) and lower-cases names', () => {
		expect(unfoldHeaders('Subject: a\r\n  b\r\nX-Y:\tc\r\nTo:\r\n x@example.test\r\nnot a header\r\n')).toEqual([
			{ name: 'subject', value: 'a  b' },
			{ name: 'x-y', value: 'c' },
			{ name: 'to', value: 'x@example.test' },
		]);
	});
});
