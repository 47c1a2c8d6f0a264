/**
 * The SMTP explanations' words (what a client command or an EHLO keyword means, what a reply or a failed send
 * means and what to do: smtp-glossary.ts, smtp-reply-rules.ts), in Korean and English, in `smtp/en.json` and
 * `smtp/ko.json`. Kept apart from messages.ts because pages bundle them (the inbox's transcript, the SMTP
 * player, the console, the drills): a page carries these texts and no others. Browser-safe.
 */
import { createCatalogue } from './catalogue.ts';
import en from './smtp/en.json' with { type: 'json' };
import ko from './smtp/ko.json' with { type: 'json' };

/** A key of the SMTP explanations, typed from the English file. */
export type SmtpMessageKey = keyof typeof en;

export const { message: smtpMessage, bilingual: smtpBilingual } = createCatalogue<SmtpMessageKey>({ en, ko: ko satisfies Record<SmtpMessageKey, string> });
