/**
 * Real SMTP mode at start-up: reads the Django-named email settings from `.env` (and the environment), decides
 * whether real sends are available (an EMAIL_HOST and no error in the settings), builds the guarded relay, and
 * says in one log line where mail goes. startPostlab() keeps the state for the Astro pages (runtime.ts).
 */
import { resolve } from 'node:path';
import { loadEmailSettings } from './settings/load-email-settings.ts';
import type { EmailSettings, RealEmailSettings } from './settings/email-settings-types.ts';
import { describeSecret } from './settings/secret-redaction.ts';
import { hasErrors, problem, type Lang, type Problem } from './settings/problem.ts';
import type { MailStore } from '../store/mail-store.ts';
import { createRealSendGuard, DEFAULT_REAL_SENDS_PER_HOUR } from './real-send-guard.ts';
import { createRealRelay, type RealRelay } from './real-relay.ts';
import { bilingual, message } from '../i18n/messages.ts';
import type { OperatorLog } from '../operator-log.ts';

export interface RealModeState {
	/** The `.env` file that was read (absolute path), and whether it exists. */
	envPath: string;
	envFileFound: boolean;
	settings: EmailSettings;
	/** The settings problems, plus problems with SANDBOX_REAL_SEND_PER_HOUR. */
	problems: Problem[];
	/** Present only when real mode is configured and has no error: then the local user may choose it per send. */
	relay: RealRelay | null;
	perHour: number;
	/** SANDBOX_REAL_SEND_ALLOW as set, or '' (every recipient allowed). */
	allow: string;
}

export interface LoadRealModeOptions {
	/** The `.env` path; default DOTENV_CONFIG_PATH or `<cwd>/.env`, the file config.ts loads. */
	envPath?: string;
	/**
	 * The environment as it was before dotenv copied `.env` into it, so values are credited to the file they
	 * came from; default `process.env`.
	 */
	environment?: Readonly<Record<string, string | undefined>>;
	/** Where the SANDBOX_REAL_SEND_* limits and the raw password are read; default `process.env`. */
	processEnv?: Readonly<Record<string, string | undefined>>;
	/** Where copies of real sends go. */
	store: () => MailStore | undefined;
	/** Extra CA to trust for the real server (tests); real hosts use the system's store or NODE_EXTRA_CA_CERTS. */
	ca?: string | string[];
	/** Reports a real send's copy that could not be kept in the sandbox inbox. */
	warn?: OperatorLog;
}

/** Real mode is offered only when the settings name a host and nothing in them is an error. */
export function realSettingsIfUsable(settings: EmailSettings, problems: readonly Problem[]): RealEmailSettings | null {
	return settings.mode === 'real' && !hasErrors(problems) ? settings : null;
}

function readPerHour(raw: string | undefined, problems: Problem[]): number {
	if (raw === undefined || raw.trim() === '') return DEFAULT_REAL_SENDS_PER_HOUR;
	const value = Number(raw.trim());
	if (Number.isInteger(value) && value >= 1 && value <= 500) return value;
	problems.push(
		problem(
			'real-send-per-hour',
			'SANDBOX_REAL_SEND_PER_HOUR',
			'warning',
			bilingual('realMode.perHour.message', { value: raw, fallback: DEFAULT_REAL_SENDS_PER_HOUR }),
			bilingual('realMode.perHour.fix', { fallback: DEFAULT_REAL_SENDS_PER_HOUR }),
		),
	);
	return DEFAULT_REAL_SENDS_PER_HOUR;
}

export function defaultEnvPath(env: Readonly<Record<string, string | undefined>> = process.env, cwd: string = process.cwd()): string {
	return resolve(cwd, env['DOTENV_CONFIG_PATH'] ?? '.env');
}

export async function loadRealMode(options: LoadRealModeOptions): Promise<RealModeState> {
	const processEnv = options.processEnv ?? process.env;
	const envPath = options.envPath ?? defaultEnvPath(processEnv);
	const loaded = await loadEmailSettings({ envPath, environment: options.environment ?? processEnv });
	const problems = [...loaded.settings.problems];
	// Without a .env file the sandbox is the normal case, not a problem worth a warning on every start.
	if (loaded.settings.mode === 'sandbox') {
		const index = problems.findIndex((p) => p.code === 'env-file-missing');
		if (index >= 0) problems.splice(index, 1);
	}
	const perHour = readPerHour(processEnv['SANDBOX_REAL_SEND_PER_HOUR'], problems);
	const allow = (processEnv['SANDBOX_REAL_SEND_ALLOW'] ?? '').trim();
	const real = realSettingsIfUsable(loaded.settings, problems);
	const rawPassword = processEnv['EMAIL_HOST_PASSWORD'];
	const relay = real
		? createRealRelay({
				settings: real,
				guard: createRealSendGuard({ perHour, allow }),
				store: options.store,
				...(options.ca !== undefined ? { ca: options.ca } : {}),
				...(rawPassword !== undefined ? { rawPassword } : {}),
				...(options.warn ? { warn: options.warn } : {}),
			})
		: null;
	return { envPath, envFileFound: loaded.envFileFound, settings: loaded.settings, problems, relay, perHour, allow };
}

const SECURITY_NAMES: Record<RealEmailSettings['security'], string> = { starttls: 'STARTTLS', implicit: 'TLS', none: 'no TLS' };

/** One line: where the next email goes. Never the password, only that it is set and its length. */
export function destinationLine(state: RealModeState, sandbox: { smtp: number; smtps: number }, lang: Lang): string {
	const ports = `127.0.0.1:${sandbox.smtp} (STARTTLS), :${sandbox.smtps} (TLS)`;
	const { settings } = state;
	if (settings.mode === 'sandbox' && !state.envFileFound) {
		// No .env is the normal case for a learner: nothing is wrong, so nothing may sound like an error.
		return message(lang, 'realMode.destination.noEnvFile', { ports, envPath: state.envPath });
	}
	if (settings.mode === 'sandbox') {
		return message(lang, 'realMode.destination.noHost', { ports, envPath: state.envPath });
	}
	const secret = settings.password ? describeSecret(settings.password)[lang] : message(lang, 'realMode.passwordNotSet');
	const where = `${settings.host}:${settings.port} (${SECURITY_NAMES[settings.security]}) as ${settings.user || '(no user)'} [EMAIL_HOST_PASSWORD: ${secret}]`;
	if (!state.relay) {
		return message(lang, 'realMode.destination.settingsErrors', { ports, where, envPath: state.envPath });
	}
	return message(lang, 'realMode.destination.real', { ports, where, perHour: state.perHour });
}

/** One line per problem, with its fix, for the start-up log. */
export function problemLines(problems: readonly Problem[], lang: Lang): string[] {
	return problems.map((p) => {
		const mark = message(lang, p.severity === 'error' ? 'problem.error' : 'problem.warning');
		const where = p.line !== undefined ? `${p.variable}:${p.line}` : p.variable;
		return `  ${mark} [${where}] ${p.message[lang]} → ${p.fix[lang]}`;
	});
}
