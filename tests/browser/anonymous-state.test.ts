/**
 * Anonymous visitors leave no stored state (a real `node sandbox/main.ts`): thousands of cookie-less GETs of
 * the forum's, settings' and classroom pages store no session, and a learner's reset, half-way between the
 * email's link and the new password, still works afterwards. The forms still work for a browser with no
 * session at all: their CSRF token rides on a signed cookie, not a stored session.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { FormClient } from './harness/form-client.ts';

const server = inject('baseUrl');
const dataDir = inject('sandboxDataDir');
const PASSWORD = 'tulip-orbit-58';
const ANONYMOUS_GETS = 2000;
const PAGES = ['/en/sandbox/forum/', '/en/sandbox/forum/login/', '/ko/sandbox/forum/signup/', '/en/sandbox/forum/password_reset/', '/en/sandbox/forum/logout/', '/ko/sandbox/settings/', '/en/classroom/'];

async function storedSessions(): Promise<number> {
	try {
		const file = JSON.parse(await readFile(join(dataDir, 'forum', 'sessions.json'), 'utf8')) as { sessions: Record<string, unknown> };
		return Object.keys(file.sessions).length;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
		throw error;
	}
}

async function resetLinkFor(address: string): Promise<string> {
	const api = new FormClient({ server });
	const list = JSON.parse((await api.get(`/api/v1/messages?query=${encodeURIComponent(address)}`)).text) as { messages: Array<{ id: string; to: Array<{ address: string }> }> };
	const mail = list.messages.find((m) => m.to.some((to) => to.address === address));
	expect(mail, `a reset mail to ${address}`).toBeDefined();
	const detail = JSON.parse((await api.get(`/api/v1/messages/${mail!.id}`)).text) as { text?: string };
	const link = /https?:\/\/\S+\/reset\/[^/\s]+\/[^/\s]+\//.exec(detail.text ?? '')?.[0];
	expect(link, 'the reset link in the mail').toBeDefined();
	return new URL(link!).pathname;
}

describe('anonymous visitors create no stored state', { timeout: 120_000 }, () => {
	it(`${ANONYMOUS_GETS} cookie-less GETs store no session and leave a learner's half-done reset working`, async () => {
		const address = `half-done-${Date.now()}@example.com`;
		const owner = new FormClient({ server });
		expect((await owner.submit('/en/sandbox/forum/signup/', { username: `halfdone${Date.now()}`, email: address, password1: PASSWORD, password2: PASSWORD })).status).toBe(303);

		// The learner asks for a reset in a fresh browser and opens the email's link: the token moves into a session.
		const learner = new FormClient({ server });
		const asked = await learner.submit('/en/sandbox/forum/password_reset/', { email: address });
		expect(asked.status).toBe(303);
		expect(learner.cookies.has('postlab_forum_session')).toBe(false);
		const opened = await learner.get(await resetLinkFor(address));
		expect(opened.status).toBe(302);
		const setPassword = opened.location!;
		expect(setPassword).toMatch(/\/set-password\/$/);

		const before = await storedSessions();
		const started = performance.now();
		let next = 0;
		const worker = async (): Promise<void> => {
			while (next < ANONYMOUS_GETS) {
				const path = PAGES[next++ % PAGES.length]!;
				const reply = await new FormClient({ server }).get(path);
				expect(reply.status, path).toBe(200);
				expect(String(reply.headers['set-cookie'] ?? '')).not.toContain('postlab_forum_session');
			}
		};
		await Promise.all(Array.from({ length: 8 }, worker));
		const seconds = (performance.now() - started) / 1000;
		const after = await storedSessions();
		console.log(`[anonymous-state] ${ANONYMOUS_GETS} cookie-less GETs in ${seconds.toFixed(1)} s: stored sessions ${before} before, ${after} after`);
		expect(after).toBe(before);

		// The half-done reset is still there: the form shows, and the new password is set.
		const form = await learner.get(setPassword);
		expect(form.status).toBe(200);
		expect(form.text).toContain('name="new_password1"');
		const done = await learner.post(setPassword, { new_password1: 'a-new-tulip-orbit-59', new_password2: 'a-new-tulip-orbit-59' }, form.text);
		expect(done.status).toBe(303);
		expect(done.location).toMatch(/\/reset\/done\/$/);
	});

	it('a form posted with a token from another browser, or none, is refused (403) and stores nothing', async () => {
		const mine = new FormClient({ server });
		const page = await mine.get('/en/sandbox/forum/login/');
		const stranger = new FormClient({ server });
		await stranger.get('/en/sandbox/forum/login/');
		const before = await storedSessions();
		expect((await stranger.post('/en/sandbox/forum/login/', { username: 'x', password: 'y' }, page.text)).status).toBe(403);
		expect((await new FormClient({ server }).post('/en/sandbox/forum/login/', { username: 'x', password: 'y' })).status).toBe(403);
		// A cookie value someone made up, with the token that would match it, is not ours.
		const forger = new FormClient({ server });
		forger.cookies.set('postlab_csrftoken', `${'A'.repeat(43)}.${'B'.repeat(43)}`);
		expect((await forger.post('/en/sandbox/forum/login/', { username: 'x', password: 'y', csrfmiddlewaretoken: 'C'.repeat(43) })).status).toBe(403);
		expect(await storedSessions()).toBe(before);
	});
});
