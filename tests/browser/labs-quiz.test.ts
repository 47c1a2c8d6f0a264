/**
 * The quiz component in a real browser: feedback for a wrong and a right answer, the progress record
 * in localStorage and the `postlab:quiz-solved` event, several-answer questions, keyboard use, the
 * no-JavaScript fallback, and axe.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';

const browser = useBrowser();
/** This machine can be busy; the poll waits for a condition, it is not a speed check. */
const WAIT = { timeout: 15_000 } as const;
/** axe walks the whole DOM of a Starlight page; on a busy 2-core machine that takes tens of seconds. */
const AXE_TIMEOUT_MS = 120_000;
const PATH = '/en/labs/env/';
const KEY = 'postlab:quiz:labs/env:spaces';

/**
 * The quiz page; `storage: 'full'` makes every localStorage write throw QuotaExceededError, as a full quota
 * does. (Starlight's own theme scripts then fail as the page loads: they write it unguarded.)
 */
async function openQuizPage(options: { storage?: 'full' } = {}): Promise<Page> {
	const page = await browser.newPage();
	if (options.storage === 'full') {
		await page.addInitScript(() => {
			Storage.prototype.setItem = () => {
				throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			};
		});
	}
	await page.goto(browser.url(PATH));
	await expect.poll(() => page.locator('#quiz-spaces [data-check]').isVisible(), WAIT).toBe(true);
	// Collect the solved events the page sees, to compare with what the test did.
	await page.evaluate(() => {
		const seen: unknown[] = [];
		(window as unknown as { solved: unknown[] }).solved = seen;
		document.addEventListener('postlab:quiz-solved', (event) => seen.push((event as CustomEvent).detail));
	});
	return page;
}

const solvedEvents = (page: Page) => page.evaluate(() => (window as unknown as { solved: unknown[] }).solved);
const stored = (page: Page) => page.evaluate((key) => localStorage.getItem(key), KEY);

describe('quiz', () => {
	it('explains a wrong answer and records nothing', async () => {
		const page = await openQuizPage();
		const quiz = page.locator('#quiz-spaces');
		await quiz.getByLabel('me@example.com', { exact: true }).check();
		await quiz.getByRole('button', { name: 'Check' }).click();
		const feedback = quiz.locator('[data-feedback]');
		await expect.poll(() => feedback.getAttribute('data-verdict'), WAIT).toBe('incorrect');
		expect(await feedback.textContent()).toContain('That is what dotenv (Node) reads');
		expect(await quiz.locator('[data-option-row][data-result="wrong"]').count()).toBe(1);
		expect(await stored(page)).toBeNull();
		expect(await solvedEvents(page)).toEqual([]);
	});

	it('confirms a right answer, stores it for progress and tells the page', async () => {
		const page = await openQuizPage();
		const quiz = page.locator('#quiz-spaces');
		await quiz.getByLabel('Nothing: it skips the line').check();
		await quiz.getByRole('button', { name: 'Check' }).click();
		const feedback = quiz.locator('[data-feedback]');
		await expect.poll(() => feedback.getAttribute('data-verdict'), WAIT).toBe('correct');
		expect(await feedback.textContent()).toContain('Correct.');
		expect(await feedback.textContent()).toContain('Invalid line');
		expect(await stored(page)).toBe('correct');
		expect(await solvedEvents(page)).toEqual([{ lesson: 'labs/env', quiz: 'spaces' }]);
		// The favicon's 404 is the only console error allowed (the site has none yet).
		expect(consoleProblems(page).filter((p) => !p.includes('Failed to load resource'))).toEqual([]);

		// Coming back later, the learner sees the question was solved.
		await page.reload();
		await expect.poll(() => quiz.locator('[data-solved]').isVisible(), WAIT).toBe(true);
	});

	it('confirms a right answer and tells the page when the browser cannot store it', async () => {
		const page = await openQuizPage({ storage: 'full' });
		const atLoad = consoleProblems(page).length;
		const quiz = page.locator('#quiz-spaces');
		await quiz.getByLabel('Nothing: it skips the line').check();
		await quiz.getByRole('button', { name: 'Check' }).click();
		await expect.poll(() => quiz.locator('[data-feedback]').getAttribute('data-verdict'), WAIT).toBe('correct');
		expect(await solvedEvents(page)).toEqual([{ lesson: 'labs/env', quiz: 'spaces' }]);
		expect(await stored(page)).toBeNull();
		expect(consoleProblems(page).slice(atLoad)).toEqual([]);
	});

	it('asks for every right answer in a several-answer question', async () => {
		const page = await openQuizPage();
		const quiz = page.locator('#quiz-bools');
		const feedback = quiz.locator('[data-feedback]');
		await quiz.getByRole('button', { name: 'Check' }).click();
		await expect.poll(() => feedback.getAttribute('data-verdict'), WAIT).toBe('empty');
		await quiz.getByLabel('True', { exact: true }).check();
		await quiz.getByRole('button', { name: 'Check' }).click();
		await expect.poll(() => feedback.getAttribute('data-verdict'), WAIT).toBe('partial');
		await quiz.getByLabel('yes', { exact: true }).check();
		await quiz.getByRole('button', { name: 'Check' }).click();
		await expect.poll(() => feedback.getAttribute('data-verdict'), WAIT).toBe('correct');
		expect(await page.evaluate(() => localStorage.getItem('postlab:quiz:labs/env:bools'))).toBe('correct');
	});

	it('works from the keyboard alone', async () => {
		const page = await openQuizPage();
		const quiz = page.locator('#quiz-spaces');
		await quiz.getByLabel('me@example.com', { exact: true }).focus();
		// Arrow keys move between radio buttons and select; Enter submits the form.
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('Enter');
		await expect.poll(() => quiz.locator('[data-feedback]').getAttribute('data-verdict'), WAIT).toBe('correct');
	});

	it('shows the answers in a details element without JavaScript', async () => {
		const page = await browser.newPage({ javaScriptEnabled: false });
		await page.goto(browser.url(PATH));
		const quiz = page.locator('#quiz-spaces');
		expect(await quiz.locator('[data-check]').isVisible()).toBe(false);
		await quiz.getByText('Show the answers').click();
		expect(await quiz.locator('details').textContent()).toContain('Right:');
		expect(await quiz.locator('details li').count()).toBe(3);
	});

	it('has no serious accessibility violations', async () => {
		const page = await openQuizPage();
		await page.locator('#quiz-spaces').getByLabel('Nothing: it skips the line').check();
		await page.locator('#quiz-spaces').getByRole('button', { name: 'Check' }).click();
		const results = await new AxeBuilder({ page }).include('form[data-quiz]').analyze();
		const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
		expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
		expect(await page.locator('#quiz-spaces fieldset legend').count()).toBe(1);
	}, AXE_TIMEOUT_MS);
});
