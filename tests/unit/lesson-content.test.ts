/**
 * Checks the lesson files themselves: every lesson exists in both languages with the same outline,
 * carries the complete lesson front matter, links only to lessons that exist, labels each link to a
 * lesson with that lesson's title, and keeps the Korean terms of content/GLOSSARY.md. The pages that are
 * not lessons (`<lang>/<name>/index.mdx`, such as the instructors' walk-through) are held to the same
 * pairs, links and terms.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { lessonFields, lessonSchema } from '../../src/lesson-schema';

const ROOT = new URL('../../content/lessons/', import.meta.url).pathname;
const LANGS = ['ko', 'en'] as const;

interface LessonFile {
	slug: string;
	frontmatter: Record<string, unknown>;
	body: string;
}

function readLessons(lang: string): LessonFile[] {
	return readPages(lang, readdirSync(join(ROOT, lang)).filter((name) => /^[^_].*\.mdx?$/.test(name)));
}

/** The pages in folders of their own (`teaching/index.mdx` is the page /<lang>/teaching/). */
function readGuides(lang: string): LessonFile[] {
	const folders = readdirSync(join(ROOT, lang), { withFileTypes: true }).filter((entry) => entry.isDirectory());
	return readPages(lang, folders.map((folder) => `${folder.name}/index.mdx`)).map((page) => ({ ...page, slug: page.slug.replace(/\/index$/, '') }));
}

function readPages(lang: string, names: string[]): LessonFile[] {
	return names.map((name) => {
		const source = readFileSync(join(ROOT, lang, name), 'utf8');
		const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source);
		if (!match) throw new Error(`${lang}/${name} has no front matter`);
		return {
			slug: name.replace(/\.mdx?$/, ''),
			frontmatter: parseYaml(match[1]!) as Record<string, unknown>,
			body: match[2]!,
		};
	});
}

/** Markdown `## ` headings outside fenced code blocks. */
function h2Count(body: string): number {
	let inFence = false;
	let count = 0;
	for (const line of body.split('\n')) {
		if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
		else if (!inFence && /^## /.test(line)) count += 1;
	}
	return count;
}

const lessons = Object.fromEntries(LANGS.map((lang) => [lang, readLessons(lang)])) as Record<
	(typeof LANGS)[number],
	LessonFile[]
>;
const guides = Object.fromEntries(LANGS.map((lang) => [lang, readGuides(lang)])) as Record<(typeof LANGS)[number], LessonFile[]>;
/** Lessons and the other pages: everything a reader can open from the sidebar that is written in content/. */
const pages = Object.fromEntries(LANGS.map((lang) => [lang, [...lessons[lang], ...guides[lang]]])) as Record<(typeof LANGS)[number], LessonFile[]>;

describe('lesson files', () => {
	it('come in ko/en pairs, the pages that are not lessons too', () => {
		const slugs = (lang: (typeof LANGS)[number]) => pages[lang].map((page) => page.slug).sort();
		expect(slugs('ko')).toEqual(slugs('en'));
		expect(lessons.ko.length).toBeGreaterThanOrEqual(8);
		expect(guides.ko.map((page) => page.slug)).toContain('teaching');
	});

	it('keeps each page that is not a lesson free of lesson front matter, with the same outline in both languages', () => {
		for (const page of guides.ko) {
			const twin = guides.en.find((file) => file.slug === page.slug)!;
			for (const file of [page, twin]) expect(lessonFields(lessonSchema.parse(file.frontmatter)), file.slug).toBeNull();
			expect(h2Count(twin.body)).toBe(h2Count(page.body));
		}
	});

	for (const lesson of lessons.ko.filter((file) => file.slug !== 'index')) {
		describe(lesson.slug, () => {
			const twin = lessons.en.find((file) => file.slug === lesson.slug)!;

			it('has complete lesson front matter in both languages', () => {
				for (const file of [lesson, twin]) {
					const fields = lessonFields(lessonSchema.parse(file.frontmatter));
					expect(fields, `${file.slug} is missing its lesson fields`).not.toBeNull();
				}
			});

			it('has the same order, chapter and outline in both languages', () => {
				expect(twin.frontmatter['order']).toBe(lesson.frontmatter['order']);
				expect(twin.frontmatter['chapter']).toBe(lesson.frontmatter['chapter']);
				expect(h2Count(twin.body)).toBe(h2Count(lesson.body));
				expect(h2Count(lesson.body)).toBeGreaterThan(0);
			});
		});
	}

	it('gives every lesson a different order', () => {
		const orders = lessons.ko.filter((file) => file.slug !== 'index').map((file) => file.frontmatter['order']);
		expect(new Set(orders).size).toBe(orders.length);
	});

	it('labels every link to another lesson with the title of that lesson', () => {
		const titles = new Map<string, string>();
		for (const lang of LANGS) for (const file of pages[lang]) titles.set(`${lang}/${file.slug}`, String(file.frontmatter['title']));
		for (const lang of LANGS) {
			for (const file of pages[lang]) {
				// A link to a section (`#…`) names the section, not the page.
				for (const [, label, target] of file.body.matchAll(/\[([^\]]+)\]\(\/((?:ko|en)\/[a-z0-9-]+)\/?\)/g)) {
					const title = titles.get(target!);
					if (title === undefined) continue;
					expect(label, `${lang}/${file.slug} links to ${target}`).toBe(title);
				}
			}
		}
	});

	it('keeps the Korean glossary: 레슨, 받은편지함, 원본 챕터, and 장고 in prose', () => {
		for (const file of pages.ko) {
			const prose = file.body
				.replace(/^([ \t]*)(```|~~~)[\s\S]*?^\1\2/gm, '')
				.replace(/`[^`\n]*`/g, '')
				.replace(/<(Quiz|EnvPlayground)[\s\S]*?\/>/g, (block) => block.replace(/`[^`]*`/g, ''));
			for (const banned of ['강의', '받은 편지함', '원래 챕터', '원문 챕터']) {
				expect(prose.includes(banned), `ko/${file.slug} says ${banned}`).toBe(false);
			}
			const django = prose.match(/(?<![A-Za-z])Django(?![A-Za-z])/g) ?? [];
			expect(django, `ko/${file.slug} says Django in prose; the glossary says 장고`).toEqual([]);
		}
	});

	it('states on the home pages the total time that the lessons add up to', () => {
		const total = (kind: 'core' | 'full') =>
			lessons.en.filter((file) => file.slug !== 'index').reduce((sum, file) => sum + (file.frontmatter['minutes'] as Record<string, number>)[kind]!, 0);
		for (const lang of LANGS) {
			const home = lessons[lang].find((file) => file.slug === 'index')!;
			expect(home.body, `${lang}/index: core path`).toContain(`${total('core')}`);
			expect(home.body, `${lang}/index: everything`).toContain(`${total('full')}`);
		}
		for (const file of lessons.ko.filter((lesson) => lesson.slug !== 'index')) {
			const twin = lessons.en.find((lesson) => lesson.slug === file.slug)!;
			expect(file.frontmatter['minutes'], file.slug).toEqual(twin.frontmatter['minutes']);
		}
	});

	it('links only to lessons and pages that exist', () => {
		const slugs = new Set(pages.ko.map((file) => file.slug));
		for (const lang of LANGS) {
			for (const file of pages[lang]) {
				for (const [, target] of file.body.matchAll(/\]\(\/(?:ko|en)\/([a-z0-9-]+)\/?(?:#[^)]*)?\)/g)) {
					if (target === 'sandbox') continue;
					expect(slugs.has(target!), `${lang}/${file.slug} links to missing lesson ${target}`).toBe(true);
				}
			}
		}
	});
});
