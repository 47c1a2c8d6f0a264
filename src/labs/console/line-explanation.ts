/**
 * The explanation shown under each console line, from the tables the rest of Postlab uses: SMTP commands
 * from smtp-glossary.ts, EHLO keywords likewise, replies from smtp-reply-explainer.ts (with the step they
 * answer, so 220 after STARTTLS reads differently from the greeting); POP3 and IMAP from
 * sandbox/console/mailread-glossary.ts.
 */
import { explainMailreadLine } from '../../../sandbox/console/mailread-glossary.ts';
import type { ConsoleProtocol } from '../../../sandbox/console/console-wire.ts';
import type { Lang } from '../../../sandbox/outbound/settings/problem.ts';
import { explainCommand, explainExtension } from '../../../sandbox/outbound/smtp-glossary.ts';
import { explainReply, stepOfCommand, type LineExplanation } from '../../../sandbox/outbound/smtp-reply-explainer.ts';
import type { SmtpStep } from '../../../sandbox/outbound/smtp-reply-rules.ts';

/**
 * Follows the SMTP step each reply answers, one line at a time: replies come in the order of the commands,
 * so with pipelined commands (a pasted batch) the oldest unanswered one owns the next reply; a message's
 * text after 354 is explained by nothing and gets no reply until its final dot.
 */
export class LineExplainer {
	readonly #protocol: ConsoleProtocol;
	readonly #lang: Lang;
	#pending: SmtpStep[] = [];
	#lastStep: SmtpStep = 'greeting';

	constructor(protocol: ConsoleProtocol, lang: Lang) {
		this.#protocol = protocol;
		this.#lang = lang;
	}

	/** `inData`: the client line is message text (after 354). */
	explain(from: 'client' | 'server', line: string, inData: boolean): LineExplanation | null {
		if (this.#protocol !== 'smtp') return explainMailreadLine(this.#protocol, from, line, this.#lang);
		if (from === 'client') {
			if (inData) {
				if (line === '.') this.#pending.push('message');
				return null;
			}
			this.#lastStep = stepOfCommand(line) ?? this.#lastStep;
			this.#pending.push(this.#lastStep);
			return explainCommand(line, this.#lang);
		}
		const final = !/^\d{3}-/.test(line);
		const step = (final ? this.#pending.shift() : this.#pending[0]) ?? 'greeting';
		const keyword = step === 'ehlo' ? explainExtension(line, this.#lang) : null;
		if (keyword) return keyword;
		return explainReply(line, this.#lang, step);
	}

	/** A new connection starts at the greeting again. */
	reset(): void {
		this.#pending = [];
		this.#lastStep = 'greeting';
	}
}
