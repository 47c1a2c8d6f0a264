/**
 * A message as the inbox opens it: the store's summary and delivery facts, joined with its parts made safe
 * to show by the render worker (sandbox/mail/message-renderer.ts). The JSON API answers from here; the
 * store itself only keeps bytes and facts. `cid:` images point at the API's attachment route.
 */
import type { AttachmentContent } from '../mail/present-message.ts';
import type { MessageRenderer } from '../mail/message-renderer.ts';
import type { MailStore } from '../store/mail-store.ts';
import type { HtmlWithheld, MessageDetail } from '../mail/message-content.ts';

export type MessageHtml = { html: string; remoteImages: number } | { withheld: HtmlWithheld } | { none: true };

export class MessageViews {
	readonly #store: MailStore;
	readonly #renderer: MessageRenderer;

	constructor(store: MailStore, renderer: MessageRenderer) {
		this.#store = store;
		this.#renderer = renderer;
	}

	/** Everything about one message: summary, parsed parts, sanitised HTML, links, delivery facts; null when gone. */
	async detail(id: string): Promise<MessageDetail | null> {
		const [session, content] = await Promise.all([this.#store.getSession(id), this.#content(id, false)]);
		if (!session || !content) return null;
		if (content.parseError !== null) this.#store.markUnparsed(id);
		const summary = this.#store.getSummary(id);
		return summary ? { ...summary, ...content, session } : null;
	}

	/** The sanitised HTML for the inbox's sandboxed frame, why it is withheld, or that there is none; null when gone. */
	async html(id: string, options: { allowRemoteImages: boolean }): Promise<MessageHtml | null> {
		const content = await this.#content(id, options.allowRemoteImages);
		if (!content) return null;
		if (content.html !== null) return { html: content.html, remoteImages: content.remoteImages };
		return content.htmlWithheld ? { withheld: content.htmlWithheld } : { none: true };
	}

	async attachment(id: string, index: number): Promise<AttachmentContent | null> {
		if (!this.#store.getSummary(id)) return null;
		return this.#renderer.attachment(await this.#store.readRaw(id), index);
	}

	#content(id: string, allowRemoteImages: boolean) {
		const summary = this.#store.getSummary(id);
		if (!summary) return Promise.resolve(null);
		return this.#renderer.content(id, summary.size, () => this.#store.readRaw(id), {
			attachmentPath: `/api/v1/messages/${id}/attachments/`,
			allowRemoteImages,
		});
	}
}
