// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import node from '@astrojs/node';
import starlight from '@astrojs/starlight';
import { sidebar } from './src/sidebar.mjs';
import { sandboxDev } from './src/integrations/sandbox-dev.ts';
import { lessonLanguages } from './src/integrations/lesson-languages.ts';
import { buildStamp } from './src/integrations/build-stamp.ts';
import { tableLabels } from './src/integrations/table-labels.ts';
import { noSitemap } from './src/integrations/no-sitemap.ts';
import { committedInlineScriptHashes, inlineScriptCsp } from './src/csp/inline-script-hashes.ts';

export default defineConfig({
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
			scriptDirective: {
				resources: ["'self'", "'wasm-unsafe-eval'"],
				// Astro hashes the scripts it bundles but not `is:inline` ones (Starlight's theme and
				// sidebar scripts, our progress boot script): their hashes, taken from the built pages.
				hashes: committedInlineScriptHashes(),
			},
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
		// Before Starlight, which looks for it there: see the file for why there is no `site` either.
		noSitemap(),
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
			// ...but takes their language for the default one; this gives English lessons English labels.
			plugins: [lessonLanguages()],
			customCss: ['./src/styles/postlab.css'],
			lastUpdated: false,
			pagination: true,
			tableOfContents: { minHeadingLevel: 2, maxHeadingLevel: 3 },
			favicon: '/favicon.svg',
			// src/pages/404.astro says it in both languages.
			disable404Route: true,
			// Adds the exercise and sources sections to the table of contents.
			routeMiddleware: './src/route-middleware.ts',
			components: {
				// Progress boot script and the meta tags it reads.
				Head: './src/components/Head.astro',
				// Skip-link target that takes focus; the lesson's outcomes under its title.
				PageTitle: './src/components/PageTitle.astro',
				// Exercise, sources and "mark as done" after a lesson; "continue" on the home pages.
				MarkdownContent: './src/components/MarkdownContent.astro',
				// The header's link slot holds the links to the sandbox pages.
				SocialIcons: './src/components/SocialIcons.astro',
			},
		}),
		mdx(),
		// Column headings on table cells, for the one-card-per-row layout on phones (postlab.css).
		tableLabels(),
		// `npm run dev` runs the capture SMTP server and the sandbox API too (npm start does it in sandbox/main.ts).
		sandboxDev(),
		// Checks after each build that the pages' inline scripts have their CSP hashes (see above).
		inlineScriptCsp(),
		// Marks a finished build, so `npm start` builds only when an input changed since.
		buildStamp(),
	],
});
