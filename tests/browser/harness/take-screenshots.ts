/**
 * Takes the lessons' screenshots of the password reset (the chapter's 28_07–28_10) from the running
 * site, in Korean and English, so they never fall out of date:
 *
 *   npm run screenshots            (= astro build && node tests/browser/harness/take-screenshots.ts)
 *
 * For each language: a fresh server on a fresh temporary data dir, a learner signs up, asks for a reset,
 * opens the email in the sandbox inbox, follows its link, sets a new password and logs in with it. Four
 * screens are saved to public/screenshots/{lang}/reset-{1..4}-*.png: a 1000x700 window, light theme, each
 * clipped to the page's main column down to what the step is about (no sidebar: smaller files, and
 * the eye goes to the step).
 * The script fails loudly if any step of the flow fails, so a broken reset never ships a stale picture.
 * Each run gets free ports, but the pictures show what a learner's default `npm start` shows: the reset
 * link in the email is shown on http://127.0.0.1:4321 whatever port this run's server used.
 * Afterwards it writes each picture's new size into the width/height of the lessons' <img> tags that
 * show it (tests/unit/lesson-assets.test.ts checks they match).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { findChromium } from './chromium.ts';
import { startServer, type RunningServer } from './server-process.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LANGS = ['ko', 'en'] as const;
type Lang = (typeof LANGS)[number];

/** Fixed, so every run shows the same account. The password never appears on screen (masked fields). */
const LEARNER = { username: 'learner', email: 'learner@example.com' } as const;
const OLD_PASSWORD = 'tulip-orbit-2048';
const NEW_PASSWORD = 'maple-river-4096';
const VIEWPORT = { width: 1000, height: 700 } as const;
/** Where a learner's Postlab answers by default (`PORT` 4321), and so where the pictures' links point. */
const DEFAULT_ORIGIN = 'http://127.0.0.1:4321';
/** The busy machine this runs on can be slow; waits are on conditions, with room to spare. */
const WAIT_MS = 60_000;
/** Space below the last element shown, and the tallest picture a step may take (CSS pixels). */
const MARGIN = 8;
const MAX_HEIGHT = 900;

/** The UI strings the flow clicks on, read from the site's own translations so they cannot drift. */
type Strings = Readonly<Record<string, string>>;
async function uiStrings(lang: Lang): Promise<Strings> {
	return JSON.parse(await readFile(join(ROOT, 'src/content/i18n', `${lang}.json`), 'utf8')) as Strings;
}
function s(strings: Strings, key: string): string {
	const value = strings[key];
	if (value === undefined) throw new Error(`UI string ${key} is missing`);
	return value;
}

interface ApiMessage {
	id: string;
	subject: string;
	to: Array<{ address: string }>;
}
interface ApiDetail extends ApiMessage {
	links: Array<{ href: string }>;
}

async function api<T>(server: RunningServer, path: string): Promise<T> {
	const response = await fetch(new URL(path, server.url));
	if (!response.ok) throw new Error(`${path} answered ${response.status}`);
	return (await response.json()) as T;
}

/** Polls until the sandbox holds `count` messages to the learner, then returns them (newest first). */
async function waitForMail(server: RunningServer, count: number): Promise<ApiMessage[]> {
	const deadline = Date.now() + WAIT_MS;
	for (;;) {
		const page = await api<{ messages: ApiMessage[] }>(server, `/api/v1/messages?query=${encodeURIComponent(LEARNER.email)}`);
		const mine = page.messages.filter((m) => m.to.some((to) => to.address === LEARNER.email));
		if (mine.length >= count) return mine;
		if (Date.now() > deadline) throw new Error(`expected ${count} message(s) to ${LEARNER.email}, found ${mine.length}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * Makes the inbox show the reset email's links on DEFAULT_ORIGIN: the sandbox API's answers for one message
 * (its detail, its HTML) are passed through with this run's origin replaced. Only what the page displays
 * changes; the link the script follows is the real one.
 */
async function showDefaultOrigin(page: Page, server: RunningServer): Promise<void> {
	const runOrigin = new URL(server.url).origin;
	if (runOrigin === DEFAULT_ORIGIN) return;
	await page.route(
		(url) => url.pathname.startsWith('/api/v1/messages/'),
		async (route) => {
			const response = await route.fetch();
			const body = (await response.text()).replaceAll(runOrigin, DEFAULT_ORIGIN);
			await route.fulfill({ response, body });
		},
	);
}

async function fill(page: Page, fields: Record<string, string>): Promise<void> {
	for (const [name, value] of Object.entries(fields)) await page.locator(`form [name="${name}"]:visible`).fill(value);
}

/** Presses the form's button and waits for the next document (after a 303, the page redirected to). */
async function submit(page: Page, button: string): Promise<void> {
	await Promise.all([page.waitForEvent('load', { timeout: WAIT_MS }), page.locator('form button[type="submit"]').filter({ hasText: button }).click()]);
}

function expectPath(page: Page, expected: string | RegExp): void {
	const path = new URL(page.url()).pathname;
	const ok = typeof expected === 'string' ? path === expected : expected.test(path);
	if (!ok) throw new Error(`expected to be at ${String(expected)}, but the browser is at ${path}`);
}

/**
 * Saves the main column (right of the sidebar), from the page title down to the bottom of `last`, the
 * element the step is about: no half-cut elements at the edge, and no more page than the step needs.
 */
/** Sizes of the pictures saved in this run, by site path (`/screenshots/en/reset-1-request.png`). */
const saved = new Map<string, { width: number; height: number }>();

async function shoot(page: Page, lang: Lang, name: string, last: Locator): Promise<void> {
	await page.evaluate(() => document.fonts.ready.then(() => undefined));
	const main = await page.locator('main').boundingBox();
	const end = await last.boundingBox();
	if (!main || !end) throw new Error(`${page.url()}: <main> or the element to end at is not visible`);
	const scrollY = await page.evaluate(() => window.scrollY);
	const top = Math.floor(main.y + scrollY);
	const bottom = Math.ceil(end.y + end.height + scrollY + MARGIN);
	const clip = { x: Math.floor(main.x), y: top, width: Math.ceil(main.width), height: Math.min(bottom - top, MAX_HEIGHT) };
	const path = join(ROOT, 'public/screenshots', lang, `${name}.png`);
	await page.screenshot({ path, clip, fullPage: true, animations: 'disabled', caret: 'hide' });
	saved.set(`/screenshots/${lang}/${name}.png`, { width: clip.width, height: clip.height });
	console.log(`Saved public/screenshots/${lang}/${name}.png (${clip.width}x${clip.height}, ${Math.round((await stat(path)).size / 1024)} KB)`);
}

/** Rewrites width="…" height="…" of every lesson <img> showing a picture saved in this run. */
async function updateLessonSizes(): Promise<void> {
	for (const lang of LANGS) {
		const dir = join(ROOT, 'content/lessons', lang);
		for (const file of (await readdir(dir)).filter((name) => /\.mdx?$/.test(name))) {
			const before = await readFile(join(dir, file), 'utf8');
			const after = before.replace(/<img\s(?:[^>"]|"[^"]*")*>/g, (tag) => {
				const size = saved.get(/\ssrc="([^"]+)"/.exec(tag)?.[1] ?? '');
				if (!size) return tag;
				return tag.replace(/(\swidth=")[^"]*"/, `$1${size.width}"`).replace(/(\sheight=")[^"]*"/, `$1${size.height}"`);
			});
			if (after !== before) {
				await writeFile(join(dir, file), after);
				console.log(`Updated picture sizes in content/lessons/${lang}/${file}`);
			}
		}
	}
}

async function takeLanguage(browser: Browser, lang: Lang): Promise<void> {
	const t = await uiStrings(lang);
	const dataDir = await mkdtemp(join(tmpdir(), `postlab-screenshots-${lang}-`));
	const server = await startServer({ dataDir });
	const context = await browser.newContext({
		baseURL: server.url,
		viewport: VIEWPORT,
		colorScheme: 'light',
		locale: lang === 'ko' ? 'ko-KR' : 'en-US',
		timezoneId: 'UTC',
		reducedMotion: 'reduce',
	});
	context.setDefaultTimeout(WAIT_MS);
	context.setDefaultNavigationTimeout(WAIT_MS);
	try {
		const page = await context.newPage();
		const base = `/${lang}/sandbox/forum/`;
		await mkdir(join(ROOT, 'public/screenshots', lang), { recursive: true });

		await page.goto(`${base}signup/`);
		await fill(page, { username: LEARNER.username, email: LEARNER.email, password1: OLD_PASSWORD, password2: OLD_PASSWORD });
		await submit(page, s(t, 'forum.signup.submit'));
		expectPath(page, base);

		await page.goto(`${base}logout/`);
		await submit(page, s(t, 'forum.logout.submit'));
		expectPath(page, `${base}login/`);

		// 28_07: the reset form, filled in. The live inbox beside it is empty and connected.
		await page.goto(`${base}password_reset/`);
		await fill(page, { email: LEARNER.email });
		await page.locator('[data-inbox][data-live="true"]').waitFor();
		await shoot(page, lang, 'reset-1-request', page.locator('main form[method="post"]'));
		await submit(page, s(t, 'forum.reset.submit'));
		expectPath(page, `${base}password_reset/done/`);

		// 28_08: the reset email, opened in the sandbox inbox, its text (with the link) showing.
		const [reset] = await waitForMail(server, 1);
		const mail = await api<ApiDetail>(server, `/api/v1/messages/${reset!.id}`);
		const link = mail.links.map((l) => l.href).find((href) => href.includes('/sandbox/forum/reset/'));
		if (!link) throw new Error(`the reset email (${mail.subject}) has no reset link`);
		await showDefaultOrigin(page, server);
		await page.goto(`/${lang}/sandbox/inbox/${reset!.id}/`);
		await page.locator('[data-message][aria-busy="false"] [data-loaded]:visible').waitFor();
		await page.getByRole('tab', { name: s(t, 'message.tab.text') }).click();
		const text = page.locator('[data-text]:visible').filter({ hasText: `${DEFAULT_ORIGIN}/${lang}/sandbox/forum/reset/` });
		await text.waitFor();
		await page.unrouteAll();
		await shoot(page, lang, 'reset-2-inbox', text);

		// 28_09: the new-password form, both fields filled (masked).
		await page.goto(link);
		expectPath(page, new RegExp(`^${base}reset/[A-Za-z0-9_-]+/set-password/$`));
		await fill(page, { new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD });
		await shoot(page, lang, 'reset-3-new-password', page.locator('main form[method="post"]'));
		await submit(page, s(t, 'forum.confirm.submit'));
		expectPath(page, `${base}reset/done/`);

		// 28_10: "Password reset complete". Then prove it: the new password logs in.
		await shoot(page, lang, 'reset-4-done', page.locator('main aside').last());
		await page.goto(`${base}login/`);
		await fill(page, { username: LEARNER.username, password: NEW_PASSWORD });
		await submit(page, s(t, 'forum.login.submit'));
		expectPath(page, base);
		await page.locator('.forum-welcome', { hasText: LEARNER.username }).waitFor();
	} catch (error) {
		console.error(`The ${lang} run failed. Server output:\n${server.output()}`);
		throw error;
	} finally {
		await context.close();
		await server.stop();
		await rm(dataDir, { recursive: true, force: true });
	}
}

// Without a Korean font Chromium draws boxes for every Hangul letter, and the Korean pictures would ship so.
const koreanFonts = (() => {
	try {
		return execFileSync('fc-list', [':lang=ko', 'family'], { encoding: 'utf8' }).trim();
	} catch {
		return '';
	}
})();
if (koreanFonts === '') {
	throw new Error('No Korean font is installed, so the Korean screenshots would show boxes. Install one (Debian: apt-get install fonts-noto-cjk) and run again.');
}

const executablePath = findChromium();
if (executablePath instanceof Error) throw executablePath;
const browser = await chromium.launch({ executablePath });
try {
	// One language at a time, each on its own server: the same user name in both, and each inbox holds only its own mail.
	for (const lang of LANGS) await takeLanguage(browser, lang);
} finally {
	await browser.close();
}
await updateLessonSizes();
