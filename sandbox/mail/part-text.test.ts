/**
 * Charset decoding for the preview and IMAP SEARCH: each part is decoded on its own, so nothing of one part
 * (a byte sequence cut at its end, a byte-order mark, a label nobody knows) reaches the next.
 */
import { describe, expect, it } from 'vitest';
import { decodeCharset } from './part-text.ts';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('decodeCharset', () => {
	it('drops a byte-order mark at the start of every part, not only the first one a decoder sees', () => {
		const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('안녕')]);
		expect(decodeCharset(withBom, 'utf-8')).toBe('안녕');
		expect(decodeCharset(withBom, 'UTF-8')).toBe('안녕');
	});

	it('ends a part cut inside a character with U+FFFD and starts the next part clean', () => {
		const cut = utf8('메일').subarray(0, 4);
		expect(decodeCharset(cut, 'utf-8')).toBe('메\uFFFD');
		// A streaming decoder would have kept the two stray bytes and joined them to this part's first.
		expect(decodeCharset(utf8('일'), 'utf-8')).toBe('일');
	});

	it('reads an unknown charset as UTF-8, and known ones still by their own tables afterwards', () => {
		expect(decodeCharset(utf8('한글'), 'x-unknown-charset')).toBe('한글');
		expect(decodeCharset(Buffer.from([0xc7, 0xd1, 0xb1, 0xdb]), 'euc-kr')).toBe('한글');
		expect(decodeCharset(Buffer.from([0xe9, 0x74, 0xe9]), 'iso-8859-1')).toBe('été');
		expect(decodeCharset(utf8('한글'), 'x-unknown-charset')).toBe('한글');
	});

	it('decodes ISO-2022-KR through EUC-KR, and EUC-KR itself, alternately', () => {
		const iso2022kr = Buffer.from([0x1b, 0x24, 0x29, 0x43, 0x0e, 0x47, 0x51, 0x31, 0x5b, 0x0f]);
		for (let i = 0; i < 3; i += 1) {
			expect(decodeCharset(iso2022kr, 'iso-2022-kr')).toBe('한글');
			expect(decodeCharset(Buffer.from([0xc7, 0xd1]), 'euc-kr')).toBe('한');
		}
	});

	it('answers the same for a label in any case and spacing as for its plain form', () => {
		const bytes = Buffer.from([0xb0, 0xa1]);
		expect(decodeCharset(bytes, ' EUC-KR ')).toBe(decodeCharset(bytes, 'euc-kr'));
		expect(decodeCharset(bytes, undefined)).toBe(bytes.toString('utf8'));
	});
});
