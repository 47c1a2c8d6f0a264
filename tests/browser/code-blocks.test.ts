/**
 * Code blocks (Expressive Code) can be reached from the keyboard before any script runs: every block in every
 * lesson has tabindex 0, so a wide one scrolls with the arrow keys. With scripts off this is a visit of its
 * own; the blocks' copy buttons and file names are checked in the sweep of every page (every-page.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { LANGS, LESSON_SLUGS, lessonPath } from './harness/pages.ts';

const browser = useBrowser();

describe('code blocks', () => {
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
