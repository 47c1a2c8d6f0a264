/**
 * The header block of a message or of a MIME part (RFC 5322 §2.1, RFC 2045 §3): where it ends and its fields,
 * unfolded. Shared by the store's list entry, the MIME tree, POP3's TOP and IMAP's SEARCH, so they all agree on
 * where a header ends, also for mail with bare LF line ends and for parts that have no header at all.
 */

export interface HeaderField {
	/** Lower-cased. */
	name: string;
	/** Unfolded and trimmed, not decoded (encoded words stay as they are). */
	value: string;
}

/**
 * The end of the header block that starts at `from`: `end` is where the empty line starts, `bodyStart` just past
 * it. A block with no empty line before `limit` is all header (`end` = `bodyStart` = `limit`).
 */
export function headerEnd(raw: Buffer, from = 0, limit = raw.length): { end: number; bodyStart: number } {
	let lineStart = from;
	while (lineStart < limit) {
		if (raw[lineStart] === 0x0a) return { end: lineStart, bodyStart: lineStart + 1 };
		if (raw[lineStart] === 0x0d && raw[lineStart + 1] === 0x0a && lineStart + 1 < limit) return { end: lineStart, bodyStart: lineStart + 2 };
		const lf = raw.indexOf(0x0a, lineStart);
		if (lf === -1 || lf >= limit) break;
		lineStart = lf + 1;
	}
	return { end: limit, bodyStart: limit };
}

/**
 * The fields of a header block, in order. Unfolding is RFC 5322 §2.2.3's: the line break before a continuation
 * line is removed and its whitespace kept; the value is trimmed only at its ends. So `Subject:\r\n =?utf-8?b?…?=`
 * (how Python's email package, and so Django, folds a long Korean subject) is `=?utf-8?b?…?=`, without a space
 * in front that the unfolding itself would have invented.
 */
export function unfoldHeaders(text: string): HeaderField[] {
	const fields: HeaderField[] = [];
	for (const line of text.split(/\r?\n/)) {
		if (line === '') continue;
		const last = fields.at(-1);
		if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
			last.value += line;
			continue;
		}
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		fields.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1) });
	}
	for (const field of fields) field.value = field.value.trim();
	return fields;
}
