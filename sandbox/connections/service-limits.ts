/**
 * The connection limits every service (web, SMTP, POP3, IMAP) runs with: the settings, lowered when the
 * process's open-file limit could not hold that many sockets. Each connection is a file descriptor, and a
 * process out of descriptors cannot accept anyone, read its journal or answer health; keeping the sum of
 * the limits under the descriptor limit means a flood is refused politely instead.
 */
import { readFileSync } from 'node:fs';
import type { SandboxConfig } from '../config.ts';
import { bilingual, type Bilingual } from '../i18n/messages.ts';
import type { ConnectionLimits } from './connection-limiter.ts';
import { hasErrorCode } from '../error-code.ts';

/** Web, SMTP, POP3 and IMAP each have their own count. */
const SERVICES = 4;
/**
 * Descriptors kept out of the connection budget: the journal's segment files, the certificate, the forum's
 * and classroom's files, real SMTP's outbound connection, the render worker and Node's own (about 30).
 */
const RESERVED_DESCRIPTORS = 256;

export interface ServiceLimits {
	connections: ConnectionLimits;
	/** How long a connection may stay without logging in (or, in local mode, starting to send). */
	loginTimeoutMs: number;
	/** Why the configured limit was lowered, for the start-up log; null when it was not. */
	warning: Bilingual | null;
}

export function serviceLimits(config: SandboxConfig, openFiles: number | null = openFileLimit()): ServiceLimits {
	const configured = config.limits.maxConnections;
	// One more share than there are services: a refused connection holds a descriptor while it hears why.
	const affordable = openFiles === null ? configured : Math.max(1, Math.floor((openFiles - RESERVED_DESCRIPTORS) / (SERVICES + 1)));
	const total = Math.min(configured, affordable);
	const perAddress = config.classroom.enabled ? Math.min(config.limits.maxConnectionsPerAddress, total) : null;
	return {
		connections: { total, perAddress },
		loginTimeoutMs: config.limits.loginTimeoutMs,
		warning:
			total < configured ? bilingual('start.fewerConnections', { openFiles: openFiles ?? 0, total, configured }) : null,
	};
}

/** The soft RLIMIT_NOFILE of this process where the system tells it (Linux); null elsewhere. */
export function openFileLimit(read: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | null {
	let text: string;
	try {
		text = read();
	} catch (error) {
		// No /proc (macOS, Windows) or a container that hides it: the system does not tell, and the configured number stands.
		if (hasErrorCode(error, 'ENOENT', 'EACCES', 'EPERM')) return null;
		throw error;
	}
	const match = /^Max open files\s+(\d+|unlimited)\s/m.exec(text);
	if (!match || match[1] === 'unlimited') return null;
	return Number(match[1]);
}
