/**
 * The text of one MIME part as a reader sees it: its transfer encoding undone (base64, quoted-printable) and its
 * charset decoded. Shared by the store's preview (body-index.ts) and IMAP's SEARCH BODY/TEXT, over the parts the
 * MIME walk (mime-tree.ts) finds, so the inbox and a mail client's search read the same words.
 */
import { headerValue, param, type MimePart } from './mime-tree.ts';

/** Decodes at most `maxSourceBytes` of the part's encoded body (the preview needs only its start). */
export function partText(raw: Buffer, part: MimePart, maxSourceBytes = Number.POSITIVE_INFINITY): string {
	const source = raw.subarray(part.bodyStart, Math.min(part.end, part.bodyStart + maxSourceBytes));
	return decodeCharset(partBytes(source, headerValue(part, 'content-transfer-encoding')), param(part.params, 'charset'));
}

/** The body bytes with the Content-Transfer-Encoding undone; 7bit, 8bit, binary and unknown ones as they are. */
export function partBytes(source: Buffer, transferEncoding: string | null): Buffer {
	const encoding = (transferEncoding ?? '').toLowerCase().trim();
	if (encoding === 'base64') {
		// Padding dropped with everything else outside the alphabet: Node decodes unpadded base64, and a body cut
		// short (the preview's) may end mid-quantum. A lone last character holds no whole byte.
		const text = source.toString('latin1').replace(/[^A-Za-z0-9+/]/g, '');
		return Buffer.from(text.length % 4 === 1 ? text.slice(0, -1) : text, 'base64');
	}
	if (encoding === 'quoted-printable') return decodeQuotedPrintable(source.toString('latin1'));
	return source;
}

/**
 * Node's TextDecoder knows the WHATWG encodings (EUC-KR, ISO-2022-JP, Shift_JIS, windows-125x…). ISO-2022-KR
 * (RFC 1557, old Korean mail) is mapped by WHATWG to "replacement", which would make every letter U+FFFD: it is
 * turned into EUC-KR first, which holds the same KS X 1001 letters.
 */
export function decodeCharset(bytes: Buffer, charset: string | undefined): string {
	let label = (charset ?? '').trim().toLowerCase() || 'utf-8';
	let input = bytes;
	if (label === 'iso-2022-kr' || label === 'csiso2022kr') {
		input = iso2022krToEucKr(bytes);
		label = 'euc-kr';
	}
	try {
		return new TextDecoder(label).decode(input);
	} catch (error) {
		// A charset the WHATWG list does not know (RangeError, e.g. `x-unknown`) is read as UTF-8, the likeliest.
		if (!(error instanceof RangeError)) throw error;
		return input.toString('utf8');
	}
}

/** RFC 1557: `ESC $ ) C` announces KS X 1001; SO shifts to it (bytes are EUC-KR without the high bit), SI back. */
function iso2022krToEucKr(bytes: Buffer): Buffer {
	const out = Buffer.allocUnsafe(bytes.length);
	let length = 0;
	let shifted = false;
	for (let i = 0; i < bytes.length; i += 1) {
		const byte = bytes[i]!;
		if (byte === 0x1b && bytes[i + 1] === 0x24 && bytes[i + 2] === 0x29 && bytes[i + 3] === 0x43) {
			i += 3;
		} else if (byte === 0x0e) {
			shifted = true;
		} else if (byte === 0x0f) {
			shifted = false;
		} else if (byte === 0x0a || byte === 0x0d) {
			// A line ends in ASCII (RFC 1557 §2).
			shifted = false;
			out[length++] = byte;
		} else {
			out[length++] = shifted && byte >= 0x21 && byte <= 0x7e ? byte | 0x80 : byte;
		}
	}
	return out.subarray(0, length);
}

function decodeQuotedPrintable(text: string): Buffer {
	const joined = text.replace(/=[ \t]*\r?\n/g, '');
	const out = Buffer.allocUnsafe(joined.length);
	let length = 0;
	for (let i = 0; i < joined.length; i += 1) {
		const code = joined.charCodeAt(i);
		if (code === 0x3d && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
			out[length++] = Number.parseInt(joined.slice(i + 1, i + 3), 16);
			i += 2;
		} else {
			out[length++] = code & 0xff;
		}
	}
	return out.subarray(0, length);
}
