/**
 * Parses one IMAP command (RFC 3501 §9) into a tag, a command name and argument tokens. The input is
 * the whole command as it came off the wire, literals included (`{n}\r\n` followed by n bytes), held as
 * a latin1 string so every byte is kept. Fetch attributes like `BODY.PEEK[HEADER.FIELDS (A B)]<0.100>`
 * come out as one atom: their brackets may hold spaces and parentheses.
 */

export type ImapToken =
	| { type: 'atom'; value: string }
	| { type: 'string'; value: string; literal: boolean }
	| { type: 'list'; items: ImapToken[] };

export interface ImapCommand {
	tag: string;
	/** Upper-cased; `UID FETCH` etc. keep the UID prefix. */
	name: string;
	args: ImapToken[];
}

export class ImapSyntaxError extends Error {}

/**
 * RFC 9051 tag: any ASTRING-CHAR except "+". ASTRING-CHARs are 7-bit printable characters other than the
 * atom-specials, with "]" allowed back in.
 */
const TAG = /^[\x21-\x7e]+$/;
const TAG_SPECIALS = /[(){%*"\\+]/;
/** Nested parentheses deeper than this are garbage, not a command; recursion must stay bounded. */
const MAX_LIST_DEPTH = 16;

export function parseCommandTag(text: string): string | null {
	const space = text.indexOf(' ');
	const tag = space === -1 ? text : text.slice(0, space);
	return TAG.test(tag) && !TAG_SPECIALS.test(tag) ? tag : null;
}

/**
 * The literal a command line announces at its end (`{n}` or RFC 7888's non-synchronising `{n+}`), or null when
 * the line ends the command. Any number of digits: a size too large to read is still a literal, for the caller
 * to refuse. Taken for a line end, its bytes would be read as the next commands; RFC 2088 §3 (kept by RFC 7888)
 * has the server check the end of every line for exactly this.
 */
export function announcedLiteral(line: string): { size: number; synchronising: boolean } | null {
	const match = /\{(\d+)(\+?)\}$/.exec(line);
	if (!match) return null;
	return { size: Number(match[1]), synchronising: match[2] !== '+' };
}

export function parseCommand(text: string): ImapCommand {
	const tag = parseCommandTag(text);
	if (tag === null) throw new ImapSyntaxError('Missing or invalid tag');
	const tokens = new Tokenizer(text, tag.length + 1).all();
	const first = tokens.shift();
	if (!first || first.type !== 'atom') throw new ImapSyntaxError('Missing command');
	let name = first.value.toUpperCase();
	if (name === 'UID') {
		const second = tokens.shift();
		if (!second || second.type !== 'atom') throw new ImapSyntaxError('UID needs a command');
		name = `UID ${second.value.toUpperCase()}`;
	}
	return { tag, name, args: tokens };
}

class Tokenizer {
	#text: string;
	#pos: number;

	constructor(text: string, pos: number) {
		this.#text = text;
		this.#pos = pos;
	}

	all(): ImapToken[] {
		const tokens = this.#sequence(0);
		if (this.#pos < this.#text.length) throw new ImapSyntaxError('Unexpected ")"');
		return tokens;
	}

	#sequence(depth: number): ImapToken[] {
		const tokens: ImapToken[] = [];
		for (;;) {
			while (this.#text[this.#pos] === ' ') this.#pos += 1;
			const c = this.#text[this.#pos];
			if (c === undefined || c === ')') return tokens;
			if (c === '(') {
				if (depth >= MAX_LIST_DEPTH) throw new ImapSyntaxError('Lists nested too deeply');
				this.#pos += 1;
				const items = this.#sequence(depth + 1);
				if (this.#text[this.#pos] !== ')') throw new ImapSyntaxError('Missing ")"');
				this.#pos += 1;
				tokens.push({ type: 'list', items });
			} else if (c === '"') {
				tokens.push(this.#quoted());
			} else if (c === '{') {
				tokens.push(this.#literal());
			} else {
				tokens.push(this.#atom());
			}
			// Arguments are separated by SP (RFC 9051 §9): `"u""p"` or `{1}\r\nuv` is not two arguments.
			const next = this.#text[this.#pos];
			if (next !== undefined && next !== ' ' && next !== ')') throw new ImapSyntaxError('Expected a space between arguments');
		}
	}

	#quoted(): ImapToken {
		let value = '';
		for (let i = this.#pos + 1; i < this.#text.length; i += 1) {
			const c = this.#text[i];
			if (c === '\\') {
				i += 1;
				const escaped = this.#text[i];
				// quoted-specials are the only escapes (RFC 9051 §9); "\n" is not a newline, it is an error.
				if (escaped !== '"' && escaped !== '\\') throw new ImapSyntaxError('Bad escape in a quoted string: only \\" and \\\\ are allowed');
				value += escaped;
			} else if (c === '"') {
				this.#pos = i + 1;
				return { type: 'string', value, literal: false };
			} else if (c === '\r' || c === '\n') {
				break;
			} else if (c === '\0') {
				throw new ImapSyntaxError('NUL is not allowed in a quoted string');
			} else {
				value += c;
			}
		}
		throw new ImapSyntaxError('Unterminated quoted string');
	}

	#literal(): ImapToken {
		// As many digits as announcedLiteral took, so every literal the session reads is read here too.
		const announcement = /\{(\d+)\+?\}\r\n/y;
		announcement.lastIndex = this.#pos;
		const match = announcement.exec(this.#text);
		if (!match) throw new ImapSyntaxError('Bad literal');
		const start = this.#pos + match[0].length;
		const length = Number(match[1]);
		if (start + length > this.#text.length) throw new ImapSyntaxError('Literal shorter than announced');
		const value = this.#text.slice(start, start + length);
		// CHAR8 is %x01-FF (RFC 9051 §9): NUL needs BINARY's literal8, which this server does not offer.
		if (value.includes('\0')) throw new ImapSyntaxError('NUL is not allowed in a literal');
		this.#pos = start + length;
		return { type: 'string', value, literal: true };
	}

	#atom(): ImapToken {
		const start = this.#pos;
		let value = '';
		let brackets = 0;
		while (this.#pos < this.#text.length) {
			const c = this.#text[this.#pos] ?? '';
			if (brackets === 0 && (c === ' ' || c === '(' || c === ')')) break;
			if (brackets > 0 && (c === '"' || c === '{')) {
				value += `"${this.#headerFieldName()}"`;
				continue;
			}
			// CTLs are atom-specials (RFC 9051 §9). ATOM-CHARs are 7-bit too, yet 8-bit bytes are let through:
			// learners type Korean search words by hand after SEARCH SUBJECT, and they read fine as the UTF-8 they are.
			const code = c.charCodeAt(0);
			if (code < 0x20 || code === 0x7f) throw new ImapSyntaxError(`Unexpected control character in "${shown(this.#text.slice(start, this.#pos + 1))}"`);
			// A backslash only begins a flag (\Seen); elsewhere it is a quoted-special, not an ATOM-CHAR.
			const misplacedBackslash = c === '\\' && this.#pos !== start;
			if (c === '"' || c === '{' || misplacedBackslash) throw new ImapSyntaxError(`Unexpected character in "${shown(this.#text.slice(start, this.#pos + 1))}"`);
			if (c === '[') brackets += 1;
			else if (c === ']') brackets = Math.max(0, brackets - 1);
			value += c;
			this.#pos += 1;
		}
		if (brackets > 0) throw new ImapSyntaxError('Missing "]"');
		if (value === '') throw new ImapSyntaxError('Empty atom');
		return { type: 'atom', value };
	}

	/**
	 * A header name given as a string inside a section, `HEADER.FIELDS ("Subject" {4}\r\nFrom)` (header-fld-name
	 * is an astring). It joins the atom quoted, so the FETCH code reads one spelling whatever the client sent.
	 */
	#headerFieldName(): string {
		const token = this.#text[this.#pos] === '"' ? this.#quoted() : this.#literal();
		const name = tokenText(token) ?? '';
		// RFC 5322 ftext, less the characters that delimit the section itself.
		if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name) || /["()[\]\\]/.test(name)) throw new ImapSyntaxError('Bad header field name in a section');
		return name;
	}
}

/** Input quoted in an error message, which becomes a response line: printable, and only the end near the error. */
function shown(text: string): string {
	const printable = text.replace(/[^\x20-\x7e]/g, '?');
	return printable.length > 40 ? `...${printable.slice(-40)}` : printable;
}

/** The text of an atom or string (astring), or null for a list. */
export function tokenText(token: ImapToken | undefined): string | null {
	if (!token || token.type === 'list') return null;
	return token.value;
}
