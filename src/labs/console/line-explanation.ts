/**
 * The explanation shown under each console line, from the tables the rest of Postlab uses: SMTP commands
 * from smtp-glossary.ts, EHLO keywords likewise, replies from smtp-reply-explainer.ts (with the step they
 * answer, so 220 after STARTTLS reads differently from the greeting); POP3 and IMAP from
 * sandbox/console/mailread-glossary.ts.
 */
import { explainMailreadLine } from '../../../sandbox/console/mailread-glossary.ts';
import type { ConsoleProtocol } from '../../../sandbox/console/console-wire.ts';
import type { Lang } from '../../../sandbox/email-settings/problem.ts';
import { explainCommand, explainExtension } from '../../../sandbox/transport/smtp-glossary.ts';
import { explainReply, parseReply, stepOfCommand, type LineExplanation } from '../../../sandbox/transport/smtp-reply-explainer.ts';
import type { SmtpStep } from '../../../sandbox/transport/smtp-reply-rules.ts';

/** Follows the SMTP step the way transcriptSteps() does, one line at a time, skipping a message's text. */
export class LineExplainer {
	readonly #protocol: ConsoleProtocol;
	readonly #lang: Lang;
	#step: SmtpStep = 'greeting';

	constructor(protocol: ConsoleProtocol, lang: Lang) {
		this.#protocol = protocol;
		this.#lang = lang;
	}

	/** `inData`: the client line is message text (after 354), explained by nothing. */
	explain(from: 'client' | 'server', line: string, inData: boolean): LineExplanation | null {
		if (this.#protocol !== 'smtp') return explainMailreadLine(this.#protocol, from, line, this.#lang);
		if (from === 'client') {
			if (inData) return null;
			this.#step = stepOfCommand(line) ?? this.#step;
			return explainCommand(line, this.#lang);
		}
		const step = this.#step;
		if (step === 'data' && parseReply(line)?.code === 354) this.#step = 'message';
		const keyword = step === 'ehlo' ? explainExtension(line, this.#lang) : null;
		if (keyword) return keyword;
		return explainReply(line, this.#lang, step);
	}

	/** A new connection starts at the greeting again. */
	reset(): void {
		this.#step = 'greeting';
	}
}
