import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { lessonSchema } from './lesson-schema';
import { uiStringsSchema } from './ui-strings';
import { i18nLoader } from '@astrojs/starlight/loaders';

export const collections = {
	// Lessons live in the top-level `content/` folder rather than `src/content/docs`, so writers never
	// open the application source. Ids come out as `ko/what-is-smtp`, `en/what-is-smtp`.
	docs: defineCollection({
		loader: glob({ base: './content/lessons', pattern: '**/[^_]*.{md,mdx}' }),
		schema: docsSchema({ extend: lessonSchema }),
	}),
	// Starlight's own strings plus ours, one file per language in src/content/i18n/ (Starlight maps
	// a file to its language by its path there).
	i18n: defineCollection({
		loader: i18nLoader(),
		schema: i18nSchema({ extend: uiStringsSchema }),
	}),
};
