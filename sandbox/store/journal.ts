/**
 * An append-only journal of records in numbered segment files (`<data>/journal/00000001.log`, …), with
 * group commit: records that arrive while a write + fdatasync is in flight are written together in the
 * next one, so a burst of N messages costs one sync instead of N (the store's hot path: one syscall pair
 * per batch, not four fsyncs per message).
 *
 * Record layout (little-endian), 17-byte header then two payloads:
 *
 *   magic u32 'PLJ1' | type u8 | metaLength u32 | bodyLength u32 | crc32 u32 | meta (JSON) | body (bytes)
 *
 * The CRC covers type, both lengths, meta and body. On open every segment is read through; the first
 * record that is short, has a wrong magic, impossible lengths or a wrong CRC ends its segment. In the
 * newest segment that is the torn tail of a crash and is cut off (ftruncate), so new records follow the
 * last good one; in an older segment the rest is skipped and reported. A bad record is never served.
 *
 * Preallocation: a batch that would grow the file also writes zeros for the next PREALLOCATE_BYTES, in
 * the same write and sync. The batches after it overwrite those zeros without changing the file's size,
 * so their fdatasync flushes data only, with no filesystem journal commit for the size (on ext4 that is
 * one device flush instead of two). A zero where a record header should be is the clean end of a segment.
 *
 * The journal knows nothing of messages: the store gives records their meaning, decides what is live,
 * and drives compaction through `oldestSegment`, `append` and `dropSegment`.
 */
import { close, closeSync, constants, fdatasync, fstatSync, fsync, ftruncate, ftruncateSync, mkdirSync, open, openSync, read, readdirSync, readSync, writev } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { errorMessage } from '../error-text.ts';
import type { JournalDamage, StoreWarn } from './store-warning.ts';

// Plain file descriptors, not FileHandle objects: a store that a test (or a crashing caller) never closes
// must not turn into "FileHandle closed during garbage collection" errors in an unrelated place.
const openFd = promisify(open);
const closeFd = promisify(close);
const readFd = promisify(read);
const writevFd = promisify(writev);
const datasyncFd = promisify(fdatasync);
const fsyncFd = promisify(fsync);
const truncateFd = promisify(ftruncate);
type Fd = number;

/** Shared zero padding for preallocation, made on first use. */
let zeros: Buffer | null = null;
const MAGIC = 0x314a4c50; // 'PLJ1' read as little-endian u32
const HEADER_BYTES = 17;
/** `readMeta` reads a body up to this size along, to check the record's CRC; bigger bodies are checked by `readBody`. */
const VERIFY_META_BODY_BYTES = 64 * 1024;
/** A new segment is started once the active one passes this size; compaction works a segment at a time. */
export const SEGMENT_BYTES = 32 * 1024 * 1024;
/** Sanity limits: lengths beyond these can only be garbage (the SMTP size limit is far lower). */
const MAX_META_BYTES = 64 * 1024 * 1024;
const MAX_BODY_BYTES = 1024 * 1024 * 1024;
/** Zeros written ahead of the records, see above. */
const PREALLOCATE_BYTES = 2 * 1024 * 1024;
/** Batches this big or bigger just append. */
const PREALLOCATE_MAX_BATCH = 256 * 1024;
/** Reads during the start-up scan go in chunks of this size, so a large message never needs one big buffer. */
const SCAN_CHUNK = 1024 * 1024;
/** `bodyChunks` reads this much at a time. */
const STREAM_CHUNK = 256 * 1024;
/** A dropped segment's file handle stays open this long, for reads that started before the drop. */
const DROP_GRACE_MS = 10_000;

/** Where a record lives: enough to read its meta or its body back with one positional read. */
export interface RecordLocation {
	segment: number;
	/** Offset of the record's header in the segment. */
	offset: number;
	/** Header + meta + body. */
	length: number;
	metaLength: number;
	bodyLength: number;
}

export interface ScannedRecord<M> {
	type: number;
	meta: M;
	location: RecordLocation;
}

export type Durability =
	/** Resolves only after the record is written and fdatasynced: survives a power cut. */
	| 'sync'
	/**
	 * Written in the next batch; synced with it when it holds a `sync` record, else left to the kernel.
	 * Survives a process crash (kill -9: the page cache is kept), may be lost on a power cut.
	 */
	| 'lazy';

interface Pending {
	header: Buffer;
	meta: Buffer;
	body: Buffer | null;
	durability: Durability;
	resolve: (location: RecordLocation) => void;
	reject: (error: unknown) => void;
}

interface Segment {
	id: number;
	path: string;
	handle: Fd | null;
	/** End of the last good record: where the next one goes. */
	size: number;
	/** Bytes in the file; past `size` they are zeros. */
	allocated: number;
}

export interface JournalOpenOptions<M> {
	dir: string;
	/** Called for every good record, in order, while the journal opens. */
	onRecord: (record: ScannedRecord<M>) => void;
	warn: StoreWarn;
	/** Defaults to SEGMENT_BYTES. */
	segmentBytes?: number;
}

export class Journal {
	readonly dir: string;
	readonly #segmentBytes: number;
	readonly #segments = new Map<number, Segment>();
	/** Handles of dropped segments, kept open briefly for reads that started before the drop. */
	readonly #retired = new Map<number, Fd>();
	#active: Segment;
	#queue: Pending[] = [];
	#writing: Promise<void> | null = null;
	/** Set when a write failed and the file could not be put back: no more appends. */
	#broken: Error | null = null;
	#closed = false;

	readonly #warn: StoreWarn;

	private constructor(dir: string, active: Segment, segmentBytes: number, warn: StoreWarn) {
		this.dir = dir;
		this.#warn = warn;
		this.#segmentBytes = segmentBytes;
		this.#active = active;
	}

	/** Opens the journal in `dir` (created if missing), replaying every good record through `onRecord`. */
	static async open<M>(options: JournalOpenOptions<M>): Promise<Journal> {
		mkdirSync(options.dir, { recursive: true });
		const ids = readdirSync(options.dir)
			.map((name) => /^(\d{8})\.log$/.exec(name))
			.filter((match): match is RegExpExecArray => match !== null)
			.map((match) => Number(match[1]))
			.sort((a, b) => a - b);
		const segments: Segment[] = [];
		for (const [index, id] of ids.entries()) {
			const path = segmentPath(options.dir, id);
			const { size, allocated } = scanSegment(path, id, index === ids.length - 1, options);
			segments.push({ id, path, handle: null, size, allocated });
		}
		if (segments.length === 0) segments.push({ id: 1, path: segmentPath(options.dir, 1), handle: null, size: 0, allocated: 0 });
		const journal = new Journal(options.dir, segments.at(-1)!, options.segmentBytes ?? SEGMENT_BYTES, options.warn);
		for (const segment of segments) {
			// Read-write without O_APPEND, created if missing: writes go to the journal's own offsets.
			segment.handle = await openFd(segment.path, constants.O_RDWR | constants.O_CREAT, 0o600);
			journal.#segments.set(segment.id, segment);
		}
		if (ids.length === 0) await syncDir(options.dir);
		return journal;
	}

	/** Segment ids, oldest first. */
	get segmentIds(): number[] {
		return [...this.#segments.keys()].sort((a, b) => a - b);
	}

	get activeSegment(): number {
		return this.#active.id;
	}

	segmentSize(id: number): number {
		return this.#segments.get(id)?.size ?? 0;
	}

	/** Path of a segment file, for streaming a byte range of it. */
	segmentPath(id: number): string {
		return segmentPath(this.dir, id);
	}

	/** Appends one record; resolves with its location once it is written (and synced, for `sync`). */
	append(type: number, meta: unknown, body: Buffer | null, durability: Durability): Promise<RecordLocation> {
		if (this.#closed) return Promise.reject(new Error('The journal is closed.'));
		if (this.#broken) return Promise.reject(this.#broken);
		const metaBytes = Buffer.from(JSON.stringify(meta));
		const header = Buffer.allocUnsafe(HEADER_BYTES);
		header.writeUInt32LE(MAGIC, 0);
		header.writeUInt8(type, 4);
		header.writeUInt32LE(metaBytes.length, 5);
		header.writeUInt32LE(body?.length ?? 0, 9);
		let crc = crc32(header.subarray(4, 13));
		crc = crc32(metaBytes, crc);
		if (body) crc = crc32(body, crc);
		header.writeUInt32LE(crc >>> 0, 13);
		return new Promise((resolve, reject) => {
			this.#queue.push({ header, meta: metaBytes, body, durability, resolve, reject });
			this.#writing ??= this.#drain();
		});
	}

	/** Resolves once everything appended so far is written and fdatasynced. */
	async barrier(): Promise<void> {
		if (this.#queue.length === 0 && this.#writing === null) return;
		await this.append(0, null, null, 'sync');
	}

	/** Ends the active segment; later records go to a new one. Used before compacting everything (clear). */
	async rotate(): Promise<void> {
		await this.barrier();
		if (this.#active.size > 0) await this.#startSegment();
	}

	/**
	 * A record's metadata, checked against what was written: its header, and its CRC when the body is small
	 * enough to read along (most mail); for a bigger body the CRC is checked by `readBody`. Throws
	 * JournalCorruptError when the bytes on disk changed after they were written.
	 */
	async readMeta<M>(location: RecordLocation): Promise<M> {
		const withBody = location.bodyLength <= VERIFY_META_BODY_BYTES;
		const length = HEADER_BYTES + location.metaLength + (withBody ? location.bodyLength : 0);
		const bytes = await this.#read(location.segment, location.offset, length);
		checkRecord(bytes, location, withBody);
		try {
			return JSON.parse(bytes.toString('utf8', HEADER_BYTES, HEADER_BYTES + location.metaLength)) as M;
		} catch (error) {
			// JSON.parse throws only SyntaxError, and only for a big record whose CRC was not read along: the
			// JSON was whole when written, so the bytes changed since.
			if (!(error instanceof SyntaxError)) throw error;
			throw new JournalCorruptError(location, `holds metadata that is no longer JSON (${error.message})`);
		}
	}

	/** A record's body, its CRC checked; throws JournalCorruptError when the bytes on disk changed after they were written. */
	async readBody(location: RecordLocation): Promise<Buffer> {
		const bytes = await this.#read(location.segment, location.offset, location.length);
		checkRecord(bytes, location, true);
		return bytes.subarray(HEADER_BYTES + location.metaLength);
	}

	/**
	 * A record's body in chunks, for bodies too big to hold in memory at once. The header is checked before
	 * the first chunk and the CRC before the last: a body changed on disk ends the iteration with
	 * JournalCorruptError, short of its length.
	 * Reads go through the journal's own descriptors, so compaction dropping the segment meanwhile is harmless.
	 */
	async *bodyChunks(location: RecordLocation): AsyncGenerator<Buffer> {
		const head = await this.#read(location.segment, location.offset, HEADER_BYTES + location.metaLength);
		checkRecord(head, location, false);
		let crc = crc32(head.subarray(HEADER_BYTES), crc32(head.subarray(4, 13)));
		const start = location.offset + HEADER_BYTES + location.metaLength;
		// The last chunk is held back until the CRC is known, so a reader never gets the whole body of a bad record.
		let held: Buffer | null = null;
		for (let done = 0; done < location.bodyLength; ) {
			const chunk = await this.#read(location.segment, start + done, Math.min(STREAM_CHUNK, location.bodyLength - done));
			crc = crc32(chunk, crc);
			done += chunk.length;
			if (held) yield held;
			held = chunk;
		}
		if (crc >>> 0 !== head.readUInt32LE(13)) throw new JournalCorruptError(location, 'fails its checksum');
		if (held) yield held;
	}

	/**
	 * Deletes a whole segment. The caller has copied what is still live in it and waited for `barrier`,
	 * so the copies are durable before the originals go.
	 */
	async dropSegment(id: number): Promise<void> {
		const segment = this.#segments.get(id);
		if (!segment || segment === this.#active) return;
		this.#segments.delete(id);
		await unlink(segment.path);
		await syncDir(this.dir);
		const handle = segment.handle;
		if (handle === null) return;
		// Reads already under way on this segment finish on the open handle (the inode lives until it closes).
		this.#retired.set(id, handle);
		setTimeout(() => {
			// Gone from the map: close() has closed it already, and its number may belong to another file by now.
			if (this.#retired.get(id) !== handle) return;
			this.#retired.delete(id);
			this.#closeQuietly(handle, 'log.store.droppedSegmentCloseFailed', id);
		}, DROP_GRACE_MS).unref();
	}

	async close(): Promise<void> {
		this.#closed = true;
		while (this.#writing) await this.#writing;
		const closing: Array<Promise<void>> = [];
		for (const segment of this.#segments.values()) if (segment.handle !== null) closing.push(this.#closeQuietly(segment.handle, 'log.store.segmentCloseFailed', segment.id));
		for (const [id, handle] of this.#retired) closing.push(this.#closeQuietly(handle, 'log.store.droppedSegmentCloseFailed', id));
		this.#segments.clear();
		this.#retired.clear();
		await Promise.all(closing);
	}

	/**
	 * Closes a file the journal only reads from now (everything written was synced before): a failing close
	 * (EIO on some filesystems) loses nothing, so it is reported and the other files are still closed.
	 */
	async #closeQuietly(handle: Fd, key: 'log.store.segmentCloseFailed' | 'log.store.droppedSegmentCloseFailed', segment: number): Promise<void> {
		try {
			await closeFd(handle);
		} catch (error) {
			this.#warn(key, { segment, reason: errorMessage(error) });
		}
	}

	async #read(segmentId: number, position: number, length: number): Promise<Buffer> {
		const handle = this.#segments.get(segmentId)?.handle ?? this.#retired.get(segmentId);
		if (handle === undefined || handle === null) throw new Error(`Journal segment ${segmentId} is gone.`);
		const buffer = Buffer.allocUnsafe(length);
		let done = 0;
		while (done < length) {
			const { bytesRead } = await readFd(handle, buffer, done, length - done, position + done);
			if (bytesRead === 0) throw new Error(`Journal segment ${segmentId} ends early.`);
			done += bytesRead;
		}
		return buffer;
	}

	/** The group-commit loop: one write + one fdatasync per batch of whatever queued meanwhile. */
	async #drain(): Promise<void> {
		try {
			while (this.#queue.length > 0) {
				const batch = this.#queue;
				this.#queue = [];
				try {
					await this.#writeBatch(batch);
				} catch (error) {
					for (const pending of batch) pending.reject(error);
				}
			}
		} finally {
			this.#writing = null;
		}
	}

	async #writeBatch(batch: Pending[]): Promise<void> {
		if (this.#active.size >= this.#segmentBytes) await this.#startSegment();
		const segment = this.#active;
		const handle = segment.handle as Fd;
		const start = segment.size;
		const buffers: Buffer[] = [];
		const locations: RecordLocation[] = [];
		let position = start;
		let sync = false;
		let batchBytes = 0;
		for (const pending of batch) {
			const metaLength = pending.meta.length;
			const bodyLength = pending.body?.length ?? 0;
			const length = HEADER_BYTES + metaLength + bodyLength;
			locations.push({ segment: segment.id, offset: position, length, metaLength, bodyLength });
			buffers.push(pending.header, pending.meta);
			if (pending.body && bodyLength > 0) buffers.push(pending.body);
			position += length;
			batchBytes += length;
			if (pending.durability === 'sync') sync = true;
		}
		let allocated = Math.max(segment.allocated, position);
		// Big batches (large messages) just append: their data write costs more than the size commit, and
		// writing zeros ahead of them would double the bytes written.
		if (position > segment.allocated && batchBytes < PREALLOCATE_MAX_BATCH) {
			zeros ??= Buffer.alloc(PREALLOCATE_BYTES);
			buffers.push(zeros);
			allocated = position + zeros.length;
		}
		try {
			await writeAll(handle, buffers, start);
			if (sync) await datasyncFd(handle);
		} catch (error) {
			// Put the file back as it was, so the next batch does not follow a torn record.
			try {
				await truncateFd(handle, start);
				segment.allocated = start;
			} catch (repairError) {
				// Every later batch would follow a torn record: the journal refuses writes from now on.
				this.#broken = new Error(`The journal could not be written (${String(error)}) and could not be repaired (${String(repairError)})`);
			}
			throw error;
		}
		segment.size = position;
		segment.allocated = allocated;
		batch.forEach((pending, index) => pending.resolve(locations[index]!));
	}

	async #startSegment(): Promise<void> {
		const previous = this.#active;
		// The finished segment gives back its unused zeros (not synced: a crash leaves zeros, which read as its end).
		if (previous.handle !== null && previous.allocated > previous.size) {
			try {
				await truncateFd(previous.handle, previous.size);
			} catch (error) {
				// The zeros stay: they read as the segment's clean end, so only the space is lost.
				this.#warn('log.store.preallocatedKept', { segment: previous.id, bytes: previous.allocated - previous.size, reason: errorMessage(error) });
			}
			previous.allocated = previous.size;
		}
		const id = previous.id + 1;
		const path = segmentPath(this.dir, id);
		const handle = await openFd(path, constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC, 0o600);
		// The new file's directory entry must be durable before records in it are acknowledged.
		await syncDir(this.dir);
		const segment: Segment = { id, path, handle, size: 0, allocated: 0 };
		this.#segments.set(id, segment);
		this.#active = segment;
	}
}

async function writeAll(handle: Fd, buffers: Buffer[], position: number): Promise<void> {
	let remaining = buffers;
	let at = position;
	while (remaining.length > 0) {
		const { bytesWritten } = await writevFd(handle, remaining, at);
		at += bytesWritten;
		// Partial writev (rare, large batches): skip what went out and continue.
		let skip = bytesWritten;
		const next: Buffer[] = [];
		for (const buffer of remaining) {
			if (skip >= buffer.length) {
				skip -= buffer.length;
				continue;
			}
			next.push(skip > 0 ? buffer.subarray(skip) : buffer);
			skip = 0;
		}
		remaining = next;
	}
}

/**
 * A record read back is not what was written there: the file changed after it was written (a disk fault, an
 * edit by hand). The message names the place, never the record's content.
 */
export class JournalCorruptError extends Error {
	constructor(location: RecordLocation, what: string) {
		super(`Journal segment ${location.segment}: the record at byte ${location.offset} ${what}.`);
		this.name = 'JournalCorruptError';
	}
}

/** Checks a record read back (header, and the CRC when `whole`) against where the store believes it is. */
function checkRecord(bytes: Buffer, location: RecordLocation, whole: boolean): void {
	if (bytes.readUInt32LE(0) !== MAGIC || bytes.readUInt32LE(5) !== location.metaLength || bytes.readUInt32LE(9) !== location.bodyLength) {
		throw new JournalCorruptError(location, 'no longer has the header it was written with');
	}
	if (!whole) return;
	let crc = crc32(bytes.subarray(4, 13));
	crc = crc32(bytes.subarray(HEADER_BYTES), crc);
	if (crc >>> 0 !== bytes.readUInt32LE(13)) throw new JournalCorruptError(location, 'fails its checksum');
}

/**
 * Reads a segment record by record, verifying each CRC; returns the length of its good prefix and the
 * file's size. Zeros after that prefix are preallocated space; anything else is a torn write, cut off
 * in the newest segment (which is appended to next) and skipped in older ones.
 */
function scanSegment<M>(path: string, id: number, newest: boolean, options: JournalOpenOptions<M>): { size: number; allocated: number } {
	const fd = openSync(path, 'r+');
	try {
		const size = fstatSync(fd).size;
		const header = Buffer.alloc(HEADER_BYTES);
		let offset = 0;
		let problem: JournalDamage | null = null;
		while (offset < size) {
			if (size - offset < HEADER_BYTES) {
				problem = 'headerCutShort';
				break;
			}
			readFully(fd, header, offset);
			const magic = header.readUInt32LE(0);
			if (magic === 0 && allZero(fd, offset, size)) break;
			const type = header.readUInt8(4);
			const metaLength = header.readUInt32LE(5);
			const bodyLength = header.readUInt32LE(9);
			const expected = header.readUInt32LE(13);
			if (magic !== MAGIC || metaLength > MAX_META_BYTES || bodyLength > MAX_BODY_BYTES) {
				problem = 'badHeader';
				break;
			}
			const length = HEADER_BYTES + metaLength + bodyLength;
			if (offset + length > size) {
				problem = 'cutShort';
				break;
			}
			let crc = crc32(header.subarray(4, 13));
			const meta = Buffer.allocUnsafe(metaLength);
			readFully(fd, meta, offset + HEADER_BYTES);
			crc = crc32(meta, crc);
			// The body is only checked, never kept: it is read again when someone opens the message.
			const chunk = Buffer.allocUnsafe(Math.min(SCAN_CHUNK, Math.max(1, bodyLength)));
			for (let done = 0; done < bodyLength; ) {
				const part = chunk.subarray(0, Math.min(chunk.length, bodyLength - done));
				readFully(fd, part, offset + HEADER_BYTES + metaLength + done);
				crc = crc32(part, crc);
				done += part.length;
			}
			if (crc >>> 0 !== expected) {
				problem = 'badChecksum';
				break;
			}
			if (type !== 0) {
				let parsed: M;
				try {
					parsed = JSON.parse(meta.toString('utf8')) as M;
				} catch {
					problem = 'badMetadata';
					break;
				}
				options.onRecord({ type, meta: parsed, location: { segment: id, offset, length, metaLength, bodyLength } });
			}
			offset += length;
		}
		if (problem && size - offset < HEADER_BYTES && allZero(fd, offset, size)) problem = null;
		if (problem) {
			if (newest) {
				options.warn(`log.store.journal.${problem}.removed`, { segment: id, offset, bytes: size - offset });
				ftruncateSync(fd, offset);
				return { size: offset, allocated: offset };
			}
			options.warn(`log.store.journal.${problem}.skipped`, { segment: id, offset, bytes: size - offset });
			return { size: offset, allocated: size };
		}
		return { size: offset, allocated: size };
	} finally {
		closeSync(fd);
	}
}

/** True when the file holds only zero bytes from `start` to `end` (preallocated, never written). */
function allZero(fd: number, start: number, end: number): boolean {
	const chunk = Buffer.allocUnsafe(Math.min(SCAN_CHUNK, Math.max(1, end - start)));
	for (let at = start; at < end; ) {
		const part = chunk.subarray(0, Math.min(chunk.length, end - at));
		readFully(fd, part, at);
		for (let i = 0; i < part.length; i += 1) if (part[i] !== 0) return false;
		at += part.length;
	}
	return true;
}

function readFully(fd: number, buffer: Buffer, position: number): void {
	let done = 0;
	while (done < buffer.length) {
		const read = readSync(fd, buffer, done, buffer.length - done, position + done);
		if (read === 0) throw new Error('unexpected end of file');
		done += read;
	}
}

function segmentPath(dir: string, id: number): string {
	return join(dir, `${String(id).padStart(8, '0')}.log`);
}

async function syncDir(dir: string): Promise<void> {
	const handle = await openFd(dir, constants.O_RDONLY);
	try {
		await fsyncFd(handle);
	} finally {
		await closeFd(handle);
	}
}
