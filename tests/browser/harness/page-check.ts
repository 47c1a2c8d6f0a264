/**
 * The page-by-page checks of the page sweeps (every-page.test.ts, every-page-classroom.test.ts): open a page and wait for
 * what its scripts draw, then measure it in the light and the dark theme (switched in place, as a
 * reader's system would) and, when POSTLAB_SCREENSHOTS names a folder, save a full-page picture of each
 * as <folder>/<lang>-<width>-<theme>/<name>.png for a person to look through.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { expect } from 'vitest';
import { consoleProblems } from './browser.ts';
import { layoutProblems } from './page-layout.ts';

const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** A desktop and a small phone (360 px is the narrowest common one): the widths every page is checked at. */
export const WIDTHS = [1280, 360] as const;
const SCREENSHOTS = process.env['POSTLAB_SCREENSHOTS'] ? resolve(process.env['POSTLAB_SCREENSHOTS']) : null;

/**
 * Opens `url` and waits until what its scripts draw is there: a message (aria-busy), the live inbox list or
 * dashboard, the labs' sandbox ports. (Not "network idle": the inbox keeps its event stream open.)
 */
export async function openAndSettle(page: Page, url: string): Promise<Response | null> {
	const response = await page.goto(url);
	await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
	for (const [part, ready] of [
		['[data-inbox]', '[data-inbox][data-live="true"]'],
		['[data-dashboard]', '[data-dashboard][data-live="true"]'],
		['[data-port-tls-lab]', '[data-port-tls-lab][data-ports="live"]'],
		['[data-mailread-check]', '[data-mailread-check][data-ports="live"]'],
	] as const) {
		if ((await page.locator(part).count()) > 0) await page.locator(ready).first().waitFor();
	}
	return response;
}

/**
 * What layoutProblems() finds on the page in each theme, each prefixed with the theme, and what `alsoCheck`
 * finds in each (a check that needs the theme drawn, such as axe-core's).
 */
export async function checkThemes(
	page: Page,
	lang: string,
	width: number,
	name: string,
	alsoCheck?: (theme: Theme) => Promise<string[]>,
): Promise<string[]> {
	const problems: string[] = [];
	for (const theme of THEMES) {
		await page.emulateMedia({ colorScheme: theme });
		await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe(theme);
		await page.evaluate(() => document.fonts.ready.then(() => undefined));
		problems.push(...(await layoutProblems(page)).map((problem) => `${theme}: ${problem}`));
		if (alsoCheck) problems.push(...(await alsoCheck(theme)));
		if (SCREENSHOTS) {
			const folder = join(SCREENSHOTS, `${lang}-${width}-${theme}`);
			await mkdir(folder, { recursive: true });
			await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
		}
	}
	return problems;
}

/** Console errors and CSP violations logged since `from`; a 404 page's own status is not an error of it. */
export function newConsoleProblems(page: Page, from: number, name: string): string[] {
	return consoleProblems(page)
		.slice(from)
		.filter((problem) => !(name.startsWith('not-found') && /status of 404/.test(problem)));
}
