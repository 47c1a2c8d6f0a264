/**
 * The words the Node side says to people (settings problems, `mail:check`, start-up and guard lines, the
 * reset email), in Korean and English. They live in `en.json` and `ko.json` beside this file, so a
 * translator edits text, not code; the English file is the list of keys, and the type below is read from
 * it, so a misspelt key fails `tsc`. Placeholders are `{{name}}`, as in the site's UI files.
 *
 * The sandbox never imports src/, so this is its own small catalogue rather than Starlight's.
 */
import en from './en.json' with { type: 'json' };
import ko from './ko.json' with { type: 'json' };

export type Lang = 'ko' | 'en';

/** A key of the Node side's messages, typed from the English file. */
export type MessageKey = keyof typeof en;

/** The same text in both languages: the shape settings problems and API answers carry. */
export interface Bilingual {
	ko: string;
	en: string;
}

/** A value for a `{{placeholder}}`; a Bilingual value gives each language its own word. */
export type MessageParam = string | number | Bilingual;
export type MessageParams = Readonly<Record<string, MessageParam>>;

/** `satisfies` makes tsc name a key the Korean file lacks, before the unit test does. */
const CATALOGUES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { en, ko: ko satisfies Record<MessageKey, string> };

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/**
 * The message `key` in `lang`, its placeholders filled. A placeholder given no value stays as written: a
 * message is no reason to end a request or the process, and the gap shows in the text and its test.
 */
export function message(lang: Lang, key: MessageKey, params: MessageParams = {}): string {
	return CATALOGUES[lang][key].replace(PLACEHOLDER, (placeholder, name: string) => {
		const value = params[name];
		if (value === undefined) return placeholder;
		return typeof value === 'object' ? value[lang] : String(value);
	});
}

/** The message `key` in both languages, for the APIs that carry `{ ko, en }`. */
export function bilingual(key: MessageKey, params: MessageParams = {}): Bilingual {
	return { ko: message('ko', key, params), en: message('en', key, params) };
}
