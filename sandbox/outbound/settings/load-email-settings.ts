/**
 * Loads the email settings from a `.env` file and the process environment, the way the learner's Django
 * project does with django-environ: values already in the environment win over the file (both dotenv and
 * django-environ use setdefault semantics). The file text is parsed with dotenv itself, so Postlab reads
 * exactly what dotenv reads, and analysed line by line for pitfalls (the analysis the .env playground shows).
 */
import { readFile } from 'node:fs/promises';
import dotenv from 'dotenv';
import { scanEnvFile } from './env-file-problems.ts';
import { EMAIL_VARIABLES, type EmailVariable } from './email-variables.ts';
import { resolveEmailSettings, type RawValues } from './resolve-email-settings.ts';
import { problem } from './problem.ts';
import { bilingual } from '../../i18n/messages.ts';
import type { EmailSettings, ValueSource } from './email-settings-types.ts';

export interface LoadOptions {
	/** Path of the `.env` file; default `./.env`. */
	envPath?: string;
	/** Variables that win over the file; default `process.env`. Pass `{}` to read the file alone. */
	environment?: Readonly<Record<string, string | undefined>>;
}

export interface LoadedEmailSettings {
	settings: EmailSettings;
	envPath: string;
	/** False when the file does not exist (then only the environment counts). */
	envFileFound: boolean;
}

/** Reads settings from `.env` text plus environment overrides. */
export function readEmailSettings(text: string, environment: Readonly<Record<string, string | undefined>> = {}): EmailSettings {
	const fileValues = dotenv.parse(text);
	const scan = scanEnvFile(text);

	const values: RawValues = {};
	const sources: Partial<Record<EmailVariable, ValueSource>> = {};
	for (const variable of EMAIL_VARIABLES) {
		const fromEnvironment = environment[variable];
		if (fromEnvironment !== undefined) {
			values[variable] = fromEnvironment;
			sources[variable] = { from: 'environment' };
		} else if (fileValues[variable] !== undefined) {
			values[variable] = fileValues[variable];
			sources[variable] = { from: 'env-file', line: scan.lastLineOf.get(variable) ?? 0 };
		}
	}
	const settings = resolveEmailSettings(values, sources);
	// File pitfalls first: they often explain the value problems that follow.
	settings.problems.unshift(...scan.problems);
	return settings;
}

export async function loadEmailSettings(options: LoadOptions = {}): Promise<LoadedEmailSettings> {
	const envPath = options.envPath ?? '.env';
	const environment = options.environment ?? process.env;
	let text = '';
	let envFileFound = true;
	try {
		text = await readFile(envPath, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		envFileFound = false;
	}
	const settings = readEmailSettings(text, environment);
	if (!envFileFound) {
		settings.problems.unshift(
			problem(
				'env-file-missing',
				'.env',
				'warning',
				bilingual('settings.noEnvFile.message', { envPath }),
				bilingual('settings.noEnvFile.fix', { envPath }),
			),
		);
	}
	return { settings, envPath, envFileFound };
}
