/**
 * How the sandbox's modules tell the person running Postlab about a problem at run time: a key of the Node
 * side's catalogue (sandbox/i18n/en.json, `log.*`) and its values, not a sentence. A module then needs no
 * language of its own and a test can read the key; the sentence is made where the terminal's language is
 * known (startSandbox, startPostlab), once.
 */
import { message, type Lang, type MessageKey, type MessageParams } from './i18n/messages.ts';
import { logLanguage } from './log-language.ts';

declare const operatorLog: unique symbol;

/**
 * Made only by logIn (or consoleLog): a function that prints a line, such as console.log, takes any string and
 * so would pass for one and print keys instead of sentences; the brand makes tsc refuse it.
 */
export type OperatorLog = ((key: MessageKey, params?: MessageParams) => void) & { readonly [operatorLog]: true };

/** Says each line in `lang` and hands it to `print`. */
export function logIn(lang: Lang, print: (line: string) => void): OperatorLog {
	const log = (key: MessageKey, params?: MessageParams): void => print(message(lang, key, params));
	return log as OperatorLog;
}

/** What a module started without a log uses: the console, in the terminal's language. */
export const consoleLog: OperatorLog = logIn(logLanguage(), (line) => console.warn(`[sandbox] ${line}`));

/** Says nothing: for a line kind nobody needs (a listener's "listening on" when start-up prints its own). */
export const silentLog: OperatorLog = logIn('en', () => undefined);
