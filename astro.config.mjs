// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import node from '@astrojs/node';
import starlight from '@astrojs/starlight';
import { sidebar } from './src/sidebar.mjs';

export default defineConfig({
	site: 'http://127.0.0.1:4321',
	adapter: node({ mode: 'standalone' }),
	server: { host: '127.0.0.1', port: 4321 },
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
	],
});
