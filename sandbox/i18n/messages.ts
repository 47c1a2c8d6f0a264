/**
 * The words the Node side says to people (settings problems, `mail:check`, start-up and guard lines, the
 * lines it logs while it runs (`log.*`, see operator-log.ts), the forum's emails, HTTP refusals), in Korean
 * and English. They live in `en.json` and `ko.json` beside this
 * file, so a translator edits text, not code; the English file is the list of keys, and the key type is read
 * from it, so a misspelt key fails `tsc`. The SMTP explanations that pages bundle have a catalogue of their
 * own (smtp-messages.ts), so a page does not carry these texts too.
 *
 * The sandbox never imports src/, so this is its own small catalogue rather than Starlight's.
 */
import { createCatalogue } from './catalogue.ts';
import en from './en.json' with { type: 'json' };
import ko from './ko.json' with { type: 'json' };

export type { Bilingual, Lang, MessageParam, MessageParams } from './catalogue.ts';

/** A key of the Node side's messages, typed from the English file. */
export type MessageKey = keyof typeof en;

// `satisfies` makes tsc name a key the Korean file lacks, before the unit test does.
export const { message, bilingual } = createCatalogue<MessageKey>({ en, ko: ko satisfies Record<MessageKey, string> });
