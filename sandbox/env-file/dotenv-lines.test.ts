import { describe, expect, it } from 'vitest';
import dotenv from 'dotenv';
import { dotenvEntries, dotenvParse } from './dotenv-lines.ts';

/** Tricky `.env` texts: each is compared with the real dotenv in Node. */
const TRICKY: readonly string[] = [
	'KEY = value',
	'KEY =value',
	'KEY= value',
	'KEY=value # comment',
	'KEY=val#ue',
	'KEY="a # b"',
	"KEY='a # b' # c",
	"KEY='single'",
	'KEY=a b',
	'KEY=  a b  ',
	'export KEY=v',
	'export  KEY=v',
	'exportKEY=v',
	'KEY="first\nsecond"\nNEXT=1',
	"KEY='first\nsecond'\nNEXT=1",
	'KEY=`tick`',
	'KEY="a\\nb"',
	"KEY='a\\nb'",
	'KEY=a\\nb',
	'KEY="a\\rb\\tc\\\\d\\"e"',
	'KEY=""',
	"KEY=''",
	'KEY=',
	'KEY=\nNEXT=2',
	'KEY',
	'no equals sign here\nKEY=1',
	'\uFEFFKEY=bom',
	'A=1\r\nB=2\r\n',
	'A=1\rB=2',
	'# comment\n\n   \nKEY=1',
	'  KEY=indented',
	'KEY: colon',
	'KEY:nospace',
	'MY-KEY=dash',
	'my.key=dot',
	'KEY=1\nKEY=2',
	'KEY="unterminated\nNEXT=3',
	'KEY="a"b"',
	"KEY='it\\'s'",
	'KEY="x" # c\nB=2',
	'KEY=$OTHER',
	'EMAIL_HOST_PASSWORD=abcd efgh ijkl mnop',
	"EMAIL_HOST_PASSWORD='abcd efgh ijkl mnop'",
	'KEY=한국어 값',
	'KEY=\t tab',
	'A=1 B=2',
	'KEY=#not a value',
	'KEY= #',
	'KEY="a\u2028b"',
];

function real(text: string): Record<string, string> {
	return dotenv.parse(text);
}

describe('dotenvParse matches the real dotenv.parse', () => {
	it.each(TRICKY.map((text) => [JSON.stringify(text), text]))('%s', (_label, text) => {
		expect(dotenvParse(text)).toEqual(real(text));
	});

	it('matches on a few thousand generated texts built from tricky pieces', () => {
		// A fixed-seed generator: the same texts on every run, so a failure can be reproduced.
		let seed = 20261201;
		const random = (n: number): number => {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			return seed % n;
		};
		const pieces = ['KEY', 'A_B', 'x.y', 'export ', ' ', '  ', '=', ':', '#', ' # c', '"', "'", '`', '\\', '\\n', 'n', 'v', 'a b', '\n', '\r\n', '\r', '\t', '$', 'é', '\uFEFF'];
		let compared = 0;
		for (let i = 0; i < 3000; i += 1) {
			let text = '';
			const length = 1 + random(14);
			for (let j = 0; j < length; j += 1) text += pieces[random(pieces.length)];
			expect(dotenvParse(text), JSON.stringify(text)).toEqual(real(text));
			compared += 1;
		}
		expect(compared).toBe(3000);
	}, 120_000);
});

describe('dotenvEntries', () => {
	it('gives the line a key stands on, after blank lines and comments', () => {
		const entries = dotenvEntries('# c\n\nA=1\n\n  B=2');
		expect(entries.map((e) => [e.key, e.line])).toEqual([
			['A', 2],
			['B', 4],
		]);
	});

	it('marks a quoted value that spans lines', () => {
		const [first, second] = dotenvEntries('KEY="one\ntwo"\nNEXT=1');
		expect(first).toMatchObject({ key: 'KEY', value: 'one\ntwo', line: 0, endLine: 1, quote: '"' });
		expect(second).toMatchObject({ key: 'NEXT', line: 2, endLine: 2 });
	});

	it('keeps duplicates in order so the later one can be shown to win', () => {
		expect(dotenvEntries('K=1\nK=2').map((e) => e.value)).toEqual(['1', '2']);
	});

	it('counts CRLF as one line break', () => {
		expect(dotenvEntries('A=1\r\nB=2').map((e) => e.line)).toEqual([0, 1]);
	});
});
