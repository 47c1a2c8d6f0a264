/**
 * How the sandbox's modules tell the person running Postlab about a problem at run time: a key of the Node
 * side's catalogue (sandbox/i18n/en.json, `log.*`) and its values, not a sentence. A module then needs no
 * language of its own and a test can read the key; the sentence is made where the terminal's language is
 * known (startSandbox, startPostlab), once.
 */
import { message, type Lang, type MessageKey, type MessageParams } from './i18n/messages.ts';
import { logLanguage } from './log-language.ts';

export type OperatorLog = (key: MessageKey, params?: MessageParams) => void;

/** Says each line in `lang` and hands it to `print`. */
export function logIn(lang: Lang, print: (line: string) => void): OperatorLog {
	return (key, params) => print(message(lang, key, params));
}

/** What a module started without a log uses: the console, in the terminal's language. */
export const consoleLog: OperatorLog = logIn(logLanguage(), (line) => console.warn(`[sandbox] ${line}`));
