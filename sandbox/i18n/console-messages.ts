/**
 * The protocol console's words (the goals' hints, what POP3 and IMAP lines mean), in Korean and English, in
 * `console/en.json` and `console/ko.json`. Kept apart from messages.ts because the console page bundles the
 * line explanations: a page carries these texts and no others. Browser-safe.
 */
import { createCatalogue } from './catalogue.ts';
import en from './console/en.json' with { type: 'json' };
import ko from './console/ko.json' with { type: 'json' };

/** A key of the console's texts, typed from the English file. */
export type ConsoleMessageKey = keyof typeof en;

export const { message: consoleMessage, bilingual: consoleBilingual } = createCatalogue<ConsoleMessageKey>({ en, ko: ko satisfies Record<ConsoleMessageKey, string> });
