/**
 * The .env playground in a real browser: it analyses the starting text, follows what the learner
 * types, marks disagreements and pitfalls, checks the goals, sends nothing over the network, says what
 * is wrong when JavaScript is off, fits its table (explanations included) at desktop and phone widths,
 * and passes axe.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { measureTables } from './harness/table-layout.ts';

const browser = useBrowser();
/** This machine can be busy; the poll waits for a condition, it is not a speed check. */
const WAIT = { timeout: 15_000 } as const;
/** axe walks the whole DOM of a Starlight page; on a busy 2-core machine that takes tens of seconds. */
const AXE_TIMEOUT_MS = 120_000;
const PATH = '/en/labs/env/';

/**
 * The site has no favicon yet, a site-wide matter outside the labs, so its 404 is left out here.
 * Everything else the console reports counts (CSP violations included), and so does any other failed
 * request.
 */
const failedRequests = new WeakMap<Page, string[]>();
function labProblems(page: Page): string[] {
	const console = consoleProblems(page).filter((problem) => !problem.includes('Failed to load resource'));
	return [...console, ...(failedRequests.get(page) ?? [])];
}

async function openPlayground(): Promise<Page> {
	const page = await browser.newPage();
	const failed: string[] = [];
	failedRequests.set(page, failed);
	page.on('response', (response) => {
		if (response.status() >= 400 && !response.url().endsWith('/favicon.svg')) failed.push(`${response.status()} ${response.url()}`);
	});
	await page.goto(browser.url(PATH));
	await expect.poll(() => page.locator('[data-summary]').textContent(), WAIT).toMatch(/Keys read/);
	return page;
}

/** Replaces the text as a learner would: select all, then type. */
async function typeEnv(page: Page, text: string): Promise<void> {
	const input = page.getByLabel('Your .env file');
	await input.focus();
	await page.keyboard.press('ControlOrMeta+A');
	await page.keyboard.press('Delete');
	await input.pressSequentially(text);
}

/** A line's readings; what to know about it is in the row below, `notes(page, line)`. */
const row = (page: Page, line: number) => page.locator(`[data-rows] tr[data-line="${line}"]`);
const notes = (page: Page, line: number) => page.locator(`[data-rows] tr[data-notes-for="${line}"]`);

describe('.env playground', () => {
	it('analyses the starting example: disagreements marked in the table and beside the text', async () => {
		const page = await openPlayground();
		await expect.poll(() => row(page, 2).getAttribute('data-state'), WAIT).toBe('different');
		expect(await row(page, 2).locator('[data-parser="django"]').textContent()).toContain('skips this line');
		expect(await row(page, 2).locator('[data-parser="dotenv"]').textContent()).toBe('forum.admin@gmail.com');
		expect(await row(page, 6).getAttribute('data-state')).toBe('different');
		expect(await row(page, 7).getAttribute('data-state')).toBe('same');
		expect(await page.locator('[data-gutter] span').nth(1).textContent()).toBe('2 ≠');
		expect(await page.locator('[data-code="gmailAppPassword"]').count()).toBe(1);
		expect(await page.locator('[data-code="tlsAndSsl"]').count()).toBe(2);
		expect(labProblems(page)).toEqual([]);
	});

	it('follows typing: a blank before = is flagged, and fixing it clears the flag', async () => {
		const page = await openPlayground();
		await typeEnv(page, 'EMAIL_HOST_USER = me@example.com\nEMAIL_HOST_PASSWORD=x');
		// Typing is key by key and the analysis runs whenever typing pauses, so wait for the analysis of
		// the whole text (two rows), not of a prefix of it.
		const analysed = async (): Promise<string> =>
			`${await page.locator('[data-rows] tr[data-line]').count()} ${await row(page, 1).getAttribute('data-state')} ${await row(page, 2).getAttribute('data-state')}`;
		await expect.poll(analysed, WAIT).toBe('2 different same');
		expect(await notes(page, 1).locator('[data-code="spaceAroundEquals"]').count()).toBe(1);
		expect(await page.locator('li[data-missing="EMAIL_HOST_USER"]').textContent()).toContain('only dotenv reads it');
		expect(await page.locator('[data-summary]').textContent()).toContain('Lines read differently: 1');

		await typeEnv(page, 'EMAIL_HOST_USER=me@example.com\nEMAIL_HOST_PASSWORD=x');
		await expect.poll(analysed, WAIT).toBe('2 same same');
		await expect.poll(() => page.locator('li[data-missing]').count(), WAIT).toBe(0);
		expect(await page.locator('[data-summary]').textContent()).toContain('Lines read differently: 0');
	});

	it('shows where the two libraries read a value differently, character by character', async () => {
		const page = await openPlayground();
		await typeEnv(page, 'SECRET="a\\nb"\nNOTE=ok # comment');
		// Wait for the analysis of the whole text, not of a prefix typed so far.
		await expect.poll(() => row(page, 2).locator('[data-parser="django"]').textContent(), WAIT).toBe('ok # comment');
		expect(await row(page, 2).getAttribute('data-state')).toBe('different');
		// dotenv turns \n into a real line break (shown as ↵); django-environ keeps backslash and n.
		expect(await row(page, 1).locator('[data-parser="dotenv"]').textContent()).toContain('↵');
		expect(await row(page, 1).locator('[data-parser="django"]').textContent()).toBe('a\\nb');
		expect(await row(page, 2).locator('[data-parser="django"]').textContent()).toBe('ok # comment');
	});

	it('checks the exercise goals as the file gets fixed', async () => {
		const page = await openPlayground();
		const met = () => page.locator('[data-goals] li[data-met="true"]').count();
		expect(await page.locator('[data-goal-progress]').textContent()).toBe('1 of 5 goals met');
		await typeEnv(page, ['EMAIL_HOST_USER=forum.admin@gmail.com', "EMAIL_HOST_PASSWORD='xxxx xxxx xxxx xxxx'", 'EMAIL_USE_TLS=True', 'EMAIL_USE_SSL=False'].join('\n'));
		await expect.poll(met, WAIT).toBe(5);
		expect(await page.locator('[data-goal-progress]').textContent()).toBe('5 of 5 goals met');
		// The met exercise is stored for the reader's progress (src/labs/env/env-progress.ts).
		expect(await page.evaluate(() => localStorage.getItem('postlab:env:labs/env:env-lab'))).toBe('met');
	});

	it('records nothing while a goal is unmet, and announces the moment all are met', async () => {
		const page = await openPlayground();
		await page.evaluate(() => {
			const seen: unknown[] = [];
			(window as unknown as { met: unknown[] }).met = seen;
			document.addEventListener('postlab:env-goals-met', (event) => seen.push((event as CustomEvent).detail));
		});
		expect(await page.evaluate(() => localStorage.getItem('postlab:env:labs/env:env-lab'))).toBeNull();
		await typeEnv(page, ['EMAIL_HOST_USER=a@example.com', 'EMAIL_HOST_PASSWORD=secret'].join('\n'));
		await expect.poll(() => page.evaluate(() => (window as unknown as { met: unknown[] }).met), WAIT).toEqual([{ lesson: 'labs/env', lab: 'env-lab' }]);
	});

	it('restores the example with the button', async () => {
		const page = await openPlayground();
		await typeEnv(page, 'A=1');
		await expect.poll(() => page.locator('[data-rows] tr[data-line]').count(), WAIT).toBe(1);
		await page.getByRole('button', { name: 'Restore the example' }).click();
		await expect.poll(() => page.locator('[data-rows] tr[data-line]').count(), WAIT).toBe(7);
	});

	it('sends nothing over the network while the learner types a secret', async () => {
		const page = await openPlayground();
		await page.waitForLoadState('networkidle');
		const secret = 'qwhz mkpa lrtv bnsd';
		const requests: Request[] = [];
		page.on('request', (request) => requests.push(request));
		await typeEnv(page, `EMAIL_HOST_PASSWORD='${secret}'`);
		await expect.poll(() => page.locator('[data-code="gmailAppPassword"]').count(), WAIT).toBe(1);
		await page.getByRole('button', { name: 'Restore the example' }).click();
		await expect.poll(() => page.locator('[data-rows] tr[data-line]').count(), WAIT).toBe(7);
		// Starlight may still load its own code lazily (search UI, icons); such GETs of static files carry
		// nothing typed. Any request that could carry data — a fetch, XHR, beacon, socket, navigation, a
		// non-GET, or the secret anywhere in a URL — fails the test.
		const carrying = requests.filter(
			(r) =>
				r.method() !== 'GET' ||
				!['script', 'stylesheet', 'image', 'font'].includes(r.resourceType()) ||
				r.url().includes(encodeURIComponent(secret)) ||
				r.url().includes('qwhz'),
		);
		expect(carrying.map((r) => `${r.method()} ${r.resourceType()} ${r.url()}`)).toEqual([]);
	});

	it('says that it needs JavaScript when scripts are off', async () => {
		const page = await browser.newPage({ javaScriptEnabled: false });
		await page.goto(browser.url(PATH));
		expect(await page.locator('[data-noscript]').isVisible()).toBe(true);
		expect(await page.locator('[data-noscript]').textContent()).toContain('JavaScript');
		expect(await page.locator('[data-results]').isVisible()).toBe(false);
		expect(await page.getByLabel('Your .env file').inputValue()).toContain('EMAIL_HOST_USER = ');
	});

	it('speaks Korean on the Korean page', async () => {
		const page = await browser.newPage({ locale: 'ko-KR' });
		await page.goto(browser.url('/ko/labs/env/'));
		await expect.poll(() => page.locator('[data-summary]').textContent(), WAIT).toMatch(/읽은 키/);
		expect(await page.locator('.env-lab-table caption').textContent()).toBe('라이브러리별로 각 줄에서 읽은 값');
		expect(await row(page, 2).locator('[data-parser="django"]').textContent()).toContain('건너뜀');
	});

	it('fits its table in the page at desktop and phone widths, explanations included, in both languages', async () => {
		const problems: string[] = [];
		for (const width of [1280, 1920, 390]) {
			const page = await browser.newPage({ viewport: { width, height: 900 } });
			for (const path of [PATH, '/ko/labs/env/']) {
				await page.goto(browser.url(path));
				await expect.poll(() => page.locator('[data-rows] tr[data-line]').count(), WAIT).toBe(7);
				const layout = await measureTables(page);
				problems.push(...layout.problems.map((problem) => `${path} at ${width} px: ${problem}`));
				// The explanations take the table's full width under each line's readings, not a column of their own.
				const [table, note] = await Promise.all([page.locator('.env-lab-table').boundingBox(), notes(page, 2).locator('td').boundingBox()]);
				expect(note && table && note.width / table.width).toBeGreaterThan(0.6);
			}
		}
		expect(problems).toEqual([]);
	});

	it('has no serious accessibility violations', async () => {
		const page = await openPlayground();
		const results = await new AxeBuilder({ page }).include('[data-env-lab]').analyze();
		const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
		expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
		// The summary is announced politely, not on every keystroke.
		expect(await page.locator('[data-summary]').getAttribute('aria-live')).toBe('polite');
	}, AXE_TIMEOUT_MS);
});
