import { afterEach, describe, expect, it } from 'vitest';
import { MessageRenderer, RenderFailedError } from './message-renderer.ts';

const OPTIONS = { attachmentPath: '/a/', allowRemoteImages: false };

function mail(subject: string, parts: string[]): Buffer {
	return Buffer.from(['From: a@example.com', 'To: b@example.com', `Subject: ${subject}`, 'MIME-Version: 1.0', ...parts, ''].join('\r\n'));
}

const small = mail('small', [
	'Content-Type: multipart/mixed; boundary="m"',
	'',
	'--m',
	'Content-Type: text/html; charset=utf-8',
	'',
	'<p onclick="x()">Hello <a href="https://a.example/">there</a></p>',
	'--m',
	'Content-Type: text/plain; name="notes.txt"',
	'Content-Disposition: attachment; filename="notes.txt"',
	'',
	'attached',
	'--m--',
]);
/** Within the HTML limits, and slow: HTML only (so it is also turned into text), close to 10,000 elements. */
const costly = mail('costly', ['Content-Type: text/html; charset=utf-8', '', '<table>' + '<tr><td>cell<td>cell'.repeat(3_200) + '</table>']);

const renderers: MessageRenderer[] = [];
afterEach(async () => {
	await Promise.all(renderers.splice(0).map((renderer) => renderer.close()));
});

function renderer(budgetMs?: number): MessageRenderer {
	const made = new MessageRenderer({ log: () => undefined, ...(budgetMs === undefined ? {} : { budgetMs }) });
	renderers.push(made);
	return made;
}

describe('MessageRenderer', () => {
	it('opens a message in the worker: sanitised HTML, links, attachments; null once it is gone', async () => {
		const r = renderer();
		const content = await r.content('m1', small.length, async () => small, OPTIONS);
		expect(content?.html).toContain('<a href="https://a.example/"');
		expect(content?.html).not.toContain('onclick');
		expect(content?.links).toEqual([{ href: 'https://a.example/', text: 'there' }]);
		const attachment = await r.attachment(small, 0);
		expect([attachment?.info.filename, attachment?.content.toString()]).toEqual(['notes.txt', 'attached']);
		expect(await r.attachment(small, 5)).toBeNull();
		expect(await r.content('gone', 10, async () => null, OPTIONS)).toBeNull();
	});

	it('shows a message over the time budget without its HTML, remembers that, and opens the next one normally', async () => {
		const r = renderer(250);
		const slow = await r.content('slow', costly.length, async () => costly, OPTIONS);
		expect(slow).toMatchObject({ html: null, htmlWithheld: { reason: 'too-slow' } });
		// Remembered: the same message with remote images allowed goes straight to the parts without HTML.
		expect(await r.content('slow', costly.length, async () => costly, { ...OPTIONS, allowRemoteImages: true })).toMatchObject({ htmlWithheld: { reason: 'too-slow' } });
		const next = await r.content('next', small.length, async () => small, OPTIONS);
		expect(next?.html).toContain('Hello');
	});

	it('fails a message it cannot open even without its HTML within the budget, each time it is asked', async () => {
		const huge = mail('huge', ['Content-Type: text/plain', '', 'z'.repeat(5 * 1024 * 1024)]);
		const r = renderer(1);
		await expect(r.content('huge', huge.length, async () => huge, OPTIONS)).rejects.toBeInstanceOf(RenderFailedError);
		await expect(r.content('huge', huge.length, async () => huge, OPTIONS)).rejects.toMatchObject({ reason: 'timeout' });
	});
});
