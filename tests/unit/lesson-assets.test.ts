/**
 * Checks what lessons point at besides other lessons: images exist in public/, illustrations are in
 * the lesson's language and say that they are illustrations (we must never pass off a drawing as a
 * real screen, least of all Google's), screenshots (taken of our own site by `npm run screenshots`)
 * are in the lesson's language, say that they are screenshots and state their true size, links stay
 * in the lesson's language, and links into the sandbox name a sandbox page that exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const LESSONS = join(ROOT, 'content/lessons');
const LANGS = ['ko', 'en'] as const;
type Lang = (typeof LANGS)[number];

/** Pages under /{lang}/sandbox/ that lessons may link to (src/pages/[lang]/sandbox/…). */
const SANDBOX_PAGES = ['inbox', 'forum'];

/** Words an illustration's alt text starts with, so a screen reader user hears what it is. */
const ILLUSTRATION_WORDS: Record<Lang, RegExp> = {
	en: /^(Illustration|Diagram)\b/,
	ko: /^(그림|도식)/,
};

/** Words a screenshot's alt text starts with: it shows a real screen of our own site. */
const SCREENSHOT_WORDS: Record<Lang, RegExp> = {
	en: /^Screenshot\b/,
	ko: /^화면 캡처/,
};

interface Lesson {
	lang: Lang;
	name: string;
	body: string;
}

const lessons: Lesson[] = LANGS.flatMap((lang) =>
	readdirSync(join(LESSONS, lang))
		.filter((name) => /^[^_].*\.mdx?$/.test(name))
		.map((name) => ({ lang, name, body: readFileSync(join(LESSONS, lang, name), 'utf8') })),
);

interface Image {
	src: string;
	alt: string;
	/** The width and height attributes of a JSX <img>, as written (absent in Markdown images). */
	width?: string;
	height?: string;
}

/** Image sources in Markdown (`![alt](/x.svg)`) and in JSX (`<img src="/x.svg" alt="…" />`). */
function images(body: string): Image[] {
	const markdown = [...body.matchAll(/!\[([^\]]*)\]\((\/[^)\s]+)\)/g)].map(([, alt, src]) => ({ src: src!, alt: alt! }));
	// Quoted attribute values may contain `>` (an alt text quoting `<me@example.com>`).
	const jsx = [...body.matchAll(/<img\s(?:[^>"]|"[^"]*")*>/g)].map(([tag]) => ({
		src: /\ssrc="([^"]+)"/.exec(tag)?.[1] ?? '',
		alt: /\salt="([^"]*)"/.exec(tag)?.[1] ?? '',
		width: /\swidth="([^"]*)"/.exec(tag)?.[1],
		height: /\sheight="([^"]*)"/.exec(tag)?.[1],
	}));
	return [...markdown, ...jsx];
}

/** A PNG's size in pixels, from its IHDR chunk (the first chunk, right after the 8-byte signature). */
function pngSize(file: string): { width: number; height: number } {
	const bytes = readFileSync(file);
	const signature = bytes.subarray(0, 8).toString('hex');
	if (signature !== '89504e470d0a1a0a' || bytes.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error(`${file} is not a PNG`);
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('lesson assets and links', () => {
	for (const lesson of lessons) {
		describe(`${lesson.lang}/${lesson.name}`, () => {
			it('uses images that exist, each with alt text', () => {
				for (const { src, alt } of images(lesson.body)) {
					expect(src.startsWith('/'), `${src} should be a site path`).toBe(true);
					expect(existsSync(join(ROOT, 'public', src)), `${src} is not in public/`).toBe(true);
					expect(alt.trim().length, `${src} has no alt text`).toBeGreaterThan(0);
				}
			});

			it('marks illustrations as illustrations, in its own language', () => {
				for (const { src, alt } of images(lesson.body).filter((image) => image.src.startsWith('/illustrations/'))) {
					expect(src.startsWith(`/illustrations/${lesson.lang}/`), `${src} is not a ${lesson.lang} illustration`).toBe(true);
					expect(alt, `alt text of ${src} must say it is an illustration`).toMatch(ILLUSTRATION_WORDS[lesson.lang]);
				}
			});

			it('marks screenshots as screenshots, in its own language, at their true size', () => {
				for (const image of images(lesson.body).filter((candidate) => candidate.src.startsWith('/screenshots/'))) {
					const { src, alt } = image;
					expect(src, `${src} is not a ${lesson.lang} PNG screenshot`).toMatch(new RegExp(`^/screenshots/${lesson.lang}/[a-z0-9-]+\\.png$`));
					expect(alt, `alt text of ${src} must say it is a screenshot`).toMatch(SCREENSHOT_WORDS[lesson.lang]);
					// A retaken screenshot can change size; stale attributes would squash it until it loads.
					const size = pngSize(join(ROOT, 'public', src));
					expect({ width: image.width, height: image.height }, `width/height of ${src}`).toEqual({ width: String(size.width), height: String(size.height) });
				}
			});

			it('links within its own language, and only to sandbox pages that exist', () => {
				for (const [, lang, path] of lesson.body.matchAll(/\]\(\/(ko|en)\/([^)#\s]*)/g)) {
					expect(lang, `${lesson.lang}/${lesson.name} links to /${lang}/${path}`).toBe(lesson.lang);
					const sandbox = /^sandbox\/([a-z0-9-]+)/.exec(path!);
					if (sandbox) expect(SANDBOX_PAGES, `unknown sandbox page ${path}`).toContain(sandbox[1]);
				}
			});
		});
	}

	it('finds the illustrations the SMTP lessons rely on', () => {
		const all = lessons.flatMap((lesson) => images(lesson.body).map((image) => image.src));
		for (const lang of LANGS) {
			for (const name of ['app-password-1-security', 'app-password-6-list', 'journey-of-a-reset-email']) {
				expect(all).toContain(`/illustrations/${lang}/${name}.svg`);
			}
		}
	});

	it('shows the reset exercise with screenshots of the real site (npm run screenshots), not drawings', () => {
		const all = lessons.flatMap((lesson) => images(lesson.body).map((image) => image.src));
		for (const lang of LANGS) {
			for (const name of ['reset-1-request', 'reset-2-inbox', 'reset-3-new-password', 'reset-4-done']) {
				expect(all).toContain(`/screenshots/${lang}/${name}.png`);
				expect(all).not.toContain(`/illustrations/${lang}/${name}.svg`);
			}
		}
	});
});
