/**
 * Dates and times in the page's language and the reader's own time zone, whatever language the browser
 * itself speaks: the forum's "last login" (rendered by the server in UTC, rewritten in the browser) and a
 * message's date in the inbox. The browsers here speak English and sit in Seoul or New York.
 */
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.ts';
import { sandboxEndpoints } from './harness/sandbox-endpoints.ts';

const browser = useBrowser();

async function submit(page: Page, fields: Record<string, string>): Promise<void> {
	for (const [name, value] of Object.entries(fields)) await page.locator(`form [name="${name}"]:visible`).fill(value);
	await Promise.all([page.waitForEvent('load'), page.locator('form button[type="submit"]').click()]);
}

const CASES = [
	{ lang: 'ko', timezoneId: 'Asia/Seoul', dayPeriod: /오전|오후/ },
	{ lang: 'en', timezoneId: 'America/New_York', dayPeriod: /AM|PM/ },
] as const;

describe('dates and times', () => {
	it('the forum shows the last login in the page language and the reader\'s time zone', async () => {
		for (const { lang, timezoneId, dayPeriod } of CASES) {
			const page = await browser.newPage({ locale: 'en-US', timezoneId });
			const username = `clock-${lang}-${Date.now()}`;
			await page.goto(browser.url(`/${lang}/sandbox/forum/signup/`));
			await submit(page, { username, email: `${username}@example.com`, password1: 'quartz-meadow-5150', password2: 'quartz-meadow-5150' });
			const time = page.locator('main time[data-local-time]');
			const iso = (await time.getAttribute('datetime')) ?? '';
			const expected = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: timezoneId }).format(new Date(iso));
			await expect.poll(() => time.textContent()).toBe(expected);
			expect(expected).toMatch(dayPeriod);
			expect(await time.locator('..').textContent()).not.toContain('UTC');
		}
	});

	it('a message\'s date in the inbox is in the page language and the reader\'s time zone', async () => {
		const { ports } = await sandboxEndpoints(browser);
		const transport = nodemailer.createTransport({ host: '127.0.0.1', port: ports.smtp, secure: false, ignoreTLS: true });
		const date = new Date('2026-12-07T11:24:43Z');
		const info = await transport.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: `Clock ${Date.now()}`, text: 'tick', date });
		transport.close();
		const id = /stored as (\w+)/.exec(info.response)?.[1];
		for (const { lang, timezoneId } of CASES) {
			const page = await browser.newPage({ locale: 'en-US', timezoneId });
			await page.goto(browser.url(`/${lang}/sandbox/inbox/${id}`));
			const expected = new Intl.DateTimeFormat(lang, { dateStyle: 'full', timeStyle: 'medium', timeZone: timezoneId }).format(date);
			await expect.poll(() => page.locator('[data-field="date"]').textContent()).toBe(expected);
		}
	});
});
