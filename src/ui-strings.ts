import { z } from 'astro/zod';
import { i18nSchema } from '@astrojs/starlight/schema';
import en from './content/i18n/en.json';

/**
 * Postlab's own UI strings: every key of `src/content/i18n/en.json` that is not one of Starlight's. The
 * English file is the list: a key is declared by writing it there, and this schema, added to Starlight's
 * i18n collection, makes it required in every language, so a missing translation fails the build (and
 * src/ui-strings.test.ts names it). Placeholders are `{{name}}`, filled by Starlight's `t()` or, for the
 * strings a script uses, in the browser.
 */
type StarlightStrings = z.input<ReturnType<typeof i18nSchema>>;
/** Starlight's own keys (its schema also takes any other key, an index signature to leave out). */
type StarlightKey = keyof { [K in keyof StarlightStrings as string extends K ? never : K]: StarlightStrings[K] };

/** A key of Postlab's own strings, typed from the English file. */
export type UiKey = Exclude<keyof typeof en, StarlightKey>;

const starlightKeys = new Set<string>(Object.keys(i18nSchema().shape));

/** The keys of `en.json` that are Postlab's, in the file's order. */
export const UI_KEYS = Object.keys(en).filter((key): key is UiKey => !starlightKeys.has(key));

export const uiStringsSchema = z.object(Object.fromEntries(UI_KEYS.map((key) => [key, z.string()])) as Record<UiKey, z.ZodString>);
