/**
 * A real lesson's quiz in Korean: a wrong answer is explained, right answers are confirmed with their
 * feedback, and the lesson's quiz score next to "mark as done" counts them (src/progress/quiz-score.ts).
 */
import { describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { lessonPath } from './harness/pages.ts';

const browser = useBrowser();
/** This machine can be busy; the poll waits for a condition, it is not a speed check. */
const WAIT = { timeout: 15_000 } as const;
const LESSON = 'env-parsing';

describe('lesson quiz (ko)', () => {
	it('explains answers, confirms right ones and counts them toward the lesson', async () => {
		const page = await browser.newPage();
		await page.goto(browser.url(lessonPath('ko', LESSON)));
		const score = page.locator(`[data-quiz-score="${LESSON}"]`);
		await expect.poll(() => score.textContent(), WAIT).toBe('퀴즈: 3문제 중 0문제 정답');
		expect(await score.getAttribute('data-complete')).toBe('false');

		// A typical mistake first: believing the space after = is trimmed.
		const first = page.locator('#quiz-leading-space');
		const feedback = first.locator('[data-feedback]');
		await first.getByLabel('로그인된다: 값 앞의 공백은 잘려 나간다').check();
		await first.getByRole('button', { name: '확인' }).click();
		await expect.poll(() => feedback.getAttribute('data-verdict'), WAIT).toBe('incorrect');
		expect(await feedback.textContent()).toContain('공백을 잘라 내는 것은 dotenv이고');
		// `=` in the feedback is shown as code, not as raw backticks.
		expect(await feedback.locator('code').allTextContents()).toEqual(['=']);
		expect(await feedback.textContent()).not.toContain('`');
		expect(await page.evaluate((key) => localStorage.getItem(key), `postlab:quiz:${LESSON}:leading-space`)).toBeNull();

		const answers = [
			['leading-space', '비밀번호가 공백으로 시작한다', '비밀번호가 `␣abcdefghijklmnop`이 되며'.replaceAll('`', '')],
			['false-string', '실행된다', 'dotenv는 값을 변환하지 않아'],
			['dollar', '다른 변수를 가리키는 값(proxy)으로 본다', 'env.escape_proxy = True'],
		] as const;
		for (const [id, label, explanation] of answers) {
			const quiz = page.locator(`#quiz-${id}`);
			await quiz.getByLabel(label, { exact: id === 'false-string' }).check();
			await quiz.getByRole('button', { name: '확인' }).click();
			const verdict = quiz.locator('[data-feedback]');
			await expect.poll(() => verdict.getAttribute('data-verdict'), WAIT).toBe('correct');
			expect(await verdict.textContent()).toContain(explanation);
			expect(await page.evaluate((key) => localStorage.getItem(key), `postlab:quiz:${LESSON}:${id}`)).toBe('correct');
		}
		await expect.poll(() => score.textContent(), WAIT).toBe('퀴즈: 3문제 중 3문제 정답');
		expect(await score.getAttribute('data-complete')).toBe('true');

		// The score is read back from storage, not only from this visit.
		await page.reload();
		await expect.poll(() => score.textContent(), WAIT).toBe('퀴즈: 3문제 중 3문제 정답');
		expect(consoleProblems(page).filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
	});
});
