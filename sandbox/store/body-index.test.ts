import { describe, expect, it } from 'vitest';
import { HTML, htmlToText, PLAIN, previewOf, SNIPPET_LENGTH, snippet, summarizeBody } from './body-index.ts';
import { parseMime, type MimePart } from '../mail/mime-tree.ts';
import { partText } from '../mail/part-text.ts';

/** A small deterministic generator, so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
		return state / 2 ** 32;
	};
}

/** Pieces that straddle a prefix's end in every way the passes care about: tags, heads, comments, entities. */
const HTML_PIECES = [
	'<p>',
	'</p>',
	'<div class="x">',
	'<head><style>body { color: red; }</style></head>',
	'<style>.a{}</style>',
	'<script>var a = "<b>";</script>',
	'<title>제목</title>',
	'<!-- a comment <b>bold</b> -->',
	'&amp;',
	'&#x1F600;',
	'&#12354;',
	'&nbsp;',
	'&unknown;',
	'&#0000000000000065;',
	// Longer than the margin: cut in two at a prefix's end it must not show as text.
	`&#${'0'.repeat(200)}65;`,
	' a < b ',
	'>',
	'비밀번호 재설정',
	'Reset your password',
	'  \r\n\t ',
	'😀',
	'x'.repeat(40),
	'<a href="https://forum.example/reset/MQ/abc/">link</a>',
];

function generatedHtml(next: () => number): string {
	let html = '';
	const target = Math.floor(next() * 12_000);
	while (html.length < target) html += HTML_PIECES[Math.floor(next() * HTML_PIECES.length)]!;
	return html;
}

const ENCODINGS = [
	['utf-8', 'quoted-printable'],
	['utf-8', 'base64'],
	['utf-16le', 'base64'],
	['utf-8', '8bit'],
] as const;

/** Quoted-printable as a mail program writes it: =XX for what is not plain ASCII, soft breaks within 76. */
function quotedPrintable(bytes: Buffer): string {
	let out = '';
	let line = 0;
	for (const byte of bytes) {
		const plain = byte >= 33 && byte <= 126 && byte !== 61;
		const piece = plain ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
		if (line + piece.length > 75) {
			out += '=\r\n';
			line = 0;
		}
		out += piece;
		line += piece.length;
	}
	return out;
}

function htmlMessage(html: string, charset: 'utf-8' | 'utf-16le', encoding: 'quoted-printable' | 'base64' | '8bit'): Buffer {
	const bytes = Buffer.from(html, charset === 'utf-8' ? 'utf8' : 'utf16le');
	const body =
		encoding === 'quoted-printable' ? quotedPrintable(bytes) : encoding === 'base64' ? bytes.toString('base64').replace(/.{76}/g, '$&\r\n') : html.replace(/\r?\n/g, '\r\n');
	const head = `Subject: x\r\nContent-Type: text/html; charset=${charset}\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n`;
	return Buffer.concat([Buffer.from(head), Buffer.from(body, encoding === '8bit' ? 'utf8' : 'latin1'), Buffer.from('\r\n')]);
}

function firstLeaf(part: MimePart): MimePart {
	return part.children[0] ? firstLeaf(part.children[0]) : part;
}

describe('the preview text', () => {
	it('collapses and cuts as the whole text would, read only as far as the preview needs', () => {
		const pieces = ['word', ' ', '  ', '\r\n', '\t', '\u00a0', '\u3000', '\u2028', '\ufeff', '비밀번호', 'x'.repeat(30), '😀', '.'];
		const whole = (text: string) => {
			const collapsed = text.replace(/\s+/g, ' ').trim();
			return collapsed.length > SNIPPET_LENGTH ? `${collapsed.slice(0, SNIPPET_LENGTH - 1)}…` : collapsed;
		};
		const next = random(0x5a1e);
		const differences: string[] = [];
		const lengths = new Set<number>();
		for (let n = 0; n < 3000; n++) {
			// Mostly whitespace in some texts, so a prefix's worth of text often falls short and a longer one is read.
			const blankShare = next();
			let text = '';
			const target = Math.floor(next() * 3000);
			while (text.length < target) text += next() < blankShare ? ' '.repeat(Math.floor(next() * 200)) : pieces[Math.floor(next() * pieces.length)]!;
			const got = snippet(text);
			if (got !== whole(text)) differences.push(`#${n}: ${JSON.stringify(text.slice(0, 300))} gave ${JSON.stringify(got)}`);
			lengths.add(got.length);
		}
		expect(differences).toEqual([]);
		// Both sides of the cut were reached: short texts whole, long ones cut with the ellipsis.
		expect(lengths.has(SNIPPET_LENGTH)).toBe(true);
		expect([...lengths].some((length) => length > 0 && length < SNIPPET_LENGTH)).toBe(true);
	});

	it('is what the passes over the whole part give, for 2,000 generated HTML and text parts', () => {
		const next = random(0x5eed);
		const differences: string[] = [];
		let longEnough = 0;
		for (let n = 0; n < 2000; n++) {
			const source = generatedHtml(next);
			const prefix = (length: number) => source.slice(0, length);
			const html = previewOf(prefix, source.length, HTML);
			const text = previewOf(prefix, source.length, PLAIN);
			if (html !== snippet(htmlToText(source))) differences.push(`html #${n}: ${JSON.stringify(html)}`);
			if (text !== snippet(source)) differences.push(`text #${n}: ${JSON.stringify(text)}`);
			if (html.length === SNIPPET_LENGTH) longEnough += 1;
		}
		expect(differences).toEqual([]);
		// Most parts must be long enough to be cut from a prefix, or the shortcut was never taken.
		expect(longEnough).toBeGreaterThan(1000);
	});

	it('is what decoding the first 16 KB gives, for generated parts in quoted-printable, base64 and UTF-16', () => {
		const next = random(0xc0de);
		const differences: string[] = [];
		let longEnough = 0;
		for (let n = 0; n < 300; n++) {
			const html = generatedHtml(next);
			for (const [charset, encoding] of ENCODINGS) {
				const raw = htmlMessage(html, charset, encoding);
				const part = firstLeaf(parseMime(raw));
				const expected = snippet(htmlToText(partText(raw, part, 16 * 1024)));
				const actual = summarizeBody(raw).snippet;
				if (actual !== expected) differences.push(`#${n} ${charset} ${encoding}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
				if (actual.length === SNIPPET_LENGTH) longEnough += 1;
			}
		}
		expect(differences.slice(0, 5)).toEqual([]);
		expect(longEnough).toBeGreaterThan(300);
	});

	it('does not show an entity that a quoted-printable soft break at the cut left open', () => {
		// The first prefix (1024 bytes) ends in "=\r", inside the digits of an entity longer than the margin.
		const words = 'Reset your password now. '.repeat(4);
		let body = `<html><head><style>${'p{margin:0} '.repeat(60)}</style></head><body><p>${words}&#${'0'.repeat(300)}65; and the rest.</p></body></html>`;
		body = `${body.slice(0, 1022)}=\r\n${body.slice(1022)}`;
		const raw = Buffer.from(`Subject: x\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${body}\r\n`);
		expect(summarizeBody(raw).snippet).toBe(snippet(htmlToText(partText(raw, parseMime(raw), 16 * 1024))));
		expect(summarizeBody(raw).snippet).toContain('now. A and the rest.');
	});

	it('reads past a long head to the first words of an HTML body', () => {
		const head = `<head><style>${'.rule { color: #333; } '.repeat(2000)}</style></head>`;
		const body = `<body><h1>비밀번호 재설정 &amp; 안내</h1><p>${'아래 링크를 누르세요. '.repeat(20)}</p></body>`;
		const html = `<html>${head}${body}</html>`;
		const preview = previewOf((length) => html.slice(0, length), html.length, HTML);
		expect(preview.startsWith('비밀번호 재설정 & 안내 아래 링크를 누르세요.')).toBe(true);
		expect(preview).toHaveLength(SNIPPET_LENGTH);
		expect(preview.endsWith('…')).toBe(true);
	});

	it('comes from a message\'s text part, else its HTML part, decoded from as many bytes as it takes', () => {
		const message = (parts: string) =>
			Buffer.from(`Subject: x\r\nContent-Type: multipart/alternative; boundary="b"\r\n\r\n${parts}--b--\r\n`);
		const text = '--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain   words\r\n';
		const html = '--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Rich&nbsp;words</p>\r\n';
		expect(summarizeBody(message(text + html)).snippet).toBe('Plain words');
		expect(summarizeBody(message(html)).snippet).toBe('Rich words');
		// Base64 of UTF-8 Korean, with an HTML head past the first prefix: the bytes are decoded in growing prefixes,
		// each cut mid-character and mid-quantum, and the preview is still the one from the first 16 KB.
		const korean = `<html><head><style>${'p { margin: 0 } '.repeat(300)}</style></head><body><p>${'비밀번호를 재설정하려면 아래 링크를 누르세요. '.repeat(40)}</p></body></html>`;
		const encoded = Buffer.from(korean).toString('base64').replace(/.{76}/g, '$&\r\n');
		const base64Html = `--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${encoded}\r\n`;
		const expected = snippet(htmlToText(Buffer.from(korean).subarray(0, 12_000).toString('utf8')));
		expect(expected.startsWith('비밀번호를 재설정하려면')).toBe(true);
		expect(summarizeBody(message(base64Html)).snippet).toBe(expected);
	});
});
