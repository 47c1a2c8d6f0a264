/**
 * The render worker: a thread of its own that parses, sanitises and lists the links of one message at a
 * time for message-renderer.ts. Whatever a message costs here, the main thread goes on answering SMTP,
 * POP3, IMAP and the web; a message that takes too long gets the whole thread terminated.
 */
import { parentPort } from 'node:worker_threads';
import type { RenderReply, RenderRequest, WorkerReady } from './message-renderer.ts';
import { presentAttachment, presentMessage } from './present-message.ts';
import { errorMessage } from '../error-text.ts';

const port = parentPort;
if (!port) throw new Error('render-worker.ts runs as a worker thread (see message-renderer.ts), not on its own.');

port.on('message', (request: RenderRequest) => {
	void answer(request).then(({ reply, transfer }) => port.postMessage(reply, transfer));
});
// Loaded (mailparser and sanitize-html included): from now on the budget counts rendering only.
port.postMessage({ ready: true } satisfies WorkerReady);

async function answer(request: RenderRequest): Promise<{ reply: RenderReply; transfer: ArrayBuffer[] }> {
	try {
		const raw = Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength);
		if (request.kind === 'content') {
			return { reply: { ok: true, kind: 'content', content: await presentMessage(raw, request.options) }, transfer: [] };
		}
		const attachment = await presentAttachment(raw, request.index);
		if (!attachment) return { reply: { ok: true, kind: 'attachment', attachment: null }, transfer: [] };
		// A copy of its own, so its memory moves to the main thread instead of being copied again.
		const content = new Uint8Array(attachment.content);
		return { reply: { ok: true, kind: 'attachment', attachment: { info: attachment.info, content } }, transfer: [content.buffer] };
	} catch (error) {
		return { reply: { ok: false, error: errorMessage(error) }, transfer: [] };
	}
}
