/**
 * Browser test helper: one Chromium per test file (launched in beforeAll, closed in afterAll), and
 * a fresh, isolated page per call (own context, so localStorage and cookies never leak between
 * tests). Every page records console errors, uncaught exceptions and CSP violations, which a test
 * reads with `consoleProblems(page)`.
 *
 *   const browser = useBrowser();
 *   it('…', async () => {
 *     const page = await browser.newPage();
 *     await page.goto(browser.url('/ko/what-is-smtp/'));
 *   });
 *
 * A file that needs the server started differently (classroom mode) passes `serverEnv`: it then gets a
 * server of its own, on its own temporary data folder, for its tests only.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { startOwnServer, type OwnServer } from './own-server.ts';

export interface PageOptions {
	readonly colorScheme?: 'light' | 'dark';
	/** Sets navigator.language and the Accept-Language header. */
	readonly locale?: string;
	/** The browser's time zone (an IANA name); the machine's when not given. */
	readonly timezoneId?: string;
	readonly viewport?: { readonly width: number; readonly height: number };
	readonly javaScriptEnabled?: boolean;
}

export interface BrowserOptions {
	/** Start this file's own server with these variables added (e.g. SANDBOX_CLASSROOM) instead of sharing one. */
	readonly serverEnv?: Readonly<Record<string, string>>;
	/**
	 * The server the pages talk to, when a test file starts its own because its settings are known only
	 * once the file runs (e.g. a `.env` naming a port picked then; see server-process.ts). Read when a page
	 * opens.
	 */
	readonly baseUrl?: () => string;
}

export interface BrowserSession {
	/** A new page in a new browser context, light theme and 1280x800 unless told otherwise. */
	newPage(options?: PageOptions): Promise<Page>;
	/** Absolute URL on the test server for a path such as `/ko/what-is-smtp/`. */
	url(path: string): string;
	/** The server's SANDBOX_DATA_DIR. */
	dataDir(): string;
}

const problems = new WeakMap<Page, string[]>();

/** Console errors, uncaught exceptions and CSP violations seen on `page` so far. */
export function consoleProblems(page: Page): readonly string[] {
	return problems.get(page) ?? [];
}

export function useBrowser(options: BrowserOptions = {}): BrowserSession {
	let serverUrl = inject('baseUrl');
	let dataDir = inject('sandboxDataDir');
	const baseUrl = (): string => options.baseUrl?.() ?? serverUrl;
	let browser: Browser | undefined;
	let ownServer: OwnServer | undefined;

	beforeAll(async () => {
		if (options.serverEnv) {
			ownServer = await startOwnServer({ env: options.serverEnv });
			dataDir = ownServer.dataDir;
			serverUrl = ownServer.server.url;
		}
		browser = await chromium.launch({ executablePath: inject('chromiumPath') });
	});
	afterAll(async () => {
		await browser?.close();
		await ownServer?.stop();
	});

	return {
		url: (path) => new URL(path, baseUrl()).href,
		dataDir: () => dataDir,
		async newPage(pageOptions = {}) {
			if (!browser) throw new Error('newPage() was called outside a test: the browser starts in beforeAll.');
			const contextOptions: BrowserContextOptions = {
				baseURL: baseUrl(),
				viewport: pageOptions.viewport ?? { width: 1280, height: 800 },
				colorScheme: pageOptions.colorScheme ?? 'light',
				locale: pageOptions.locale ?? 'en-US',
				reducedMotion: 'reduce',
				javaScriptEnabled: pageOptions.javaScriptEnabled ?? true,
				...(pageOptions.timezoneId ? { timezoneId: pageOptions.timezoneId } : {}),
			};
			const context = await browser.newContext(contextOptions);
			const page = await context.newPage();
			const seen: string[] = [];
			problems.set(page, seen);
			// A CSP violation reaches the console as an error ("Refused to execute inline script…").
			page.on('console', (message) => {
				if (message.type() === 'error') seen.push(`console: ${message.text()}`);
			});
			page.on('pageerror', (error) => seen.push(`uncaught: ${error.message}`));
			return page;
		},
	};
}
