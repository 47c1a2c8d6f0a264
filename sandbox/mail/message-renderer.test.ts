import { afterEach, describe, expect, it } from 'vitest';
import { MessageRenderer, RenderFailedError } from './message-renderer.ts';
import { englishLog } from '../testing/english-log.ts';
import { silentLog } from '../operator-log.ts';

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
const renderers: MessageRenderer[] = [];
afterEach(async () => {
	await Promise.all(renderers.splice(0).map((renderer) => renderer.close()));
});

function renderer(budgetMs?: number): MessageRenderer {
	const made = new MessageRenderer({ log: silentLog, ...(budgetMs === undefined ? {} : { budgetMs }) });
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

	it('fails a message it cannot open within the budget, with or without its HTML; remembers its HTML is too slow; the next renderer is fresh', async () => {
		// No message parses within a millisecond: every attempt runs out of time, deterministically.
		const huge = mail('huge', ['Content-Type: text/html', '', `<p>${'z'.repeat(2 * 1024 * 1024)}</p>`]);
		const log: string[] = [];
		const r = new MessageRenderer({ budgetMs: 1, log: englishLog(log) });
		renderers.push(r);
		await expect(r.content('huge', huge.length, async () => huge, OPTIONS)).rejects.toBeInstanceOf(RenderFailedError);
		// Asked again (another variant, so not from the cache): straight to the parts without HTML, which also fail.
		await expect(r.content('huge', huge.length, async () => huge, { ...OPTIONS, allowRemoteImages: true })).rejects.toMatchObject({ reason: 'timeout' });
		expect(log).toEqual([expect.stringMatching(/^message huge: its HTML took over 1 ms; it is shown without it\.$/)]);
		expect((await renderer().content('small', small.length, async () => small, OPTIONS))?.html).toContain('Hello');
	});
});
