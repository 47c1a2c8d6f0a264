/**
 * Pairs a POP3 or IMAP dialogue's client lines with the server's answers, for the goal checks: POP3
 * answers a command with one status line (+OK/-ERR) and maybe a multi-line body (RFC 1939 §3); IMAP with
 * untagged lines and a tagged completion (RFC 3501 §2.2.2). Browser-safe.
 */
import type { EvidenceEntry } from './console-evidence.ts';

export interface Exchange {
	/** The client line as the transcript shows it (credentials redacted). */
	command: string;
	/** Upper-case verb (IMAP: after the tag; `UID FETCH` stays `UID`). */
	verb: string;
	/** POP3: the first +OK/-ERR line; IMAP: the tagged completion. Null while unanswered. */
	status: string | null;
	/** Everything else the server sent for it (POP3's body lines, IMAP's untagged lines). */
	lines: string[];
	/** The connection was TLS when the command was sent. */
	tls: boolean;
}

export function exchanges(protocol: 'pop3' | 'imap', entries: readonly EvidenceEntry[]): Exchange[] {
	const result: Exchange[] = [];
	let tls = false;
	/** POP3: the exchange whose answer is arriving (its status came last); its body lines follow. */
	let answering: Exchange | undefined;
	for (const entry of entries) {
		if (entry.from === 'tls') {
			tls = true;
			continue;
		}
		if (entry.from === 'client') {
			const tokens = entry.line.trim().split(/\s+/);
			const verb = ((protocol === 'imap' ? tokens[1] : tokens[0]) ?? '').toUpperCase();
			result.push({ command: entry.line, verb, status: null, lines: [], tls });
			continue;
		}
		// Commands may be pipelined (sent before earlier ones are answered): answers come in order, so the
		// oldest unanswered command owns the next status line (RFC 2449 §6.6, RFC 3501 §5.5).
		const oldest = result.find((x) => x.status === null);
		if (protocol === 'pop3') {
			if (oldest && /^[+-](OK|ERR)/.test(entry.line)) {
				oldest.status = entry.line;
				answering = oldest;
			} else {
				answering?.lines.push(entry.line);
			}
			continue;
		}
		const tag = /^(\S+) (OK|NO|BAD)\b/i.exec(entry.line)?.[1];
		const owner = tag && tag !== '*' && tag !== '+' ? result.find((x) => x.status === null && x.command.trim().split(/\s+/)[0] === tag) : undefined;
		if (owner) owner.status = entry.line;
		else (oldest ?? result.at(-1))?.lines.push(entry.line);
	}
	return result;
}

export const isOk = (exchange: Exchange): boolean =>
	exchange.status !== null && (/^\+OK/.test(exchange.status) || /^\S+ OK\b/i.test(exchange.status));
