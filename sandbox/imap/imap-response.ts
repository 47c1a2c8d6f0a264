/**
 * Builds IMAP response data (RFC 3501 §4): strings go out quoted when they can be and as literals when
 * they hold line ends or 8-bit bytes; NIL stands for absent values. A response is a list of text and
 * literal pieces so the transcript can show the text and elide the literal bodies.
 */

export type ResponsePiece = string | Buffer;

/** Longer strings go out as literals; some clients dislike very long quoted strings. */
const MAX_QUOTED_LENGTH = 1000;

/** A string (latin1 text holding raw bytes) as IMAP `string`, or NIL for null. */
export function nstring(value: string | null): ResponsePiece {
	if (value === null) return 'NIL';
	if (value.length <= MAX_QUOTED_LENGTH && /^[\x01-\x09\x0b\x0c\x0e-\x7f]*$/.test(value)) {
		return `"${value.replace(/[\\"]/g, '\\$&')}"`;
	}
	return Buffer.from(value, 'latin1');
}

/** Joins pieces with spaces between them the caller decides; literals become `{n}\r\n` + bytes. */
export function toWire(pieces: ResponsePiece[]): Buffer {
	return Buffer.concat(
		pieces.map((piece) =>
			typeof piece === 'string' ? Buffer.from(piece, 'latin1') : Buffer.concat([Buffer.from(`{${piece.length}}\r\n`, 'latin1'), piece]),
		),
	);
}

/** The same response for the transcript: literals shown by size only. */
export function toTranscript(pieces: ResponsePiece[]): string {
	return pieces
		.map((piece) => (typeof piece === 'string' ? Buffer.from(piece, 'latin1').toString('utf8') : `{${piece.length}} [${piece.length} octets elided]`))
		.join('');
}

/** A parenthesised list of pieces separated by spaces. */
export function list(items: ResponsePiece[][]): ResponsePiece[] {
	const out: ResponsePiece[] = ['('];
	items.forEach((item, index) => {
		if (index > 0) out.push(' ');
		out.push(...item);
	});
	out.push(')');
	return out;
}
