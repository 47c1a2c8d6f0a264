/**
 * The bytes of a message as POP3 and IMAP serve them. Both protocols require CRLF line ends
 * (RFC 1939 §3, RFC 3501 §2.2); SMTP-captured mail already has them, so the common case returns the
 * stored bytes untouched, which is what lets a client's copy hash equal to the stored raw message.
 * Sizes reported to clients (LIST, STAT, RFC822.SIZE) are sizes of these bytes.
 */
import { headerEnd } from '../mail/header-block.ts';

/** Returns the message with every bare LF turned into CRLF (the same Buffer when there is none). */
export function withCrlf(raw: Buffer): Buffer {
	let bare = false;
	for (let i = raw.indexOf(0x0a); i !== -1; i = raw.indexOf(0x0a, i + 1)) {
		if (i === 0 || raw[i - 1] !== 0x0d) {
			bare = true;
			break;
		}
	}
	if (!bare) return raw;
	return Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

/**
 * POP3 multi-line body (RFC 1939 §3): lines starting with "." get another "." in front, the data ends
 * with CRLF, and ".CRLF" terminates it.
 */
export function dotStuffed(data: Buffer): Buffer {
	let text = data.toString('latin1');
	if (text.length > 0 && !text.endsWith('\r\n')) text += '\r\n';
	const stuffed = text.replace(/(^|\n)\./g, '$1..');
	return Buffer.from(`${stuffed}.\r\n`, 'latin1');
}

/** The header, the blank line and the first `lines` lines of the body (POP3 TOP, RFC 1939 §7). */
export function headerAndFirstLines(data: Buffer, lines: number): Buffer {
	const split = headerEnd(data).bodyStart;
	if (split === data.length) return data;
	let end = split;
	for (let n = 0; n < lines && end < data.length; n += 1) {
		const lf = data.indexOf(0x0a, end);
		end = lf === -1 ? data.length : lf + 1;
	}
	return data.subarray(0, end);
}
