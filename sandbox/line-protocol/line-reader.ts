/**
 * Turns the bytes a POP3 or IMAP client sends into command lines. Lines end in CRLF (a bare LF is
 * accepted too, as most servers do); each is handed over as a latin1 string so every byte survives and
 * the protocol code decides what is text. IMAP literals (`{n}` then n raw bytes) are read with
 * `expectBytes`, which the IMAP code calls from inside its line handler.
 */

export type ReaderItem =
	| { kind: 'line'; line: string }
	| { kind: 'bytes'; data: Buffer }
	/** A line grew past the limit; its bytes up to the next line end are dropped. */
	| { kind: 'overflow' };

export class LineReader {
	#buffer: Buffer = Buffer.alloc(0);
	#maxLineBytes: number;
	#onItem: (item: ReaderItem) => void;
	#discardingLongLine = false;
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
		this.#discardingLongLine = false;
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
				if (this.#buffer.length > this.#maxLineBytes) {
					if (!this.#discardingLongLine) this.#onItem({ kind: 'overflow' });
					this.#discardingLongLine = true;
					this.#buffer = Buffer.alloc(0);
				}
				return;
			}
			const end = lf > 0 && this.#buffer[lf - 1] === 0x0d ? lf - 1 : lf;
			const line = this.#buffer.subarray(0, end);
			this.#buffer = this.#buffer.subarray(lf + 1);
			if (this.#discardingLongLine) {
				this.#discardingLongLine = false;
				continue;
			}
			if (line.length > this.#maxLineBytes) {
				this.#onItem({ kind: 'overflow' });
				continue;
			}
			this.#onItem({ kind: 'line', line: line.toString('latin1') });
		}
	}
}
