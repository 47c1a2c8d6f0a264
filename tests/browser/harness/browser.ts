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

export function useBrowser(): BrowserSession {
	const baseUrl = inject('baseUrl');
	let browser: Browser | undefined;

	beforeAll(async () => {
		browser = await chromium.launch({ executablePath: inject('chromiumPath') });
	});
	afterAll(async () => {
		await browser?.close();
	});

	return {
		url: (path) => new URL(path, baseUrl).href,
		async newPage(options = {}) {
			if (!browser) throw new Error('newPage() was called outside a test: the browser starts in beforeAll.');
			const contextOptions: BrowserContextOptions = {
				baseURL: baseUrl,
				viewport: options.viewport ?? { width: 1280, height: 800 },
				colorScheme: options.colorScheme ?? 'light',
				locale: options.locale ?? 'en-US',
				reducedMotion: 'reduce',
				javaScriptEnabled: options.javaScriptEnabled ?? true,
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
