/**
 * The sandbox's mailbox: every captured message, durable on disk (see message-files.ts), with only a
 * small summary per message in memory. Full parsing happens when a message is opened, through a small
 * cache. Every change is on disk before the matching event is emitted, and `add` resolves only once the
 * message is durable, so the SMTP server can answer 250 after it.
 *
 * Readers: the JSON API and inbox (newest first, paged, searched), POP3/IMAP (`listMailbox`, oldest first,
 * and `readRaw`), the forum (events).
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { EventBus } from '../events/event-bus.ts';
import { extractLinks } from '../mail/extract-links.ts';
import { sanitizeEmailHtml, type SanitizedHtml } from '../mail/sanitize-html.ts';
import { MessageFiles, MESSAGE_ID_PATTERN, type StoredMeta } from './message-files.ts';
import { ParseCache } from './parse-cache.ts';
import { addresses, attachmentInfo, decodedHeaders, parseFull, summarize, type FullParse } from './parse-message.ts';
import {
	DEFAULT_MAILBOX,
	type AttachmentInfo,
	type MessageDetail,
	type MessageSummary,
	type SessionFacts,
	type TranscriptEntry,
} from './types.ts';

export interface MailStoreOptions {
	dataDir: string;
	/** Retention: at most this many messages are kept; the oldest go first. */
	maxMessages: number;
	events: EventBus;
	/** URL of an attachment, used to point `cid:` images at it. Defaults to the JSON API's route. */
	attachmentUrl?: (id: string, index: number) => string;
	/** Where start-up problems (unreadable files) are reported. */
	warn?: (message: string) => void;
}

/** A message handed over by the SMTP server. */
export interface IncomingMail {
	raw: Buffer;
	session: SessionFacts;
	mailbox?: string;
	receivedAt?: Date;
}

export interface ListOptions {
	mailbox?: string;
	/** Offset into the newest-first list. */
	start?: number;
	limit?: number;
	/** Case-insensitive words matched against subject, sender, recipients and the preview text. */
	query?: string;
}

export interface ListPage {
	/** Matching messages in all, before paging. */
	total: number;
	start: number;
	messages: MessageSummary[];
}

export interface AttachmentContent {
	info: AttachmentInfo;
	content: Buffer;
}

/** The list API's cap on one page. */
export const MAX_PAGE = 500;
/** Parsed messages kept for re-opening: a few recent ones, and never more than this many raw bytes. */
const PARSE_CACHE_ENTRIES = 16;
const PARSE_CACHE_BYTES = 64 * 1024 * 1024;

export class MailStore {
	readonly files: MessageFiles;
	readonly #options: MailStoreOptions;
	readonly #events: EventBus;
	/** Ids in arrival order (ids sort by time). */
	readonly #order: string[] = [];
	readonly #summaries = new Map<string, MessageSummary>();
	readonly #cache = new ParseCache<FullParse>(PARSE_CACHE_ENTRIES, PARSE_CACHE_BYTES);
	/** Per-message chain of metadata writes, so a read flag and a transcript update never overwrite each other. */
	readonly #locks = new Map<string, Promise<unknown>>();
	readonly #pending = new Set<Promise<unknown>>();
	#lastMs = 0;
	#sequence = 0;
	#closed = false;

	private constructor(options: MailStoreOptions) {
		this.#options = options;
		this.#events = options.events;
		this.files = new MessageFiles(options.dataDir);
	}

	/** Opens (or creates) the store in `dataDir` and loads the index of what is there. */
	static async open(options: MailStoreOptions): Promise<MailStore> {
		const store = new MailStore(options);
		await store.#load();
		return store;
	}

	get count(): number {
		return this.#order.length;
	}

	get maxMessages(): number {
		return this.#options.maxMessages;
	}

	/**
	 * Stores a message durably and announces it. Resolves with its summary once `.eml` and metadata are
	 * fsynced; only then may the SMTP server reply 250.
	 */
	add(mail: IncomingMail): Promise<MessageSummary> {
		return this.#track(this.#add(mail));
	}

	/** Newest first, optionally searched and filtered by mailbox. */
	list(options: ListOptions = {}): ListPage {
		const start = Math.max(0, Math.floor(options.start ?? 0));
		const limit = Math.min(MAX_PAGE, Math.max(0, Math.floor(options.limit ?? 50)));
		const words = (options.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
		const messages: MessageSummary[] = [];
		let total = 0;
		for (let i = this.#order.length - 1; i >= 0; i -= 1) {
			const summary = this.#summaries.get(this.#order[i]!)!;
			if (options.mailbox !== undefined && summary.mailbox !== options.mailbox) continue;
			if (words.length > 0 && !matches(summary, words)) continue;
			if (total >= start && messages.length < limit) messages.push(summary);
			total += 1;
		}
		return { total, start, messages };
	}

	/** One mailbox oldest first: the order POP3 numbers messages and IMAP assigns UIDs. */
	listMailbox(mailbox: string = DEFAULT_MAILBOX): MessageSummary[] {
		const out: MessageSummary[] = [];
		for (const id of this.#order) {
			const summary = this.#summaries.get(id)!;
			if (summary.mailbox === mailbox) out.push(summary);
		}
		return out;
	}

	getSummary(id: string): MessageSummary | null {
		return this.#summaries.get(id) ?? null;
	}

	/** The raw message exactly as received, or null when there is no such message. */
	async readRaw(id: string): Promise<Buffer | null> {
		if (!this.#summaries.has(id)) return null;
		try {
			return await this.files.readRaw(id);
		} catch {
			return null;
		}
	}

	/** Path of the stored `.eml` (for streaming large messages), or null. */
	rawPath(id: string): string | null {
		return this.#summaries.has(id) ? this.files.rawPath(id) : null;
	}

	/** Everything about one message: parsed parts, sanitised HTML, links, delivery facts and transcript. */
	async getDetail(id: string): Promise<MessageDetail | null> {
		const summary = this.#summaries.get(id);
		if (!summary) return null;
		const [meta, parsed] = await Promise.all([this.files.readMeta(id).catch(() => null), this.#parse(summary)]);
		if (!meta || !this.#summaries.has(id)) return null;
		const mail = parsed.mail;
		const attachments = mail ? attachmentInfo(mail) : [];
		const sanitized = mail?.html ? sanitizeEmailHtml(mail.html, { cidUrls: this.#cidUrls(id, attachments) }) : null;
		return {
			...summary,
			cc: addresses(mail?.cc),
			replyTo: mail?.replyTo ? addresses(mail.replyTo) : [],
			messageId: mail?.messageId ?? null,
			headers: mail ? decodedHeaders(mail) : [],
			text: mail?.text ?? null,
			html: sanitized?.html ?? null,
			remoteImages: sanitized?.remoteImages ?? 0,
			attachments,
			links: mail ? extractLinks(mail.html || null, mail.text ?? null) : [],
			session: meta.session,
			parseError: parsed.parseError ?? meta.parseError,
		};
	}

	/** The message's HTML, sanitised, for the inbox's sandboxed frame; null when there is none. */
	async renderHtml(id: string, options: { allowRemoteImages?: boolean } = {}): Promise<SanitizedHtml | null> {
		const summary = this.#summaries.get(id);
		if (!summary) return null;
		const { mail } = await this.#parse(summary);
		if (!mail?.html) return null;
		return sanitizeEmailHtml(mail.html, {
			cidUrls: this.#cidUrls(id, attachmentInfo(mail)),
			allowRemoteImages: options.allowRemoteImages ?? false,
		});
	}

	async getAttachment(id: string, index: number): Promise<AttachmentContent | null> {
		const summary = this.#summaries.get(id);
		if (!summary) return null;
		const { mail } = await this.#parse(summary);
		const attachment = mail?.attachments[index];
		if (!mail || !attachment) return null;
		return { info: attachmentInfo(mail)[index]!, content: attachment.content };
	}

	/** Sets the read flag; resolves with the new summary, or null for an unknown id. */
	markRead(id: string, read: boolean): Promise<MessageSummary | null> {
		return this.#track(
			this.#updateMeta(id, (meta) => {
				meta.summary.read = read;
			}),
		);
	}

	/**
	 * Replaces the stored transcript with the final one: the server learns the rest of the conversation
	 * (the 250 to DATA, QUIT) only after the message was stored.
	 */
	completeTranscript(id: string, transcript: TranscriptEntry[], storeMs?: number): Promise<MessageSummary | null> {
		return this.#track(
			this.#updateMeta(id, (meta) => {
				meta.session.transcript = transcript;
				if (storeMs !== undefined) meta.session.timings.storeMs = storeMs;
			}),
		);
	}

	/** Deletes one message; false when there was none. */
	delete(id: string): Promise<boolean> {
		return this.#track(this.#delete(id, 'deleted'));
	}

	/** Deletes every message of `mailbox`, or every message when it is omitted; resolves with how many. */
	clear(mailbox?: string): Promise<number> {
		return this.#track(this.#clear(mailbox));
	}

	/** Waits for writes in flight; later calls to `add` are refused. */
	async close(): Promise<void> {
		this.#closed = true;
		await Promise.allSettled([...this.#pending]);
		this.#cache.clear();
	}

	async #add(mail: IncomingMail): Promise<MessageSummary> {
		if (this.#closed) throw new Error('The mail store is closed.');
		const receivedAt = mail.receivedAt ?? new Date();
		const id = this.#nextId(receivedAt.getTime());
		const parsed = await summarize(mail.raw);
		const summary: MessageSummary = {
			id,
			mailbox: mail.mailbox ?? DEFAULT_MAILBOX,
			subject: parsed.subject,
			// Mail without From/To headers (a bare smtplib.sendmail) is listed by its envelope instead.
			from: parsed.from ?? (mail.session.envelope.mailFrom ? { name: '', address: mail.session.envelope.mailFrom } : null),
			to: parsed.to.length > 0 ? parsed.to : mail.session.envelope.rcptTo.map((address) => ({ name: '', address })),
			date: parsed.date ?? receivedAt.toISOString(),
			receivedAt: receivedAt.toISOString(),
			size: mail.raw.length,
			snippet: parsed.snippet,
			attachmentCount: parsed.attachmentCount,
			read: false,
			parsed: parsed.parseError === null,
		};
		await this.files.writeMessage(id, mail.raw, { version: 1, summary, session: mail.session, parseError: parsed.parseError });
		this.#insert(summary);
		this.#events.emit({ type: 'message', message: summary });
		await this.#enforceRetention();
		return summary;
	}

	async #updateMeta(id: string, change: (meta: StoredMeta) => void): Promise<MessageSummary | null> {
		return this.#withLock(id, async () => {
			if (!this.#summaries.has(id)) return null;
			const meta = await this.files.readMeta(id).catch(() => null);
			if (!meta) return null;
			change(meta);
			await this.files.writeMeta(meta);
			if (!this.#summaries.has(id)) {
				// Deleted while we wrote: do not resurrect its metadata.
				await this.files.remove(id);
				return null;
			}
			this.#summaries.set(id, meta.summary);
			this.#events.emit({ type: 'message-updated', message: meta.summary });
			return meta.summary;
		});
	}

	async #delete(id: string, reason: 'deleted' | 'retention'): Promise<boolean> {
		const summary = this.#summaries.get(id);
		if (!summary) return false;
		this.#forget(id);
		await this.#withLock(id, () => this.files.remove(id));
		this.#events.emit({ type: 'message-deleted', id, mailbox: summary.mailbox, reason });
		return true;
	}

	async #clear(mailbox?: string): Promise<number> {
		const ids = mailbox === undefined ? [...this.#order] : this.listMailbox(mailbox).map((summary) => summary.id);
		for (const id of ids) this.#forget(id);
		if (mailbox === undefined) {
			await Promise.allSettled([...this.#locks.values()]);
			await this.files.removeAll();
		} else {
			for (const id of ids) await this.#withLock(id, () => this.files.remove(id));
		}
		this.#events.emit({ type: 'mailbox-cleared', mailbox: mailbox ?? null });
		return ids.length;
	}

	async #enforceRetention(): Promise<void> {
		while (this.#order.length > this.#options.maxMessages) {
			await this.#delete(this.#order[0]!, 'retention');
		}
	}

	#parse(summary: MessageSummary): Promise<FullParse> {
		return this.#cache.get(summary.id, summary.size, async () => parseFull(await this.files.readRaw(summary.id)));
	}

	#cidUrls(id: string, attachments: AttachmentInfo[]): Map<string, string> {
		const url = this.#options.attachmentUrl ?? defaultAttachmentUrl;
		const map = new Map<string, string>();
		for (const attachment of attachments) {
			if (attachment.contentId) map.set(attachment.contentId.replace(/^<|>$/g, ''), url(id, attachment.index));
		}
		return map;
	}

	#insert(summary: MessageSummary): void {
		this.#summaries.set(summary.id, summary);
		// Writes finish out of order under concurrency; keep #order sorted by id (= arrival time).
		let low = 0;
		let high = this.#order.length;
		while (low < high) {
			const mid = (low + high) >>> 1;
			if (this.#order[mid]! < summary.id) low = mid + 1;
			else high = mid;
		}
		this.#order.splice(low, 0, summary.id);
	}

	#forget(id: string): void {
		this.#summaries.delete(id);
		this.#cache.delete(id);
		const at = this.#order.indexOf(id);
		if (at !== -1) this.#order.splice(at, 1);
	}

	/**
	 * Ids sort in arrival order: 9 base-36 digits of milliseconds, a 3-digit sequence within the
	 * millisecond, and 6 random hex digits so ids from two data folders never collide.
	 */
	#nextId(now: number): string {
		if (now > this.#lastMs) {
			this.#lastMs = now;
			this.#sequence = 0;
		} else {
			this.#sequence += 1;
			if (this.#sequence >= 36 ** 3) {
				this.#lastMs += 1;
				this.#sequence = 0;
			}
		}
		return (
			this.#lastMs.toString(36).padStart(9, '0') +
			this.#sequence.toString(36).padStart(3, '0') +
			randomBytes(3).toString('hex')
		);
	}

	#withLock<T>(id: string, task: () => Promise<T>): Promise<T> {
		const previous = this.#locks.get(id) ?? Promise.resolve();
		const next = previous.then(task, task);
		const settled = next.catch(() => undefined);
		this.#locks.set(id, settled);
		void settled.then(() => {
			if (this.#locks.get(id) === settled) this.#locks.delete(id);
		});
		return next;
	}

	#track<T>(promise: Promise<T>): Promise<T> {
		this.#pending.add(promise);
		const done = () => this.#pending.delete(promise);
		promise.then(done, done);
		return promise;
	}

	async #load(): Promise<void> {
		await this.files.ensure();
		const scan = await this.files.scan();
		const warn = this.#options.warn ?? ((message: string) => console.warn(`[sandbox] ${message}`));
		for (const problem of scan.problems) warn(`${problem.file} could not be read (${problem.reason}); rebuilding it from the .eml.`);
		for (const summary of scan.summaries) {
			this.#summaries.set(summary.id, summary);
			this.#order.push(summary.id);
		}
		for (const id of scan.orphans) {
			const summary = await this.#recover(id).catch(() => null);
			if (summary) {
				this.#summaries.set(id, summary);
				this.#order.push(id);
			}
		}
		this.#order.sort();
		const newest = this.#order.at(-1);
		if (newest) this.#lastMs = Math.max(this.#lastMs, Number.parseInt(newest.slice(0, 9), 36) || 0);
		await this.#enforceRetention();
	}

	/** Rebuilds the metadata of an `.eml` whose `.json` is missing or broken. */
	async #recover(id: string): Promise<MessageSummary> {
		const raw = await this.files.readRaw(id);
		const parsed = await summarize(raw);
		const info = await stat(this.files.rawPath(id));
		const msFromId = Number.parseInt(id.slice(0, 9), 36);
		const receivedAt = new Date(Number.isFinite(msFromId) && msFromId > 0 ? msFromId : info.mtimeMs);
		const summary: MessageSummary = {
			id,
			mailbox: DEFAULT_MAILBOX,
			subject: parsed.subject,
			from: parsed.from,
			to: parsed.to,
			date: parsed.date ?? receivedAt.toISOString(),
			receivedAt: receivedAt.toISOString(),
			size: raw.length,
			snippet: parsed.snippet,
			attachmentCount: parsed.attachmentCount,
			read: false,
			parsed: parsed.parseError === null,
		};
		const session: SessionFacts = {
			remoteAddress: '',
			localPort: 0,
			clientHostname: '',
			helo: '',
			tls: 'none',
			envelope: {
				mailFrom: summary.from?.address ?? '',
				rcptTo: summary.to.map((to) => to.address),
				smtpUtf8: false,
				bodyType: '7bit',
			},
			connectionId: '',
			timings: { connectedAt: summary.receivedAt, dataStartedAt: null, storeMs: 0 },
			transcript: [],
			recovered: true,
		};
		await this.files.writeMeta({ version: 1, summary, session, parseError: parsed.parseError });
		return summary;
	}
}

export function isMessageId(value: string): boolean {
	return MESSAGE_ID_PATTERN.test(value);
}

function defaultAttachmentUrl(id: string, index: number): string {
	return `/api/v1/messages/${id}/attachments/${index}`;
}

function matches(summary: MessageSummary, words: string[]): boolean {
	const haystack = [
		summary.subject,
		summary.from?.name,
		summary.from?.address,
		...summary.to.flatMap((to) => [to.name, to.address]),
		summary.snippet,
	]
		.join('\n')
		.toLowerCase();
	return words.every((word) => haystack.includes(word));
}
