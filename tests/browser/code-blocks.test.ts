/**
 * Code blocks (Expressive Code): every block in every lesson has a copy button, and a block with a
 * file name shows it, and every block can be reached from the keyboard before any script runs (a wide
 * one scrolls with the arrow keys). Which lessons hold code is up to the lessons; this checks all of them.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { LANGS, LESSON_SLUGS, lessonPath } from './harness/pages.ts';

const browser = useBrowser();

describe('code blocks', () => {
	it.each(LANGS)('in %s have a copy button each, and titled ones show their file name', async (lang) => {
		const page = await browser.newPage();
		const problems: string[] = [];
		for (const slug of LESSON_SLUGS) {
			await page.goto(browser.url(lessonPath(lang, slug)));
			const blocks = await page.locator('main .expressive-code').evaluateAll((figures) =>
				figures.map((figure) => ({
					copy: figure.querySelector('.copy button') !== null,
					frame: figure.querySelector('figure')?.classList.contains('has-title') ?? false,
					title: figure.querySelector('figcaption .title')?.textContent?.trim() ?? '',
				})),
			);
			blocks.forEach((block, index) => {
				if (!block.copy) problems.push(`${slug} block ${index + 1}: no copy button`);
				if (block.frame && block.title === '') problems.push(`${slug} block ${index + 1}: empty file name`);
			});
		}
		expect(problems).toEqual([]);
	});

	it.each(LANGS)('in %s are keyboard-focusable with scripts off', async (lang) => {
		const page = await browser.newPage({ javaScriptEnabled: false });
		const unreachable: string[] = [];
		let seen = 0;
		for (const slug of LESSON_SLUGS) {
			await page.goto(browser.url(lessonPath(lang, slug)));
			const tabIndexes = await page.locator('main .expressive-code pre').evaluateAll((pres) => pres.map((pre) => pre.getAttribute('tabindex')));
			seen += tabIndexes.length;
			tabIndexes.forEach((tabIndex, index) => {
				if (tabIndex !== '0') unreachable.push(`${slug} block ${index + 1}: tabindex ${tabIndex}`);
			});
		}
		expect(seen).toBeGreaterThan(0);
		expect(unreachable).toEqual([]);
	});
});
