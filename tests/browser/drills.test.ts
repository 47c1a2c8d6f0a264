/**
 * Failure drills in Chromium against the real server (issue 20), one short walk through try-the-reset: the
 * lesson's drill panel turns "wrong app password" on, a Django-like login (STARTTLS, AUTH) is refused with
 * 535 5.7.8 and the panel lists the refusal with its explanation; the drill exercise then waits for the
 * delivery, the panel turns the drill off, the same login's reset email arrives, and the exercise passes.
 */
import nodemailer from 'nodemailer';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { sandboxEndpoints } from './harness/sandbox-endpoints.ts';

const browser = useBrowser();
/** This machine can be busy; the waits are for conditions, not speed checks. */
const WAIT = { timeout: 30_000 } as const;
let smtpPort = 0;
let certificate = '';

beforeAll(async () => {
	const sandbox = await sandboxEndpoints(browser);
	smtpPort = sandbox.ports.smtp;
	certificate = sandbox.certificate;
});

/** Sends a reset email the way Django does with EMAIL_USE_TLS; the reply code it ended with. */
async function djangoLikeReset(): Promise<number> {
	const transport = nodemailer.createTransport({
		host: '127.0.0.1',
		port: smtpPort,
		requireTLS: true,
		tls: { ca: certificate },
		auth: { user: 'me@gmail.example', pass: 'abcd efgh ijkl mnop' },
	});
	try {
		const info = await transport.sendMail({ from: 'webmaster@localhost', to: 'student@example.com', subject: 'Password reset on 127.0.0.1:8000', text: 'reset' });
		return Number(info.response.slice(0, 3));
	} catch (error) {
		return (error as { responseCode?: number }).responseCode ?? 0;
	} finally {
		transport.close();
	}
}

describe('failure drills in the browser', () => {
	it('try-the-reset: the panel turns a drill on and off, shows the refusal, and the drill exercise passes', async () => {
		const page = await browser.newPage();
		const problems = consoleProblems(page);
		await page.goto(browser.url('/en/try-the-reset/'));
		const exercise = page.locator('[data-drill-exercise]');
		await exercise.getByRole('button', { name: 'Check the drill' }).click(WAIT);
		await expect.poll(() => exercise.locator('[data-drill-exercise-status]').textContent(), WAIT).toMatch(/Waiting for your Django to be refused/);

		const panel = page.locator('[data-drill-panel]');
		await panel.getByLabel('Drill').selectOption('wrong-app-password');
		await panel.getByLabel('Until I turn it off').check();
		await panel.getByRole('button', { name: 'Turn on' }).click();
		await page.locator('[data-drill-panel][data-state="on"][data-active="wrong-app-password"]').waitFor(WAIT);

		expect(await djangoLikeReset()).toBe(535);
		// The panel lists it with the rule table's words; the exercise moves on to the second half.
		const refusal = panel.locator('[data-refusal="wrong-app-password"]').first();
		await refusal.waitFor(WAIT);
		expect(await refusal.textContent()).toMatch(/535 5\.7\.8 Username and Password not accepted[\s\S]*refused the user name or password/);
		await expect.poll(() => exercise.locator('[data-drill-exercise-status]').textContent(), WAIT).toMatch(/Refused at .* with 535 5\.7\.8/);

		await panel.getByRole('button', { name: 'Turn off' }).click();
		await page.locator('[data-drill-panel][data-state="off"]').waitFor(WAIT);
		expect(await djangoLikeReset()).toBe(250);
		await page.locator('[data-drill-exercise][data-passed="true"]').waitFor(WAIT);
		expect(await exercise.locator('[data-drill-exercise-status]').textContent()).toMatch(/^Passed: your Django was refused at .* and its reset email “Password reset on 127\.0\.0\.1:8000” was delivered/);
		expect(problems).toEqual([]);
		await page.close();
	}, 90_000);
});
