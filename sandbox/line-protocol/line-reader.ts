/**
 * Turns the bytes a POP3 or IMAP client sends into command lines. Lines end in CRLF (a bare LF is
 * accepted too, as most servers do); each is handed over as a latin1 string so every byte survives and
 * the protocol code decides what is text. IMAP literals (`{n}` then n raw bytes) are read with
 * `expectBytes`, which the IMAP code calls from inside its line handler.
 */

export type ReaderItem =
	| { kind: 'line'; line: string }
	| { kind: 'bytes'; data: Buffer }
	/**
	 * A line grew past the limit; its bytes up to the line end are dropped, and this comes when the line ends.
	 * Its first and last few bytes are kept: the tag to answer, and whether it announced an IMAP literal whose
	 * bytes follow.
	 */
	| { kind: 'overflow'; head: string; tail: string };

/** Bytes kept of a dropped line's start (a tag is at most this long here) and of its end (`{4294967295+}`). */
const HEAD_BYTES = 64;
const TAIL_BYTES = 32;

function lastBytes(bytes: Buffer, count: number): Buffer {
	return bytes.length <= count ? bytes : bytes.subarray(bytes.length - count);
}

export class LineReader {
	#buffer: Buffer = Buffer.alloc(0);
	#maxLineBytes: number;
	#onItem: (item: ReaderItem) => void;
	/** While a too-long line is being dropped: its first bytes and its latest bytes (copies, so chunks can go). */
	#dropped: { head: Buffer; tail: Buffer } | null = null;
	#bytesWanted = 0;

	constructor(maxLineBytes: number, onItem: (item: ReaderItem) => void) {
		this.#maxLineBytes = maxLineBytes;
		this.#onItem = onItem;
	}

	/** The next `count` bytes are data, not lines (an IMAP literal). */
	expectBytes(count: number): void {
		this.#bytesWanted = count;
	}

	/** Drops everything received but not yet handed over (after STLS/STARTTLS, RFC 3207 §4.2 style). */
	discardBuffered(): void {
		this.#buffer = Buffer.alloc(0);
		this.#bytesWanted = 0;
		this.#dropped = null;
	}

	push(chunk: Buffer): void {
		this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
		for (;;) {
			if (this.#bytesWanted > 0) {
				if (this.#buffer.length < this.#bytesWanted) return;
				const data = this.#buffer.subarray(0, this.#bytesWanted);
				this.#buffer = this.#buffer.subarray(this.#bytesWanted);
				this.#bytesWanted = 0;
				this.#onItem({ kind: 'bytes', data });
				continue;
			}
			const lf = this.#buffer.indexOf(0x0a);
			if (lf === -1) {
				if (this.#dropped || this.#buffer.length > this.#maxLineBytes) {
					this.#drop(this.#buffer);
					this.#buffer = Buffer.alloc(0);
				}
				return;
			}
			const end = lf > 0 && this.#buffer[lf - 1] === 0x0d ? lf - 1 : lf;
			const line = this.#buffer.subarray(0, end);
			this.#buffer = this.#buffer.subarray(lf + 1);
			if (this.#dropped || line.length > this.#maxLineBytes) {
				this.#drop(line);
				const { head, tail } = this.#dropped!;
				this.#dropped = null;
				// A CR that ended an earlier chunk is the line end's, not the line's.
				const ended = tail.at(-1) === 0x0d ? tail.subarray(0, -1) : tail;
				this.#onItem({ kind: 'overflow', head: head.toString('latin1'), tail: lastBytes(ended, TAIL_BYTES).toString('latin1') });
				continue;
			}
			this.#onItem({ kind: 'line', line: line.toString('latin1') });
		}
	}

	/** Keeps what an overflow item will need of a line being dropped: its first and its last bytes. */
	#drop(bytes: Buffer): void {
		const before = this.#dropped?.head ?? Buffer.alloc(0);
		const head = before.length >= HEAD_BYTES ? before : Buffer.concat([before, bytes.subarray(0, HEAD_BYTES - before.length)]);
		const tail = Buffer.from(lastBytes(this.#dropped ? Buffer.concat([this.#dropped.tail, bytes]) : bytes, TAIL_BYTES + 1));
		this.#dropped = { head, tail };
	}
}
