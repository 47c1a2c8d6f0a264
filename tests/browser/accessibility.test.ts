/**
 * axe-core finds no serious or critical violation on a lesson, a home page and the 404 page, in
 * both languages and both themes.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { LANGS, LESSON_SLUGS, lessonPath } from './harness/pages.ts';

const browser = useBrowser();

const pages = LANGS.flatMap((lang) => [
	{ name: `${lang} home`, path: `/${lang}/` },
	{ name: `${lang} lesson`, path: lessonPath(lang, LESSON_SLUGS[3] ?? 'settings-py') },
]);
pages.push({ name: '404', path: '/no-such-page/' });

describe('accessibility (axe-core)', () => {
	for (const colorScheme of ['light', 'dark'] as const) {
		it.each(pages)(`$name, ${colorScheme} theme`, async ({ path }) => {
			const page = await browser.newPage({ colorScheme });
			await page.goto(browser.url(path));
			await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(colorScheme);
			// Expressive Code makes a scrollable code block focusable from an idle callback after a 250 ms
			// debounce; on a busy machine axe must wait for it rather than race it.
			await page.waitForFunction(() =>
				[...document.querySelectorAll<HTMLElement>('.expressive-code pre')].every((pre) => pre.scrollWidth <= pre.clientWidth || pre.hasAttribute('tabindex')),
			);
			const results = await new AxeBuilder({ page }).analyze();
			const serious = results.violations
				.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
				.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
			expect(serious).toEqual([]);
			// axe walks the whole page; on a busy machine that alone takes tens of seconds.
		}, 120_000);
	}
});
