/**
 * A problem found in the email settings: what is wrong, in which variable, and how to fix it, in Korean and
 * English. The settings loader, the `.env` line scanner and the validator all report in this one shape, so the
 * CLI and (later) the settings panel can show them the same way.
 */

import type { Bilingual } from '../../i18n/catalogue.ts';

// The two languages and the `{ ko, en }` pair have one home, the message catalogues.
export type { Bilingual, Lang } from '../../i18n/catalogue.ts';

export type Severity = 'error' | 'warning';

export interface Problem {
	/** Stable id, for tests and for linking to an explanation (e.g. `tls-and-ssl`). */
	code: string;
	/** The `.env` variable the problem is about (e.g. `EMAIL_USE_TLS`), or `.env` for the file as a whole. */
	variable: string;
	/** `error`: Django (or the mail server) will not work this way. `warning`: it may work, but not as you think. */
	severity: Severity;
	/** What is wrong, in plain words. Never contains a password or the secret key. */
	message: Bilingual;
	/** What to change. */
	fix: Bilingual;
	/** 1-based line in the `.env` file, when the problem comes from one line. */
	line?: number;
}

export function problem(
	code: string,
	variable: string,
	severity: Severity,
	message: Bilingual,
	fix: Bilingual,
	line?: number,
): Problem {
	return line === undefined ? { code, variable, severity, message, fix } : { code, variable, severity, message, fix, line };
}

export function hasErrors(problems: readonly Problem[]): boolean {
	return problems.some((p) => p.severity === 'error');
}
