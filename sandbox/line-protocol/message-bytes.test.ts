import { describe, expect, it } from 'vitest';
import { LineReader, type ReaderItem } from './line-reader.ts';
import { dotStuffed, headerAndFirstLines, withCrlf } from './message-bytes.ts';

const text = (b: Buffer): string => b.toString('latin1');

describe('message bytes as served', () => {
	it('leaves CRLF mail untouched (same buffer) and fixes bare LF', () => {
		const crlf = Buffer.from('A: 1\r\n\r\nbody\r\n');
		expect(withCrlf(crlf)).toBe(crlf);
		expect(text(withCrlf(Buffer.from('A: 1\n\nbody\r\nmore\n')))).toBe('A: 1\r\n\r\nbody\r\nmore\r\n');
	});

	it('dot-stuffs, adds a missing final CRLF and terminates', () => {
		expect(text(dotStuffed(Buffer.from('.a\r\nb\r\n..c\r\n.')))).toBe('..a\r\nb\r\n...c\r\n..\r\n.\r\n');
		expect(text(dotStuffed(Buffer.alloc(0)))).toBe('.\r\n');
	});

	it('cuts TOP after the header and n body lines', () => {
		const message = Buffer.from('A: 1\r\nB: 2\r\n\r\none\r\ntwo\r\nthree\r\n');
		expect(text(headerAndFirstLines(message, 0))).toBe('A: 1\r\nB: 2\r\n\r\n');
		expect(text(headerAndFirstLines(message, 2))).toBe('A: 1\r\nB: 2\r\n\r\none\r\ntwo\r\n');
		expect(text(headerAndFirstLines(message, 99))).toBe(text(message));
		expect(text(headerAndFirstLines(Buffer.from('A: 1\r\nno blank line'), 3))).toBe('A: 1\r\nno blank line');
	});
});

describe('line reader', () => {
	it('splits lines across chunks, reads literals, and reports overlong lines once', () => {
		const items: ReaderItem[] = [];
		const reader = new LineReader(10, (item) => {
			items.push(item);
			if (item.kind === 'line' && item.line.endsWith('{3}')) reader.expectBytes(3);
		});
		reader.push(Buffer.from('ab'));
		reader.push(Buffer.from('c\r\nx {3}\r\n1\r\n'));
		reader.push(Buffer.from('\r\n'));
		reader.push(Buffer.from('y'.repeat(25)));
		reader.push(Buffer.from('y'.repeat(25)));
		reader.push(Buffer.from('\r\nok\n'));
		expect(items).toEqual([
			{ kind: 'line', line: 'abc' },
			{ kind: 'line', line: 'x {3}' },
			{ kind: 'bytes', data: Buffer.from('1\r\n') },
			{ kind: 'line', line: '' },
			{ kind: 'overflow', head: 'y'.repeat(50), tail: 'y'.repeat(32) },
			{ kind: 'line', line: 'ok' },
		]);
	});

	it('keeps a dropped line\'s start and end, whatever chunks it came in, and never its line break', () => {
		for (const cut of [1, 7, 64, 100, 4000, 4095, 4096, 4097]) {
			const items: ReaderItem[] = [];
			const reader = new LineReader(100, (item) => items.push(item));
			const line = `a1 SEARCH TEXT "${'x'.repeat(4000)}" TEXT {20+}\r\nnext\r\n`;
			reader.push(Buffer.from(line.slice(0, cut)));
			reader.push(Buffer.from(line.slice(cut)));
			expect(items, `cut at ${cut}`).toEqual([
				{ kind: 'overflow', head: line.slice(0, 64), tail: `${'x'.repeat(20)}" TEXT {20+}` },
				{ kind: 'line', line: 'next' },
			]);
		}
	});
});
