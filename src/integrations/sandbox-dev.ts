/**
 * `npm run dev`: starts Postlab inside Astro's dev server the way `sandbox/main.ts` does for `npm start`
 * (both call startPostlab): the capture SMTP ports open, and the JSON API is mounted as Vite middleware in
 * front of Astro's pages. Under Vitest (which loads this config for its module resolution) it does nothing.
 * Node-only: this runs in the dev server, never in the browser.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AstroIntegration } from 'astro';
import { ConfigError, loadEnvFile, readConfig, startupWarnings } from '../../sandbox/config.ts';
import { message } from '../../sandbox/i18n/messages.ts';
import { logLanguage } from '../../sandbox/log-language.ts';
import { describeError } from '../../sandbox/operator-error.ts';
import { getRuntime } from '../../sandbox/runtime.ts';
import { startPostlab, type Postlab } from '../../sandbox/start-postlab.ts';

export function sandboxDev(): AstroIntegration {
	let postlab: Postlab | undefined;
	// The terminal's language is the shell's: read before dotenv, so a `.env` meant for Django cannot change it.
	const lang = logLanguage();
	return {
		name: 'postlab:sandbox-dev',
		hooks: {
			'astro:server:setup': async ({ server, logger }) => {
				if (process.env['VITEST']) return;
				// Astro restarts the dev server (not the process) when its config changes: keep the running Postlab.
				postlab ??= getRuntime();
				if (!postlab) {
					// The environment before dotenv fills it, to credit each value to .env or the shell.
					const environmentBeforeDotenv = { ...process.env };
					loadEnvFile();
					try {
						const config = readConfig();
						for (const line of startupWarnings(config, lang)) logger.warn(line);
						postlab = await startPostlab({ config, environmentBeforeDotenv, lang, log: { info: (m) => logger.info(m), warn: (m) => logger.warn(m) } });
					} catch (error) {
						const reason = describeError(error, lang);
						logger.error(message(lang, error instanceof ConfigError ? 'devStart.fixEnv' : 'devStart.sandboxFailed', { reason }));
						return;
					}
					const { sandbox } = postlab;
					const { ports } = sandbox;
					logger.info(message(lang, 'devStart.smtp', { host: sandbox.config.host, smtp: ports.smtp, smtps: ports.smtps, path: sandbox.certificate.path }));
					logger.info(message(lang, 'devStart.pop3Imap', { pop3: ports.pop3, pop3s: ports.pop3s, imap: ports.imap, imaps: ports.imaps }));
					if (sandbox.classroom.enabled) {
						// The dev server's web port stays on astro.config's host; `npm start` serves a class on HOST.
						logger.info(message(lang, 'devStart.classroom'));
					}
				}
				const running = postlab;
				const { sandbox } = running;
				// The same guard as npm start's (connection limits, timeouts, a 500 instead of a crash for a failing
				// request), then the Host check and frame headers, then the API, in front of everything Vite serves:
				// first in the stack, ahead of Vite's own host check, whose advice (add the name to allowedHosts) is
				// the wrong one here.
				if (server.httpServer && 'headersTimeout' in server.httpServer) {
					sandbox.http.attach(server.httpServer);
					sandbox.console.attach(server.httpServer);
				}
				server.middlewares.stack.unshift({
					route: '',
					handle: (req: IncomingMessage, res: ServerResponse, next: () => void) => sandbox.http.handle(() => sandbox.serve(req, res, next))(req, res),
				});
				// The forum's emails link back to the dev server, so it starts once the port is known.
				const serveOn = (port: number) =>
					void running.serveOn(port).catch((error: unknown) => logger.error(message(lang, 'devStart.forumFailed', { reason: describeError(error, lang) })));
				const address = server.httpServer?.address();
				if (typeof address === 'object' && address) serveOn(address.port);
				server.httpServer?.once('listening', () => {
					const bound = server.httpServer?.address();
					if (typeof bound === 'object' && bound) serveOn(bound.port);
				});
			},
			'astro:server:done': async () => {
				// Only a real shutdown closes Postlab; a config-change restart reuses it (see above). Its event
				// streams close now so that the dev server's own close is not held open by them.
				postlab?.sandbox.api.close();
			},
		},
	};
}
