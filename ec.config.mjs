// Expressive Code options that are functions live here (Expressive Code cannot copy functions out of
// astro.config.mjs for the <Code> component). See src/integrations/lesson-languages.ts for why.
import { focusableCodeBlocks } from './src/integrations/focusable-code-blocks.ts';
import { codeBlockLocale } from './src/integrations/lesson-languages.ts';

/** @type {import('@astrojs/starlight/expressive-code').StarlightExpressiveCodeOptions} */
export default {
	getBlockLocale: codeBlockLocale,
	plugins: [focusableCodeBlocks()],
};
