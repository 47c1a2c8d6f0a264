/**
 * The one line `npm start` prints before it exits on a problem: in the terminal's language when the error
 * carries a translation (a setting, a data file), else with the error's own words.
 */
import { message, type Lang } from './i18n/messages.ts';
import { describeError } from './operator-error.ts';

export function cannotStartLine(error: unknown, lang: Lang): string {
	return message(lang, 'start.cannotStart', { reason: describeError(error, lang) });
}
