/**
 * Errors the person running Postlab can fix (a setting, a data file), carrying their text in both
 * languages: they are thrown deep in the start-up and printed at its top, where the terminal's language is
 * known. `message` stays English, for stack traces and tests; the printer picks `text[lang]`.
 */
import { bilingual, type Bilingual, type Lang, type MessageKey, type MessageParams } from './i18n/messages.ts';
import { errorMessage } from './error-text.ts';

export class OperatorError extends Error {
	readonly text: Bilingual;

	constructor(key: MessageKey, params: MessageParams = {}, options?: ErrorOptions) {
		const text = bilingual(key, params);
		super(text.en, options);
		this.name = 'OperatorError';
		this.text = text;
	}
}

/**
 * What went wrong, in `lang` when the error carries a translation; anything else (a system error, a bug)
 * was never written for a reader of either language, so its own message is all there is.
 */
export function describeError(error: unknown, lang: Lang): string {
	if (error instanceof OperatorError) return error.text[lang];
	return errorMessage(error);
}
