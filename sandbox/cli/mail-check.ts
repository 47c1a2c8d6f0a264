/**
 * `npm run mail:check`: loads `.env`, prints the effective email settings (password hidden) and their
 * problems, connects to the real SMTP server the way Django would, prints the live dialogue (AUTH hidden) and,
 * with `--to`, sends a test message. Exit codes in mail-check-exit-codes.ts.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { loadEmailSettings } from '../outbound/settings/load-email-settings.ts';
import { hasErrors, type Lang, type Problem } from '../outbound/settings/problem.ts';
import { describeSecret } from '../outbound/settings/secret-redaction.ts';
import { EMAIL_VARIABLES, type EmailVariable } from '../outbound/settings/email-variables.ts';
import type { RealEmailSettings, ValueSource } from '../outbound/settings/email-settings-types.ts';
import { createRealSmtpTransport, RealSmtpError } from '../outbound/real-smtp-transport.ts';
import type { FailureKind } from '../outbound/smtp-reply-rules.ts';
import type { TranscriptEntry } from '../store/types.ts';
import { DEFAULT_TIMEOUT_MS } from '../outbound/settings/resolve-email-settings.ts';
import { mailCheckHelp, mailCheckText, type MailCheckText } from './mail-check-text.ts';
import { message } from '../i18n/messages.ts';
import { logLanguage } from '../log-language.ts';
import { padEndDisplay } from './display-width.ts';
import { sandboxTrustFor } from './sandbox-certificate.ts';
import { EXIT_AUTH, EXIT_CONFIG, EXIT_CONNECTION, EXIT_OK, EXIT_REJECTED, EXIT_USAGE } from './mail-check-exit-codes.ts';

const EXIT_FOR_FAILURE: Record<FailureKind, number> = {
	config: EXIT_CONFIG,
	connection: EXIT_CONNECTION,
	tls: EXIT_CONNECTION,
	auth: EXIT_AUTH,
	rejected: EXIT_REJECTED,
};

const out = (line = ''): void => {
	process.stdout.write(`${line}\n`);
};

function sourceLabel(text: MailCheckText, source: ValueSource | undefined): string {
	if (source === undefined || source.from === 'default') return text.byDefault;
	return source.from === 'environment' ? text.fromEnvironment : text.fromFile(source.line);
}

function printSettings(text: MailCheckText, lang: Lang, settings: RealEmailSettings): void {
	out(text.settings);
	const shown: Record<EmailVariable, string> = {
		EMAIL_HOST: settings.host,
		EMAIL_PORT: String(settings.port),
		EMAIL_USE_TLS: settings.useTls ? 'True' : 'False',
		EMAIL_USE_SSL: settings.useSsl ? 'True' : 'False',
		EMAIL_HOST_USER: settings.user || text.notSet,
		EMAIL_HOST_PASSWORD: settings.password ? describeSecret(settings.password)[lang] : text.notSet,
		// Unset, Django waits for ever (None); say so rather than the limit Postlab puts on its own checks.
		EMAIL_TIMEOUT: settings.sources.EMAIL_TIMEOUT ? text.seconds(settings.timeoutMs / 1000) : 'None',
		DEFAULT_FROM_EMAIL: settings.from,
		SECRET_KEY: settings.secretKey ? describeSecret(settings.secretKey)[lang] : text.notSet,
	};
	for (const variable of EMAIL_VARIABLES) {
		const source = settings.sources[variable];
		const label = variable === 'EMAIL_TIMEOUT' && !source ? text.timeoutByDefault(DEFAULT_TIMEOUT_MS / 1000) : sourceLabel(text, source);
		out(`  ${variable.padEnd(20)} ${padEndDisplay(shown[variable], 32)} (${label})`);
	}
	out(`  ${'→'.padEnd(20)} ${text.security[settings.security]}`);
	out();
}

function printProblems(text: MailCheckText, lang: Lang, problems: readonly Problem[]): void {
	const errors = problems.filter((p) => p.severity === 'error').length;
	if (problems.length === 0) {
		out(text.noProblems);
		out();
		return;
	}
	out(text.problems(errors, problems.length - errors));
	for (const p of problems) {
		const mark = p.severity === 'error' ? `✗ ${text.error}` : `! ${text.warning}`;
		out(`  ${mark} [${p.variable}${p.line !== undefined ? `:${p.line}` : ''}] ${p.message[lang]}`);
		out(`      ${text.fix}: ${p.fix[lang]}`);
	}
	out();
}

function printEntry(entry: TranscriptEntry): void {
	const prefix = entry.from === 'client' ? 'C:' : entry.from === 'server' ? 'S:' : ' *';
	out(`  ${prefix} ${entry.line}`);
}

async function main(argv: string[]): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			options: {
				env: { type: 'string' },
				to: { type: 'string' },
				lang: { type: 'string' },
				help: { type: 'boolean', short: 'h' },
			},
			allowPositionals: true,
			strict: true,
		});
	} catch (error) {
		// Node's parseArgs explains the option in English; the usage that follows is in the reader's language.
		process.stderr.write(`${(error as Error).message}\n\n${mailCheckHelp(logLanguage())}`);
		return EXIT_USAGE;
	}
	const { values, positionals } = parsed;
	const usageLang: Lang = values.lang === 'ko' || values.lang === 'en' ? values.lang : logLanguage();
	if (values.help) {
		out(mailCheckHelp(usageLang));
		return EXIT_OK;
	}
	// `npm run mail:check --to x` makes npm take --to for its own --token-description and drop it.
	const npmSwallowed = process.env['npm_lifecycle_event'] === 'mail:check' && process.env['npm_config_token_description'];
	if (positionals.length > 0 || npmSwallowed) {
		process.stderr.write(
			`${positionals.length ? message(usageLang, 'mailCheck.unexpectedArguments', { arguments: positionals.join(' ') }) : message(usageLang, 'mailCheck.unexpectedArgumentsNone')}\n\n${mailCheckHelp(usageLang)}`,
		);
		return EXIT_USAGE;
	}
	if (values.lang !== undefined && values.lang !== 'ko' && values.lang !== 'en') {
		process.stderr.write(`${message(usageLang, 'mailCheck.badLang', { value: values.lang })}\n`);
		return EXIT_USAGE;
	}
	const lang: Lang = values.lang ?? logLanguage();
	const text = mailCheckText(lang);

	// --env wins; else the file the rest of Postlab reads.
	const envPath = resolve(values.env ?? process.env['DOTENV_CONFIG_PATH'] ?? '.env');
	const { settings, envFileFound } = await loadEmailSettings({ envPath });
	out(`${text.title}`);
	out(`${text.envFile}: ${envPath}${envFileFound ? '' : ` (${text.notFound})`}`);
	out();

	if (settings.mode === 'sandbox') {
		printProblems(text, lang, settings.problems);
		out(text.sandbox);
		return EXIT_CONFIG;
	}
	printSettings(text, lang, settings);
	printProblems(text, lang, settings.problems);
	if (hasErrors(settings.problems)) {
		out(text.stopForErrors);
		return EXIT_CONFIG;
	}

	const rawPassword = process.env['EMAIL_HOST_PASSWORD'] ?? '';
	const trust = settings.security === 'none' ? null : await sandboxTrustFor(settings.host, settings.port);
	if (trust) out(text.trustingSandbox(`${settings.host}:${settings.port}`, trust.certPath));
	const transport = createRealSmtpTransport(settings, { onEntry: printEntry, rawPassword, ...(trust ? { ca: trust.pem } : {}) });
	if (values.to !== undefined) out(text.sending(values.to));
	out(text.dialogue(`${settings.host}:${settings.port}`));
	try {
		if (values.to === undefined) {
			await transport.verify();
			out();
			out(`✓ ${text.connected}`);
			out(text.noTo);
			return EXIT_OK;
		}
		// Sending goes through the same steps as verify (connect, TLS, AUTH), so one connection shows it all.
		const report = await transport.send({
			to: values.to,
			subject: text.subject,
			text: text.body(settings.host, new Date().toISOString()),
		});
		out();
		out(`✓ ${text.connected}`);
		out(`✓ ${text.sent(report.response)}`);
		if (settings.gmail) out(text.sentGmailNote);
		return EXIT_OK;
	} catch (error) {
		if (!(error instanceof RealSmtpError)) throw error;
		const { explanation } = error;
		out();
		out(`✗ ${text.failed} ${error.message}`);
		out(`  ${text.what}: ${explanation.what[lang]}`);
		out(`  ${text.todo}: ${explanation.todo[lang]}`);
		if (explanation.settings.length > 0) out(`  ${text.check}: ${explanation.settings.join(', ')}`);
		return EXIT_FOR_FAILURE[explanation.kind];
	} finally {
		transport.close();
	}
}

process.exitCode = await main(process.argv.slice(2));
