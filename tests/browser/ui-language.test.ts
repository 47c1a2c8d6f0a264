/**
 * Labels that Starlight and Expressive Code write into lessons are in the lesson's language: the
 * copy button of code blocks (tooltip, and what it says once copied) and the hidden text of the
 * heading anchor links. Lessons live outside src/content/docs, where Starlight cannot tell their
 * language by itself (see src/integrations/lesson-languages.ts).
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { LESSON_SLUGS, lessonPath, type Lang } from './harness/pages.ts';

const browser = useBrowser();

const EXPECTED: Record<Lang, { copy: string; copied: string; anchorPrefix: string }> = {
	en: { copy: 'Copy to clipboard', copied: 'Copied!', anchorPrefix: 'Section titled “' },
	ko: { copy: '클립보드로 복사', copied: '복사 완료!', anchorPrefix: '섹션 제목: “' },
};

describe('UI labels inside lessons', () => {
	it.each(['en', 'ko'] as const)('are in %s on every lesson in that language', async (lang) => {
		const expected = EXPECTED[lang];
		const page = await browser.newPage();
		const problems: string[] = [];
		let copyButtons = 0;
		let anchors = 0;
		for (const slug of LESSON_SLUGS) {
			await page.goto(browser.url(lessonPath(lang, slug)));
			const buttons = await page.locator('main .expressive-code .copy button').evaluateAll((found) =>
				found.map((button) => ({ title: button.getAttribute('title'), copied: button.getAttribute('data-copied') })),
			);
			for (const button of buttons) {
				if (button.title !== expected.copy) problems.push(`${slug}: copy button title ${JSON.stringify(button.title)}`);
				if (button.copied !== expected.copied) problems.push(`${slug}: copied text ${JSON.stringify(button.copied)}`);
			}
			const labels = await page.locator('main .sl-anchor-link .sr-only').allTextContents();
			for (const label of labels) {
				if (!label.startsWith(expected.anchorPrefix)) problems.push(`${slug}: anchor label ${JSON.stringify(label)}`);
			}
			copyButtons += buttons.length;
			anchors += labels.length;
		}
		expect(problems).toEqual([]);
		// The checks above mean something only if the lessons have code blocks and headings at all.
		expect(copyButtons).toBeGreaterThan(0);
		expect(anchors).toBeGreaterThan(0);
	});

	it.each(['en', 'ko'] as const)('the copy button announces "copied" in %s', async (lang) => {
		const page = await browser.newPage();
		await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
		await page.goto(browser.url(lessonPath(lang, 'other-secrets')));
		const copy = page.locator('main .expressive-code .copy').first();
		await copy.locator('button').click();
		await expect.poll(() => copy.locator('[aria-live]').textContent()).toBe(EXPECTED[lang].copied);
	});
});
