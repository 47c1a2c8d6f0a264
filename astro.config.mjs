// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import node from '@astrojs/node';
import starlight from '@astrojs/starlight';
import { sidebar } from './src/sidebar.mjs';
import { sandboxDev } from './src/integrations/sandbox-dev.ts';

export default defineConfig({
	site: 'http://127.0.0.1:4321',
	adapter: node({ mode: 'standalone' }),
	server: { host: '127.0.0.1', port: 4321 },
	// Expressive Code (Starlight) highlights code blocks; Astro's own Shiki pass would only add inline
	// styles that the CSP below has no use for.
	markdown: { syntaxHighlight: false },
	// A strict Content-Security-Policy on every page: the inbox shows mail from anywhere, so no script
	// may run that the build did not hash. Styles may be inline (Starlight sets CSS variables in style
	// attributes; styles cannot run code). Pagefind's search index is WebAssembly.
	security: {
		csp: {
			directives: [
				"default-src 'self'",
				"img-src 'self' data:",
				"frame-src 'self'",
				"connect-src 'self'",
				"object-src 'none'",
				"base-uri 'self'",
				"form-action 'self'",
			],
			scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
			styleDirective: { resources: ["'self'", "'unsafe-inline'"] },
		},
	},
	vite: {
		build: {
			rollupOptions: {
				// Astro marks MDX modules with its own "use astro:head-inject" directive and the bundler
				// warns about every one of them; the directive does its job, the warning is noise.
				onwarn(warning, warn) {
					if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('astro:head-inject')) return;
					warn(warning);
				},
			},
		},
	},
	integrations: [
		starlight({
			title: 'Postlab',
			description: 'Learn how email leaves an application: SMTP, POP3/IMAP and secrets in .env.',
			defaultLocale: 'ko',
			locales: {
				ko: { label: '한국어', lang: 'ko' },
				en: { label: 'English', lang: 'en' },
			},
			sidebar,
			// Lessons live outside src/content/docs; Starlight only adds heading anchors and asides to
			// Markdown in folders it is told about.
			markdown: { processedDirs: ['./content/lessons'] },
			customCss: ['./src/styles/postlab.css'],
			lastUpdated: false,
			pagination: true,
			tableOfContents: { minHeadingLevel: 2, maxHeadingLevel: 3 },
		}),
		mdx(),
		// `npm run dev` runs the capture SMTP server and the sandbox API too (npm start does it in sandbox/main.ts).
		sandboxDev(),
	],
});
