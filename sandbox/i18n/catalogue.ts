/**
 * How a message catalogue fills its texts: a pair of JSON files (English, Korean) with flat keys and
 * `{{name}}` placeholders, as the site's UI files have. Browser-safe: no imports, so pages that bundle a
 * catalogue carry only its own texts.
 */

export type Lang = 'ko' | 'en';

/** The same text in both languages: the shape settings problems and API answers carry. */
export interface Bilingual {
	ko: string;
	en: string;
}

/** A value for a `{{placeholder}}`; a Bilingual value gives each language its own word. */
export type MessageParam = string | number | Bilingual;
export type MessageParams = Readonly<Record<string, MessageParam>>;

export interface Catalogue<Key extends string> {
	/**
	 * The message `key` in `lang`, its placeholders filled. A placeholder given no value stays as written: a
	 * message is no reason to end a request or the process, and the gap shows in the text and its test.
	 */
	message(lang: Lang, key: Key, params?: MessageParams): string;
	/** The message `key` in both languages, for the APIs that carry `{ ko, en }`. */
	bilingual(key: Key, params?: MessageParams): Bilingual;
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

export function createCatalogue<Key extends string>(texts: Readonly<Record<Lang, Readonly<Record<Key, string>>>>): Catalogue<Key> {
	// One pass with a function: a value is never scanned again, and `$&` in it is not a replacement pattern.
	const message = (lang: Lang, key: Key, params: MessageParams = {}): string =>
		texts[lang][key].replace(PLACEHOLDER, (placeholder, name: string) => {
			const value = params[name];
			if (value === undefined) return placeholder;
			return typeof value === 'object' ? value[lang] : String(value);
		});
	return { message, bilingual: (key, params) => ({ ko: message('ko', key, params), en: message('en', key, params) }) };
}
