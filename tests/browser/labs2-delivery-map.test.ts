/**
 * The delivery map in a real browser: after a message reaches the sandbox over implicit TLS, the lesson's
 * map lights the app → sandbox hop with its port and TLS state, greys the later hops, and passes axe.
 */
import { AxeBuilder } from '@axe-core/playwright';
import nodemailer from 'nodemailer';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleProblems, useBrowser } from './harness/browser.ts';
import { sandboxEndpoints } from './harness/sandbox-endpoints.ts';

const browser = useBrowser();
let messageId = '';
let smtpsPort = 0;

beforeAll(async () => {
	const sandbox = await sandboxEndpoints(browser);
	smtpsPort = sandbox.ports.smtps;
	const transport = nodemailer.createTransport({
		host: '127.0.0.1',
		port: smtpsPort,
		secure: true,
		tls: { ca: sandbox.certificate, servername: 'localhost' },
	});
	const info = await transport.sendMail({ from: 'app@example.com', to: 'reader@example.com', subject: `Map test ${Date.now()}`, text: 'Hi' });
	transport.close();
	messageId = /stored as (\S+)/.exec(info.response)?.[1] ?? '';
	expect(messageId).not.toBe('');
});

describe('delivery map', () => {
	for (const colorScheme of ['light', 'dark'] as const) {
		it(`lights the sandbox hop of the newest message (${colorScheme})`, { timeout: 90_000 }, async () => {
			const page = await browser.newPage({ colorScheme });
			await page.goto(browser.url('/en/journey-of-a-reset-email/'));
			const map = page.locator('[data-delivery-map]');
			await expect.poll(() => map.getAttribute('data-shown-id'), { timeout: 15_000 }).toBe(messageId);
			const submit = map.locator('li[data-hop-item="submit"]');
			expect(await submit.getAttribute('data-state')).toBe('taken');
			const detail = (await submit.textContent()) ?? '';
			expect(detail).toContain(`port ${smtpsPort}`);
			expect(detail).toContain('TLS from the first byte');
			expect(detail).toMatch(/accepted \(250\) after \d+ ms/);
			expect(await map.locator('li[data-hop-item="relay"]').getAttribute('data-state')).toBe('not-taken');
			expect(await map.locator('li[data-hop-item="relay"]').textContent()).toContain('In the sandbox the message stops here');
			expect(await map.locator('svg .hop[data-hop="submit"]').getAttribute('data-state')).toBe('taken');
			const results = await new AxeBuilder({ page }).include('[data-delivery-map]').analyze();
			expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
			expect(consoleProblems(page)).toEqual([]);
		});
	}
});
