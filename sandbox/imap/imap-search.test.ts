import { describe, expect, it } from 'vitest';
import { searchableText } from './imap-search.ts';

/** '비밀번호 재설정' as Python's codecs write it, for the charsets Korean mail has used. */
const EUC_KR = Buffer.from('baf1b9d0b9f8c8a320c0e7bcb3c1a4', 'hex');
const ISO_2022_KR = Buffer.from('1b2429430e3a713950397848230f200e40673c3341240f', 'hex');
const WORDS = '비밀번호 재설정';

function message(headers: string, body: Buffer | string): Buffer {
	return Buffer.concat([Buffer.from(`${headers}\r\n\r\n`, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')]);
}

function quotedPrintable(text: string): string {
	return [...Buffer.from(text, 'utf8')].map((byte) => (byte >= 0x21 && byte <= 0x7e && byte !== 0x3d ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

describe('SEARCH BODY and TEXT read decoded text', () => {
	it('decodes base64 and quoted-printable UTF-8, EUC-KR and ISO-2022-KR text parts', () => {
		const cases: Array<[string, Buffer]> = [
			['base64', message('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64', Buffer.from(Buffer.from(WORDS).toString('base64')))],
			['quoted-printable', message('Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable', quotedPrintable(WORDS))],
			['euc-kr', message('Content-Type: text/plain; charset=euc-kr\r\nContent-Transfer-Encoding: 8bit', EUC_KR)],
			['iso-2022-kr', message('Content-Type: text/plain; charset=ISO-2022-KR\r\nContent-Transfer-Encoding: 7bit', ISO_2022_KR)],
		];
		for (const [name, raw] of cases) {
			expect(searchableText(raw, false), name).toContain(WORDS);
			// The bytes as stored do not hold the words: only decoding finds them.
			expect(raw.toString('utf8'), name).not.toContain(WORDS);
		}
	});

	it('walks multipart mail and forwarded messages, leaves attachments that are not text alone, and TEXT adds decoded headers', () => {
		const encoded = Buffer.from(WORDS).toString('base64');
		const raw = Buffer.from(
			[
				'Subject: =?utf-8?b?7JWI64WV?=',
				'Content-Type: multipart/mixed; boundary="b1"',
				'',
				'--b1',
				'Content-Type: text/html; charset=utf-8',
				'Content-Transfer-Encoding: base64',
				'',
				encoded,
				'--b1',
				'Content-Type: image/png',
				'Content-Transfer-Encoding: base64',
				'',
				Buffer.from('needle-in-image').toString('base64'),
				'--b1',
				'Content-Type: message/rfc822',
				'',
				'Subject: =?utf-8?q?=EC=A0=84=EB=8B=AC?=',
				'Content-Type: text/plain; charset=utf-8',
				'Content-Transfer-Encoding: quoted-printable',
				'',
				quotedPrintable('inner text'),
				'--b1--',
				'',
			].join('\r\n'),
			'latin1',
		);
		const body = searchableText(raw, false);
		expect(body).toContain(WORDS);
		expect(body).toContain('inner text');
		expect(body).toContain('전달');
		expect(body).not.toContain('needle-in-image');
		expect(body).not.toContain('안녕');
		expect(searchableText(raw, true)).toContain('안녕');
	});
});
