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
 */
import { afterAll, beforeAll, inject } from 'vitest';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export interface PageOptions {
	readonly colorScheme?: 'light' | 'dark';
	/** Sets navigator.language and the Accept-Language header. */
	readonly locale?: string;
	readonly viewport?: { readonly width: number; readonly height: number };
	readonly javaScriptEnabled?: boolean;
}

export interface BrowserSession {
	/** A new page in a new browser context, light theme and 1280x800 unless told otherwise. */
	newPage(options?: PageOptions): Promise<Page>;
	/** Absolute URL on the test server for a path such as `/ko/what-is-smtp/`. */
	url(path: string): string;
}

const problems = new WeakMap<Page, string[]>();

/** Console errors, uncaught exceptions and CSP violations seen on `page` so far. */
export function consoleProblems(page: Page): readonly string[] {
	return problems.get(page) ?? [];
}

export interface BrowserOptions {
	/**
	 * The server the pages talk to, when a test file starts its own (e.g. with a `.env` of its own,
	 * see server-process.ts); read when a page opens. Default: the shared server from global-setup.ts.
	 */
	readonly baseUrl?: () => string;
}

export function useBrowser(options: BrowserOptions = {}): BrowserSession {
	const sharedBaseUrl = inject('baseUrl');
	const baseUrl = (): string => options.baseUrl?.() ?? sharedBaseUrl;
	let browser: Browser | undefined;

	beforeAll(async () => {
		browser = await chromium.launch({ executablePath: inject('chromiumPath') });
	});
	afterAll(async () => {
		await browser?.close();
	});

	return {
		url: (path) => new URL(path, baseUrl()).href,
		async newPage(pageOptions = {}) {
			if (!browser) throw new Error('newPage() was called outside a test: the browser starts in beforeAll.');
			const contextOptions: BrowserContextOptions = {
				baseURL: baseUrl(),
				viewport: pageOptions.viewport ?? { width: 1280, height: 800 },
				colorScheme: pageOptions.colorScheme ?? 'light',
				locale: pageOptions.locale ?? 'en-US',
				reducedMotion: 'reduce',
				javaScriptEnabled: pageOptions.javaScriptEnabled ?? true,
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
