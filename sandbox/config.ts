/**
 * Every sandbox setting in one place: read from the environment (and `.env`, loaded by dotenv with the
 * environment winning), validated once at start-up. A bad value stops start-up with a message that names
 * the variable, what it holds and what is allowed, so a learner can fix `.env` without reading code.
 */
import { resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { bilingual, message, type Lang, type MessageKey, type MessageParams } from './i18n/messages.ts';
import { OperatorError } from './operator-error.ts';
import { readBoolean } from './outbound/settings/boolean-setting.ts';

export interface SandboxConfig {
	/** Address every listener binds to (web, SMTP, SMTPS). Loopback by default: the sandbox accepts any password. */
	host: string;
	/** Web port (lessons, inbox, JSON API). */
	port: number;
	/** Capture SMTP, plain with STARTTLS offered (like 587). 0 picks a free port (tests). */
	smtpPort: number;
	/** Capture SMTP with TLS from the first byte (like 465). 0 picks a free port (tests). */
	smtpsPort: number;
	/** POP3, plain with STLS offered (like 110). */
	pop3Port: number;
	/** POP3 with TLS from the first byte (like 995). */
	pop3sPort: number;
	/** IMAP, plain with STARTTLS offered (like 143). */
	imapPort: number;
	/** IMAP with TLS from the first byte (like 993). */
	imapsPort: number;
	/** Absolute path of the folder holding captured mail and the certificate. */
	dataDir: string;
	/** Retention: the store keeps at most this many messages, dropping the oldest. */
	maxMessages: number;
	/**
	 * SANDBOX_MAILBOX_READ_ONLY: POP3 and IMAP clients may read but not change the mailbox (no shared flags, no
	 * deletions), for an instructor who wants a fixed demo mailbox. Default false: a mailbox like a real one.
	 */
	mailboxReadOnly: boolean;
	/** Messages larger than this many bytes are refused with 552 and not stored. */
	maxMessageBytes: number;
	/** PEM certificate and key to use instead of the one made on first run; both or neither. */
	tlsCertPath: string | null;
	tlsKeyPath: string | null;
	/** Classroom mode (issue 5): private inboxes per learner, an instructor dashboard; off by default. */
	classroom: ClassroomConfig;
	/**
	 * SANDBOX_PUBLIC_URL as an origin (`https://postlab.school.example`), or null: the address learners' browsers
	 * use when Postlab sits behind a reverse proxy or a DNS name. Links in mails and pages start with it.
	 */
	publicUrl: string | null;
	/** How many connections each service takes, and how long one may wait before logging in. */
	limits: LimitsConfig;
}

export interface LimitsConfig {
	/**
	 * SANDBOX_MAX_CONNECTIONS: open connections per service (web, SMTP, POP3, IMAP; plain and TLS port
	 * together). Well above a class of 300, far below what would run the process out of file descriptors.
	 */
	maxConnections: number;
	/**
	 * SANDBOX_MAX_CONNECTIONS_PER_ADDRESS: open connections per service from one client address, in
	 * classroom mode only (in local mode every client is this computer). A browser holds at most 6 to one
	 * site, a Django project one per email; 20 leaves room for both and keeps one looping laptop to its share.
	 */
	maxConnectionsPerAddress: number;
	/**
	 * SANDBOX_LOGIN_TIMEOUT_SECONDS, in milliseconds: how long an SMTP, POP3 or IMAP connection may stay
	 * open without logging in (local-mode SMTP: without starting a message), and an HTTP client may take to
	 * send its request headers. Real clients need well under a second; idle sockets are let go.
	 */
	loginTimeoutMs: number;
}

export interface ClassroomConfig {
	/** SANDBOX_CLASSROOM: only then may HOST be more than loopback, and logins are required. */
	enabled: boolean;
	/**
	 * INSTRUCTOR_TOKEN ('' when classroom mode is off). Not enumerable, so a config printed, logged or
	 * spread into another object never carries it.
	 */
	readonly instructorToken: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** A setting that cannot be used, told to the person editing `.env` in both languages (`text`). */
export class ConfigError extends OperatorError {
	readonly variable: string;

	constructor(variable: string, key: MessageKey, params: MessageParams = {}) {
		super(key, params);
		this.name = 'ConfigError';
		this.variable = variable;
	}
}

export const DEFAULTS = {
	HOST: '127.0.0.1',
	PORT: 4321,
	SANDBOX_SMTP_PORT: 2525,
	SANDBOX_SMTPS_PORT: 2465,
	SANDBOX_POP3_PORT: 2110,
	SANDBOX_POP3S_PORT: 2995,
	SANDBOX_IMAP_PORT: 2143,
	SANDBOX_IMAPS_PORT: 2993,
	SANDBOX_DATA_DIR: '.sandbox-data',
	SANDBOX_MAX_MESSAGES: 1000,
	SANDBOX_MAX_MESSAGE_MB: 25,
	SANDBOX_MAX_CONNECTIONS: 1000,
	SANDBOX_MAX_CONNECTIONS_PER_ADDRESS: 20,
	SANDBOX_LOGIN_TIMEOUT_SECONDS: 30,
} as const;

/** Upper bounds that keep a typo (an extra zero) from filling the disk or the memory. */
const MAX_MESSAGES_LIMIT = 100_000;
const MAX_MESSAGE_MB_LIMIT = 100;
const MAX_CONNECTIONS_LIMIT = 100_000;
const MAX_LOGIN_TIMEOUT_SECONDS = 600;
/** INSTRUCTOR_TOKEN is the only key to the dashboard: 16 characters is the least that resists guessing. */
export const MIN_INSTRUCTOR_TOKEN_LENGTH = 16;

/**
 * Loads `.env` (or the file named by DOTENV_CONFIG_PATH) into `process.env` without overriding variables
 * that are already set, the same rule django-environ follows.
 */
export function loadEnvFile(cwd: string = process.cwd()): void {
	const path = process.env['DOTENV_CONFIG_PATH'] ?? resolve(cwd, '.env');
	loadDotenv({ path, quiet: true });
}

/** Reads and validates every setting. Throws ConfigError on the first bad value. */
export function readConfig(env: Env = process.env, cwd: string = process.cwd()): SandboxConfig {
	const certPath = optionalPath(env, 'SANDBOX_TLS_CERT', cwd);
	const keyPath = optionalPath(env, 'SANDBOX_TLS_KEY', cwd);
	if ((certPath === null) !== (keyPath === null)) {
		const missing = certPath === null ? 'SANDBOX_TLS_CERT' : 'SANDBOX_TLS_KEY';
		throw new ConfigError(missing, 'config.tlsPair', { missing, set: missing === 'SANDBOX_TLS_CERT' ? 'SANDBOX_TLS_KEY' : 'SANDBOX_TLS_CERT' });
	}
	const classroom = classroomConfig(env);
	const config: SandboxConfig = {
		host: host(env, classroom.enabled),
		port: port(env, 'PORT', DEFAULTS.PORT, true),
		smtpPort: port(env, 'SANDBOX_SMTP_PORT', DEFAULTS.SANDBOX_SMTP_PORT, true),
		smtpsPort: port(env, 'SANDBOX_SMTPS_PORT', DEFAULTS.SANDBOX_SMTPS_PORT, true),
		pop3Port: port(env, 'SANDBOX_POP3_PORT', DEFAULTS.SANDBOX_POP3_PORT, true),
		pop3sPort: port(env, 'SANDBOX_POP3S_PORT', DEFAULTS.SANDBOX_POP3S_PORT, true),
		imapPort: port(env, 'SANDBOX_IMAP_PORT', DEFAULTS.SANDBOX_IMAP_PORT, true),
		imapsPort: port(env, 'SANDBOX_IMAPS_PORT', DEFAULTS.SANDBOX_IMAPS_PORT, true),
		dataDir: resolve(cwd, nonEmpty(env, 'SANDBOX_DATA_DIR') ?? DEFAULTS.SANDBOX_DATA_DIR),
		maxMessages: integer(env, 'SANDBOX_MAX_MESSAGES', DEFAULTS.SANDBOX_MAX_MESSAGES, 1, MAX_MESSAGES_LIMIT),
		mailboxReadOnly: mailboxReadOnly(env),
		maxMessageBytes:
			integer(env, 'SANDBOX_MAX_MESSAGE_MB', DEFAULTS.SANDBOX_MAX_MESSAGE_MB, 1, MAX_MESSAGE_MB_LIMIT) * 1024 * 1024,
		tlsCertPath: certPath,
		tlsKeyPath: keyPath,
		classroom,
		publicUrl: publicUrl(env, classroom.enabled),
		limits: {
			maxConnections: integer(env, 'SANDBOX_MAX_CONNECTIONS', DEFAULTS.SANDBOX_MAX_CONNECTIONS, 1, MAX_CONNECTIONS_LIMIT),
			maxConnectionsPerAddress: integer(
				env,
				'SANDBOX_MAX_CONNECTIONS_PER_ADDRESS',
				DEFAULTS.SANDBOX_MAX_CONNECTIONS_PER_ADDRESS,
				1,
				MAX_CONNECTIONS_LIMIT,
			),
			loginTimeoutMs:
				integer(env, 'SANDBOX_LOGIN_TIMEOUT_SECONDS', DEFAULTS.SANDBOX_LOGIN_TIMEOUT_SECONDS, 1, MAX_LOGIN_TIMEOUT_SECONDS) * 1000,
		},
	};
	const taken = new Map<number, string>();
	for (const [variable, value] of [
		['PORT', config.port],
		['SANDBOX_SMTP_PORT', config.smtpPort],
		['SANDBOX_SMTPS_PORT', config.smtpsPort],
		['SANDBOX_POP3_PORT', config.pop3Port],
		['SANDBOX_POP3S_PORT', config.pop3sPort],
		['SANDBOX_IMAP_PORT', config.imapPort],
		['SANDBOX_IMAPS_PORT', config.imapsPort],
	] as const) {
		if (value === 0) continue;
		const other = taken.get(value);
		if (other) {
			throw new ConfigError(variable, 'config.portTaken', { variable, other, value });
		}
		taken.set(value, variable);
	}
	return config;
}

function nonEmpty(env: Env, name: string): string | null {
	const value = env[name]?.trim();
	return value ? value : null;
}

function host(env: Env, classroom: boolean): string {
	const value = nonEmpty(env, 'HOST') ?? DEFAULTS.HOST;
	if (!/^[A-Za-z0-9.:[\]-]+$/.test(value)) {
		throw new ConfigError('HOST', 'config.hostNotAnAddress', { value });
	}
	// Local mode accepts any SMTP/POP3/IMAP login and has no web login: only this computer may reach it.
	if (!classroom && !isLoopbackHost(value)) {
		throw new ConfigError('HOST', 'config.hostReachable', { value });
	}
	return value;
}

/**
 * SANDBOX_PUBLIC_URL: an http(s) origin and nothing more. A path would not work (every page links from `/`),
 * and a user name or password in it would end up in every mail. Outside classroom mode the sandbox is for this
 * computer only, so the name must be a loopback one there too.
 */
function publicUrl(env: Env, classroom: boolean): string | null {
	const raw = nonEmpty(env, 'SANDBOX_PUBLIC_URL');
	if (raw === null) return null;
	const example = bilingual('config.publicUrl.example');
	const refuse = (key: MessageKey) => new ConfigError('SANDBOX_PUBLIC_URL', key, { value: raw, example });
	const url = URL.parse(raw);
	if (url === null) throw refuse('config.publicUrl.notUrl');
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('config.publicUrl.notHttp');
	// Without the value: it holds a password, and the error is printed.
	if (url.username !== '' || url.password !== '') throw new ConfigError('SANDBOX_PUBLIC_URL', 'config.publicUrl.credentials', { example });
	if (url.pathname !== '/' || url.search !== '' || url.hash !== '') throw refuse('config.publicUrl.path');
	if (!classroom && !isLoopbackHost(url.hostname)) throw refuse('config.publicUrl.notThisComputer');
	return url.origin;
}

/** True for names and addresses only this computer can reach (the wildcards 0.0.0.0 and :: are not). */
export function isLoopbackHost(value: string): boolean {
	const name = value.trim().toLowerCase().replace(/^\[|\]$/g, '');
	return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

function mailboxReadOnly(env: Env): boolean {
	const reading = readBoolean(env['SANDBOX_MAILBOX_READ_ONLY']);
	if (reading.kind === 'invalid') {
		throw new ConfigError('SANDBOX_MAILBOX_READ_ONLY', 'config.notBoolean', {
			variable: 'SANDBOX_MAILBOX_READ_ONLY',
			value: env['SANDBOX_MAILBOX_READ_ONLY']?.trim() ?? '',
		});
	}
	return reading.kind === 'valid' && reading.value;
}

function classroomConfig(env: Env): ClassroomConfig {
	const reading = readBoolean(env['SANDBOX_CLASSROOM']);
	if (reading.kind === 'invalid') {
		throw new ConfigError('SANDBOX_CLASSROOM', 'config.notBoolean', { variable: 'SANDBOX_CLASSROOM', value: env['SANDBOX_CLASSROOM']?.trim() ?? '' });
	}
	const enabled = reading.kind === 'valid' && reading.value;
	const token = enabled ? (env['INSTRUCTOR_TOKEN'] ?? '').trim() : '';
	if (enabled && token.length < MIN_INSTRUCTOR_TOKEN_LENGTH) {
		throw new ConfigError('INSTRUCTOR_TOKEN', token === '' ? 'config.instructorToken.missing' : 'config.instructorToken.tooShort', {
			length: token.length,
			least: MIN_INSTRUCTOR_TOKEN_LENGTH,
		});
	}
	const classroom = { enabled } as ClassroomConfig;
	Object.defineProperty(classroom, 'instructorToken', { value: token, enumerable: false });
	return classroom;
}

/**
 * What start-up prints besides the ports, in plain words and in `lang`: a classroom sandbox listening
 * beyond this computer is reachable by everyone on the network, and its logins travel over that network.
 */
export function startupWarnings(config: SandboxConfig, lang: Lang): string[] {
	if (!config.classroom.enabled) return [];
	if (isLoopbackHost(config.host)) return [message(lang, 'config.warning.loopbackClassroom', { host: config.host })];
	return [
		message(lang, 'config.warning.classroomListens', { host: config.host }),
		message(lang, 'config.warning.instructorToken'),
		message(lang, 'config.warning.loginsCrossNetwork'),
	];
}

function port(env: Env, name: string, fallback: number, allowZero: boolean): number {
	const raw = nonEmpty(env, name);
	if (raw === null) return fallback;
	const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
	const lowest = allowZero ? 0 : 1;
	if (!Number.isInteger(value) || value < lowest || value > 65535) {
		throw new ConfigError(name, 'config.notAPort', { variable: name, value: raw, lowest, fallback });
	}
	return value;
}

function integer(env: Env, name: string, fallback: number, lowest: number, highest: number): number {
	const raw = nonEmpty(env, name);
	if (raw === null) return fallback;
	const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
	if (!Number.isSafeInteger(value) || value < lowest || value > highest) {
		throw new ConfigError(name, 'config.notInRange', { variable: name, value: raw, lowest, highest, fallback });
	}
	return value;
}

function optionalPath(env: Env, name: string, cwd: string): string | null {
	const raw = nonEmpty(env, name);
	return raw === null ? null : resolve(cwd, raw);
}
