import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { lessonSchema } from './lesson-schema';
import { uiStringsSchema } from './translations/schema';

export const collections = {
	// Lessons live in the top-level `content/` folder rather than `src/content/docs`, so writers never
	// open the application source. Ids come out as `ko/what-is-smtp`, `en/what-is-smtp`.
	docs: defineCollection({
		loader: glob({ base: './content/lessons', pattern: '**/[^_]*.{md,mdx}' }),
		schema: docsSchema({ extend: lessonSchema }),
	}),
	// Starlight's own strings plus ours, one file per language.
	i18n: defineCollection({
		loader: glob({ base: './src/translations', pattern: '[^_]*.json' }),
		schema: i18nSchema({ extend: uiStringsSchema }),
	}),
};
