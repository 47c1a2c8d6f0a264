/**
 * A classroom Postlab on HOST=0.0.0.0 (`node sandbox/main.ts`), driven over HTTP as learners' browsers would,
 * with the Host headers a network gives: the forum's reset link and a learner's EMAIL_HOST use the address
 * the browser used when it is this machine's, and never a name another site made up; SANDBOX_PUBLIC_URL
 * wins when set. Refused join names answer 400 with the reason in the page's language. An instructor's
 * session ends at logout, also for a copy of its cookie.
 */
import { networkInterfaces } from 'node:os';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from './harness/form-client.ts';
import { startOwnServer, type OwnServer } from './harness/own-server.ts';

const TOKEN = randomBytes(16).toString('hex');
const PASSWORD = 'tulip-orbit-58';
const STRINGS = Object.fromEntries(
	(['ko', 'en'] as const).map((lang) => [lang, JSON.parse(readFileSync(new URL(`../../src/content/i18n/${lang}.json`, import.meta.url), 'utf8')) as Record<string, string>]),
) as Record<'ko' | 'en', Record<string, string>>;
/** The page escapes text for HTML; the UI strings here hold only characters that escaping leaves alone. */
const say = (lang: 'ko' | 'en', key: string): string => STRINGS[lang][key]!;

/** This machine's first LAN address, as os.networkInterfaces() gives it (CI machines have one on eth0). */
const LAN = Object.values(networkInterfaces())
	.flatMap((list) => list ?? [])
	.find((address) => !address.internal && address.family === 'IPv4')?.address;

interface Started {
	own: OwnServer;
	/** Where to connect: 127.0.0.1 and the port it printed. */
	url: string;
	port: string;
}

async function start(env: Record<string, string>): Promise<Started> {
	const own = await startOwnServer({ env: { SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: TOKEN, HOST: '0.0.0.0', ...env } });
	const printed = new URL(own.server.url);
	return { own, url: `http://127.0.0.1:${printed.port}/`, port: printed.port };
}

async function stop(started: Started | undefined): Promise<void> {
	await started?.own.stop();
}

/** A learner's browser: joins the class, signs up a forum account with `email`. */
async function learner(at: Started, host: string, name: string, email: string): Promise<FormClient> {
	const client = new FormClient({ server: at.url, host });
	const joined = await client.submit('/en/classroom/', { name, intent: 'join' });
	expect(joined.status, joined.text.slice(0, 500)).toBe(303);
	const signedUp = await client.submit('/en/sandbox/forum/signup/', { username: email.split('@')[0]!, email, password1: PASSWORD, password2: PASSWORD });
	expect(signedUp.status).toBe(303);
	return client;
}

/** Asks for a reset and returns the link in the newest mail of the learner's own inbox. */
async function resetLink(client: FormClient, email: string): Promise<string> {
	const known = new Set(await messageIds(client));
	expect((await client.submit('/en/sandbox/forum/password_reset/', { email })).status).toBe(303);
	const fresh = (await messageIds(client)).filter((id) => !known.has(id));
	expect(fresh).toHaveLength(1);
	const detail = JSON.parse((await client.get(`/api/v1/messages/${fresh[0]}`)).text) as { text: string | null };
	const link = /https?:\/\/\S+\/reset\/\S+\/\S+\//.exec(detail.text ?? '')?.[0];
	expect(link, detail.text ?? '').toBeDefined();
	return link!;
}

async function messageIds(client: FormClient): Promise<string[]> {
	const reply = await client.get('/api/v1/messages');
	expect(reply.status).toBe(200);
	return (JSON.parse(reply.text) as { messages: Array<{ id: string }> }).messages.map((m) => m.id);
}

describe('a classroom Postlab on 0.0.0.0', { timeout: 120_000 }, () => {
	let at: Started;
	beforeAll(async () => {
		at = await start({});
	}, 120_000);
	afterAll(async () => {
		await stop(at);
	});

	it.skipIf(!LAN)('builds the reset link and EMAIL_HOST from the address the browser used, when it is this machine’s', async () => {
		const client = await learner(at, `${LAN}:${at.port}`, 'Lan Learner', 'lan@example.com');
		expect(await resetLink(client, 'lan@example.com')).toMatch(new RegExp(`^http://${LAN!.replaceAll('.', '\\.')}:${at.port}/en/sandbox/forum/reset/`));
		expect((await client.get('/en/classroom/')).text).toContain(`EMAIL_HOST=${LAN}`);
		client.host = `127.0.0.1:${at.port}`;
		expect(await resetLink(client, 'lan@example.com')).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${at.port}/en/sandbox/forum/reset/`));
	});

	it('never lets a foreign Host header decide a link', async () => {
		const client = await learner(at, `evil.example:${at.port}`, 'Forged Host', 'forged@example.com');
		const link = await resetLink(client, 'forged@example.com');
		expect(link).not.toContain('evil.example');
		expect(new URL(link).host).toBe(`${LAN ?? '127.0.0.1'}:${at.port}`);
		const page = (await client.get('/en/classroom/')).text;
		expect(page).not.toContain('EMAIL_HOST=evil.example');
		expect(page).toContain(`EMAIL_HOST=${LAN ?? '127.0.0.1'}`);
	});

	it.each([
		['ko', '\u3164\u3164', 'classroom.join.error.invalid'],
		['en', '\u1160', 'classroom.join.error.invalid'],
		['en', 'Al\u200Bice', 'classroom.join.error.invalid'],
		['ko', 'Ann\u202Eevil', 'classroom.join.error.invalid'],
		['en', '   ', 'classroom.join.error.empty'],
		['ko', 'x'.repeat(41), 'classroom.join.error.long'],
		['en', '12345', 'classroom.join.error.noLetter'],
	] as const)('refuses the name %# (%s) with 400 and the reason', async (lang, name, key) => {
		const client = new FormClient({ server: at.url });
		const reply = await client.submit(`/${lang}/classroom/`, { name, intent: 'join' });
		expect(reply.status).toBe(400);
		expect(reply.text).toContain(say(lang, key));
		expect(client.cookies.has('postlab_learner')).toBe(false);
	});

	it('refuses names that look like a joined learner’s, in both languages', async () => {
		expect((await new FormClient({ server: at.url }).submit('/en/classroom/', { name: 'Alice', intent: 'join' })).status).toBe(303);
		for (const [lang, twin] of [['en', 'Alice'], ['ko', '\u0410lice'], ['en', 'Ａｌｉｃｅ'], ['ko', 'alice']] as const) {
			const reply = await new FormClient({ server: at.url }).submit(`/${lang}/classroom/`, { name: twin, intent: 'join' });
			expect(reply.status, twin).toBe(400);
			expect(reply.text).toContain(say(lang, 'classroom.join.error.taken'));
		}
	});

	it('ends the instructor’s session at logout, for every copy of its cookie', async () => {
		const instructor = new FormClient({ server: at.url });
		expect((await instructor.submit('/en/classroom/instructor/', { token: TOKEN, intent: 'login' })).status).toBe(303);
		const cookie = instructor.cookies.get('postlab_instructor')!;
		expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const copy = new FormClient({ server: at.url });
		copy.cookies.set('postlab_instructor', cookie);
		expect((await copy.get('/api/v1/classroom/roster')).status).toBe(200);
		const dashboard = await instructor.get('/en/classroom/instructor/');
		expect(dashboard.text).toContain('data-dashboard');
		expect((await instructor.post('/en/classroom/instructor/', { intent: 'logout' }, dashboard.text)).status).toBe(303);
		expect(instructor.cookies.has('postlab_instructor')).toBe(false);
		expect((await copy.get('/api/v1/classroom/roster')).status).toBe(401);
		const after = (await copy.get('/en/classroom/instructor/')).text;
		expect(after).not.toContain('data-dashboard');
		expect(after).toContain('data-classroom="instructor-login"');
	});
});

describe('a classroom Postlab behind SANDBOX_PUBLIC_URL', { timeout: 120_000 }, () => {
	let at: Started;
	beforeAll(async () => {
		at = await start({ SANDBOX_PUBLIC_URL: 'https://postlab.school.example' });
	}, 120_000);
	afterAll(async () => {
		await stop(at);
	});

	it('starts every reset link with it, whatever Host the request carried', async () => {
		const client = await learner(at, `127.0.0.1:${at.port}`, 'Proxied', 'proxied@example.com');
		expect(await resetLink(client, 'proxied@example.com')).toMatch(/^https:\/\/postlab\.school\.example\/en\/sandbox\/forum\/reset\//);
		expect(at.own.server.output()).toContain('learners join at https://postlab.school.example/ko/classroom/');
	});
});
