/**
 * Checks what lessons point at besides other lessons: images exist in public/, illustrations are in
 * the lesson's language and say that they are illustrations (we must never pass off a drawing as a
 * real screen, least of all Google's), links stay in the lesson's language, and links into the
 * sandbox name a sandbox page that exists.
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

/** Image sources in Markdown (`![alt](/x.svg)`) and in JSX (`<img src="/x.svg" alt="…" />`). */
function images(body: string): { src: string; alt: string }[] {
	const markdown = [...body.matchAll(/!\[([^\]]*)\]\((\/[^)\s]+)\)/g)].map(([, alt, src]) => ({ src: src!, alt: alt! }));
	// Quoted attribute values may contain `>` (an alt text quoting `<me@example.com>`).
	const jsx = [...body.matchAll(/<img\s(?:[^>"]|"[^"]*")*>/g)].map(([tag]) => ({
		src: /\ssrc="([^"]+)"/.exec(tag)?.[1] ?? '',
		alt: /\salt="([^"]*)"/.exec(tag)?.[1] ?? '',
	}));
	return [...markdown, ...jsx];
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
			for (const name of ['app-password-1-security', 'app-password-6-list', 'journey-of-a-reset-email', 'reset-4-done']) {
				expect(all).toContain(`/illustrations/${lang}/${name}.svg`);
			}
		}
	});
});
