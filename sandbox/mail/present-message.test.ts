import { describe, expect, it } from 'vitest';
import { MAX_HTML_CHARS, MAX_HTML_DEPTH, MAX_HTML_ELEMENTS } from './html-limits.ts';
import { presentAttachment, presentMessage, type PresentOptions } from './present-message.ts';

const OPTIONS: PresentOptions = { attachmentPath: '/a/', allowRemoteImages: false, htmlWork: true };

function htmlMail(html: string, text?: string): Buffer {
	const parts = text === undefined
		? ['Content-Type: text/html; charset=utf-8', '', html]
		: ['Content-Type: multipart/alternative; boundary="alt"', '', '--alt', 'Content-Type: text/plain; charset=utf-8', '', text, '--alt', 'Content-Type: text/html; charset=utf-8', '', html, '--alt--'];
	return Buffer.from(['From: a@example.com', 'To: b@example.com', 'Subject: html', 'MIME-Version: 1.0', ...parts, ''].join('\r\n'));
}

describe('presentMessage', () => {
	it('parses a message: headers, attachments, links, sanitised HTML with cid: images pointed at the attachment route', async () => {
		const raw = Buffer.from(
			[
				'From: a@example.com',
				'To: b@example.com',
				'Subject: parts',
				'MIME-Version: 1.0',
				'Content-Type: multipart/mixed; boundary="b1"',
				'',
				'--b1',
				'Content-Type: text/html; charset=utf-8',
				'',
				'<p onclick="x()">Reset: <a href="https://example.com/reset/">here</a><img src="cid:logo"><img src="https://t.example/p.gif"></p>',
				'--b1',
				'Content-Type: image/png; name="logo.png"',
				'Content-ID: <logo>',
				'Content-Disposition: inline; filename="logo.png"',
				'Content-Transfer-Encoding: base64',
				'',
				'iVBORw0KGgo=',
				'--b1',
				'Content-Type: text/plain; name="보고서.txt"',
				'Content-Disposition: attachment; filename*=UTF-8\'\'%EB%B3%B4%EA%B3%A0%EC%84%9C.txt',
				'',
				'report',
				'--b1--',
				'',
			].join('\r\n'),
		);
		const detail = await presentMessage(raw, { attachmentPath: '/api/v1/messages/m1/attachments/', allowRemoteImages: false, htmlWork: true });
		expect(detail?.headers.slice(0, 3)).toEqual([
			['From', 'a@example.com'],
			['To', 'b@example.com'],
			['Subject', 'parts'],
		]);
		expect(detail?.attachments.map((a) => [a.filename, a.contentType, a.inline])).toEqual([
			['logo.png', 'image/png', true],
			['보고서.txt', 'text/plain', false],
		]);
		expect(detail?.html).toContain(`src="/api/v1/messages/m1/attachments/0"`);
		expect(detail?.html).not.toContain('onclick');
		expect(detail?.remoteImages).toBe(1);
		expect(detail?.links).toEqual([{ href: 'https://example.com/reset/', text: 'here' }]);
		expect(detail.htmlWithheld).toBeNull();
		const attachment = await presentAttachment(raw, 1);
		expect(attachment?.content.toString()).toBe('report');
		expect(await presentAttachment(raw, 7)).toBeNull();
	});

	it('says why a message cannot be parsed, and still answers', async () => {
		const raw = Buffer.from('Subject: nested\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n' + '--x\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n'.repeat(5000));
		const detail = await presentMessage(raw, OPTIONS);
		expect(detail.parseError).toMatch(/could not be parsed \(.+\)\. It is kept exactly as received/);
		expect(detail.html).toBeNull();
	});

	it('withholds HTML nested deeper than the limit, keeps the text part and its links, and says why', async () => {
		const deep = '<div>'.repeat(20_000) + '<a href="https://hidden.example/">x</a>' + '</div>'.repeat(20_000);
		const detail = await presentMessage(htmlMail(deep, 'Reset: https://forum.example/reset/'), OPTIONS);
		expect(detail.html).toBeNull();
		expect(detail.htmlWithheld).toEqual({ reason: 'too-deep', limit: MAX_HTML_DEPTH });
		expect(detail.text).toContain('Reset: https://forum.example/reset/');
		expect(detail.links).toEqual([{ href: 'https://forum.example/reset/', text: '' }]);
	});

	it('withholds HTML larger than the limit', async () => {
		const huge = `<p>${'y'.repeat(MAX_HTML_CHARS)}</p>`;
		const detail = await presentMessage(htmlMail(huge, 'plain'), OPTIONS);
		expect(detail.htmlWithheld).toEqual({ reason: 'too-large', limit: MAX_HTML_CHARS });
		expect(detail.html).toBeNull();
		expect(detail.text).toBe('plain');
	});

	it('withholds HTML with more elements than the limit, however flat', async () => {
		const detail = await presentMessage(htmlMail('<br>'.repeat(MAX_HTML_ELEMENTS + 1)), OPTIONS);
		expect(detail.htmlWithheld).toEqual({ reason: 'too-many-elements', limit: MAX_HTML_ELEMENTS });
		expect(detail.html).toBeNull();
	});

	it('sanitises wide HTML within the limits: unclosed cells and paragraphs are siblings, not nesting', async () => {
		const wide = '<table>' + '<tr><td>cell<td>cell'.repeat(2_500) + '</table>' + '<p>para'.repeat(2_000);
		const detail = await presentMessage(htmlMail(wide), OPTIONS);
		expect(detail.htmlWithheld).toBeNull();
		expect(detail.html).toContain('<td>cell</td>');
	});

	it('shows the parts without the HTML when told its HTML ran out of time before', async () => {
		const detail = await presentMessage(htmlMail('<p>hello <a href="https://a.example/">a</a></p>', 'hello'), { ...OPTIONS, htmlWork: false });
		expect(detail.html).toBeNull();
		expect(detail.htmlWithheld).toEqual({ reason: 'too-slow' });
		expect(detail.text).toBe('hello');
		expect(detail.links).toEqual([]);
	});
});
