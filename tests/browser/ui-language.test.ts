/**
 * A code block's copy button, pressed, announces "copied" in the lesson's language. That every label
 * Starlight and Expressive Code write into a lesson is in its language is checked in the sweep of every
 * page (every-page.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { lessonPath, type Lang } from './harness/pages.ts';

const browser = useBrowser();

const COPIED: Record<Lang, string> = { en: 'Copied!', ko: '복사 완료!' };

describe('UI labels inside lessons', () => {
	it.each(['en', 'ko'] as const)('the copy button announces "copied" in %s', async (lang) => {
		const page = await browser.newPage();
		await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
		await page.goto(browser.url(lessonPath(lang, 'other-secrets')));
		const copy = page.locator('main .expressive-code .copy').first();
		await copy.locator('button').click();
		await expect.poll(() => copy.locator('[aria-live]').textContent()).toBe(COPIED[lang]);
	});
});
