/**
 * Takes the README's screenshot: a lesson page, 1280x800, light theme, from the built site.
 *
 *   npm run build && node scripts/screenshot-lesson.ts [path] [output]
 *
 * Uses the browser tests' harness (a server on free ports, the system's Chromium). Retake it
 * whenever the lessons or the reader's look change.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { findChromium } from '../tests/browser/harness/chromium.ts';
import { startServer } from '../tests/browser/harness/server-process.ts';

const [path = '/en/what-is-smtp/', output = 'public/images/postlab-lesson.png'] = process.argv.slice(2);

const executablePath = findChromium();
if (executablePath instanceof Error) throw executablePath;
const dataDir = await mkdtemp(join(tmpdir(), 'postlab-screenshot-'));
const server = await startServer({ dataDir });
const browser = await chromium.launch({ executablePath });
try {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
	const page = await context.newPage();
	await page.goto(new URL(path, server.url).href, { waitUntil: 'networkidle' });
	await mkdir(dirname(output), { recursive: true });
	await page.screenshot({ path: output });
	console.log(`Saved ${output} (${path}, 1280x800, light)`);
} finally {
	await browser.close();
	await server.stop();
	await rm(dataDir, { recursive: true, force: true });
}
