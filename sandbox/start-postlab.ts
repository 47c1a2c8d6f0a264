/**
 * The one way Postlab starts, for `npm start` (sandbox/main.ts), `npm run dev` (src/integrations/
 * sandbox-dev.ts) and tests: the sandbox's servers, then real SMTP mode from `.env`, then (once the web
 * server listens, because the forum's emails link back to it) the forum. It registers the running parts
 * for the Astro pages (runtime.ts) and closes them in reverse order, including what a failed start began.
 * Whoever serves the web pages owns the HTTP server; this owns everything behind it.
 */
import type { SandboxConfig } from './config.ts';
import type { ForumService } from './forum/forum-service.ts';
import { startForum } from './forum/start-forum.ts';
import { message, type Lang } from './i18n/messages.ts';
import { describeError } from './operator-error.ts';
import { destinationLine, loadRealMode, problemLines, type RealModeState } from './outbound/real-mode.ts';
import { logLanguage } from './log-language.ts';
import { logIn, type OperatorLog } from './operator-log.ts';
import { getRuntime, setRuntime } from './runtime.ts';
import { startSandbox, type SandboxHandle, type SandboxOptions } from './sandbox.ts';

export interface StartLog {
	info(message: string): void;
	warn(message: string): void;
}

export interface PostlabOptions {
	config: SandboxConfig;
	/**
	 * The environment as it was before dotenv copied `.env` into it, so the settings page credits each
	 * value to where it came from.
	 */
	environmentBeforeDotenv: Readonly<Record<string, string | undefined>>;
	log: StartLog;
	/** The language of the log lines; by default the terminal's (LANG, LC_*). */
	lang?: Lang;
	/** The sandbox's own options (its render budget in tests). */
	sandbox?: Omit<SandboxOptions, 'log'>;
}

export interface Postlab extends AsyncDisposable {
	readonly sandbox: SandboxHandle;
	/** Real SMTP mode as `.env` configures it; null when the settings could not be read. */
	readonly realMode: RealModeState | null;
	/** The forum; null until the web server listens (its emails link back to it). */
	readonly forum: ForumService | null;
	/**
	 * Starts the forum for the web server now listening on `port`, once; a later call (the dev server
	 * restarting on a config change) gets the same forum.
	 */
	serveOn(port: number): Promise<ForumService>;
	close(): Promise<void>;
}

export async function startPostlab(options: PostlabOptions): Promise<Postlab> {
	const { config, log } = options;
	const lang = options.lang ?? logLanguage();
	const warn = logIn(lang, (line) => log.warn(line));
	const stack = new AsyncDisposableStack();
	try {
		const sandbox = await startSandbox(config, { ...options.sandbox, lang, log: (line) => log.warn(line) });
		stack.defer(() => sandbox.close());
		const realMode = await readRealMode(sandbox, options.environmentBeforeDotenv, log, lang, warn);

		let forum: ForumService | null = null;
		let forumStarting: Promise<ForumService> | null = null;
		const resources = stack.move();
		let closing: Promise<void> | null = null;
		const postlab: Postlab = {
			sandbox,
			realMode,
			get forum() {
				return forum;
			},
			serveOn(port) {
				sandbox.ports.http = port;
				forumStarting ??= (async () => {
					const started = await startForum({
						env: process.env,
						dataDir: config.dataDir,
						host: config.host,
						smtpPort: sandbox.ports.smtp,
						certificatePem: sandbox.certificate.pem,
						httpPort: port,
						siteOrigin: sandbox.linkOrigin(null),
						realMailer: realMode?.relay ?? null,
						classroom: sandbox.classroom,
						log: warn,
					});
					resources.defer(() => started.forum.mailer.close());
					if (started.secretKey.source === 'created') log.info(message(lang, 'start.forumSecretKeyMade', { path: started.secretKey.path ?? '' }));
					forum = started.forum;
					return started.forum;
				})();
				return forumStarting;
			},
			close() {
				closing ??= (async () => {
					if (getRuntime() === postlab) setRuntime(undefined);
					// The API's event streams first: they would otherwise hold the web server's close open.
					sandbox.api.close();
					await resources.disposeAsync();
				})();
				return closing;
			},
			[Symbol.asyncDispose]() {
				return postlab.close();
			},
		};
		setRuntime(postlab);
		return postlab;
	} catch (error) {
		await stack.disposeAsync();
		throw error;
	}
}

/** Reads the email settings from `.env` and says where mail goes; a failure leaves mail in the sandbox. */
async function readRealMode(
	sandbox: SandboxHandle,
	environment: Readonly<Record<string, string | undefined>>,
	log: StartLog,
	lang: Lang,
	warn: OperatorLog,
): Promise<RealModeState | null> {
	try {
		const realMode = await loadRealMode({ environment, store: () => sandbox.store, warn });
		log.info(destinationLine(realMode, sandbox.ports, lang));
		for (const line of problemLines(realMode.problems, lang)) log.warn(line);
		return realMode;
	} catch (error) {
		log.warn(message(lang, 'start.emailSettingsUnreadable', { reason: describeError(error, lang) }));
		return null;
	}
}
