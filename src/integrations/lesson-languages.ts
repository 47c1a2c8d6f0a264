/**
 * Gives each lesson the UI labels of its own language. Starlight tells a Markdown file's language
 * from its folder under `src/content/docs/`; our lessons live in `content/lessons/{ko,en}/` (reached
 * through `markdown.processedDirs`), so Starlight takes every lesson for the default locale and writes
 * Korean labels into English lessons: the hidden "Section titled …" text of each heading's anchor link
 * and Expressive Code's copy button ("Copy to clipboard", "Copied!").
 *
 * Expressive Code asks `getBlockLocale` (set in ec.config.mjs, the place Expressive Code reads
 * functions from); the Starlight plugin below writes the anchor labels again for lessons in another
 * language, with Starlight's own strings (`heading.anchorLabel`) for that language.
 *
 * A second cause, fixed in src/content/i18n/en.json: Starlight's built-in English has no
 * `expressiveCode.*` strings (it leaves them to Expressive Code), so its i18next falls back to the
 * default locale and hands Expressive Code the Korean ones for English too. en.json names them.
 * Node-only: runs while Astro renders Markdown, never in the browser.
 */
import type { AstroIntegration } from 'astro';
import type { HookParameters, StarlightPlugin } from '@astrojs/starlight/types';
import { isLang, type SiteLang } from '../inbox/lang.ts';
import { addHastPlugin, isElement, type HastPlugin, type HastPluginFactory, type HastText } from './satteri-hast.ts';

const DEFAULT_LANG: SiteLang = 'ko';

/** The language of a lesson file, from its folder (`…/content/lessons/en/x.mdx` → `en`); undefined for other files. */
export function lessonLangOf(path: string): SiteLang | undefined {
	const folder = /\/content\/lessons\/([^/]+)\//.exec(path.replaceAll('\\', '/'))?.[1];
	return isLang(folder) ? folder : undefined;
}

/**
 * Expressive Code's `getBlockLocale`: a lesson's folder, else (the `<Code>` component) the first
 * segment of the page URL, else the default locale, as Starlight's own would say.
 */
export function codeBlockLocale({ file }: { file: { path: string; url?: URL | undefined } }): SiteLang {
	const fromPath = lessonLangOf(file.path);
	if (fromPath) return fromPath;
	const firstSegment = file.url && file.url.protocol !== 'file:' ? file.url.pathname.split('/')[1] : undefined;
	return isLang(firstSegment) ? firstSegment : DEFAULT_LANG;
}

type Translate = ReturnType<HookParameters<'config:setup'>['useTranslations']>;

/**
 * Rewrites the hidden label inside Starlight's heading anchors (`div.sl-heading-wrapper` > heading +
 * `a.sl-anchor-link` > `span.sr-only`) in the lesson's language. Leaves any other markup alone.
 */
function anchorLabelPlugin(t: Translate): HastPlugin {
	return {
		name: 'postlab-lesson-anchor-labels',
		element: {
			filter: ['div'],
			visit(node, ctx) {
				if (!isElement(node, 'div', 'sl-heading-wrapper')) return;
				const [heading, link] = node.children;
				if (!heading || !isElement(link, 'a', 'sl-anchor-link')) return;
				const label = t('heading.anchorLabel', { title: ctx.textContent(heading), interpolation: { escapeValue: false } });
				const children = link.children.map((child) =>
					isElement(child, 'span', 'sr-only') ? { ...child, children: [{ type: 'text', value: label } satisfies HastText] } : child,
				);
				return { ...node, children: [heading, { ...link, children }] };
			},
		},
	};
}

/** Starlight plugin: heading anchor labels in each lesson's own language. */
export function lessonLanguages(): StarlightPlugin {
	return {
		name: 'postlab-lesson-languages',
		hooks: {
			'config:setup'({ addIntegration, useTranslations }) {
				// Added as an integration so it runs after Starlight has put its own Markdown plugins in place.
				const integration: AstroIntegration = {
					name: 'postlab:lesson-anchor-labels',
					hooks: {
						'astro:config:setup'({ config, logger }) {
							const plugin: HastPluginFactory = ({ fileURL }) => {
								const lang = fileURL ? lessonLangOf(fileURL.pathname) : undefined;
								return lang && lang !== DEFAULT_LANG ? anchorLabelPlugin(useTranslations(lang)) : undefined;
							};
							addHastPlugin(config.markdown.processor, plugin, logger, 'Heading anchor labels of English lessons stay in Korean');
						},
					},
				};
				addIntegration(integration);
			},
		},
	};
}
