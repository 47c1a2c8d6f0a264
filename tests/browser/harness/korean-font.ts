/**
 * Refuses to measure Korean text without a Korean font. Without one, Chromium draws every Hangul syllable
 * as the same box, and line breaking, widths and screenshots of Korean pages mean nothing: a test would
 * pass or fail for the wrong reason. A fresh Debian or Ubuntu machine has no such font; `.ci/run`
 * installs fonts-noto-cjk.
 */
import type { Page } from 'playwright-core';

/** Throws, saying what to install, unless the page's fonts draw 가 and 나 as two different glyphs. */
export async function assertKoreanFont(page: Page): Promise<void> {
	const distinct = await page.evaluate(() => {
		const draw = (text: string): string => {
			const canvas = document.createElement('canvas');
			canvas.width = 64;
			canvas.height = 64;
			const context = canvas.getContext('2d');
			if (!context) return '';
			context.font = `48px ${getComputedStyle(document.body).fontFamily}`;
			context.fillText(text, 4, 52);
			return canvas.toDataURL();
		};
		// A missing glyph is drawn as the same box (or nothing) whatever the letter.
		return draw('가') !== draw('나');
	});
	if (!distinct) {
		throw new Error(
			'No Korean font: Chromium draws 가 and 나 alike, so a measurement of Korean text would mean nothing. ' +
				'Install one (Debian/Ubuntu: apt-get install fonts-noto-cjk; .ci/run does it) and run the tests again.',
		);
	}
}
