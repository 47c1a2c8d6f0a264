/**
 * `npm run dev`: starts the sandbox inside Astro's dev server, the way `sandbox/main.ts` does for
 * `npm start`: the capture SMTP ports open, and the JSON API is mounted as Vite middleware in front of
 * Astro's pages. Under Vitest (which loads this config for its module resolution) it does nothing.
 * Node-only: this runs in the dev server, never in the browser.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AstroIntegration } from 'astro';
import { ConfigError, loadEnvFile, readConfig, startupWarnings } from '../../sandbox/config.ts';
import { getSandbox } from '../../sandbox/runtime.ts';
import { startSandbox, type SandboxHandle } from '../../sandbox/sandbox.ts';
import { getForum } from '../../sandbox/forum/forum-registry.ts';
import { startForum } from '../../sandbox/forum/start-forum.ts';
// --- real SMTP mode (issue 5) ---
import { destinationLine, getRealMode, loadRealMode, logLanguage, problemLines, registerRealMode } from '../../sandbox/realmode/real-mode.ts';
// --- end real SMTP mode ---

export function sandboxDev(): AstroIntegration {
	let sandbox: SandboxHandle | undefined;
	return {
		name: 'postlab:sandbox-dev',
		hooks: {
			'astro:server:setup': async ({ server, logger }) => {
				if (process.env['VITEST']) return;
				// --- real SMTP mode (issue 5): the environment before dotenv fills it, to credit values to .env ---
				const environmentBeforeDotenv = { ...process.env };
				// --- end real SMTP mode ---
				loadEnvFile();
				// Astro restarts the dev server (not the process) when its config changes: keep the running sandbox.
				sandbox = getSandbox();
				if (!sandbox) {
					try {
						const config = readConfig();
						for (const line of startupWarnings(config)) logger.warn(line);
						sandbox = await startSandbox(config, { log: (message) => logger.warn(message) });
					} catch (error) {
						const message = error instanceof Error ? error.message : String(error);
						logger.error(error instanceof ConfigError ? `Fix .env: ${message}` : `The sandbox did not start: ${message}`);
						return;
					}
					logger.info(
						`SMTP ${sandbox.config.host}:${sandbox.ports.smtp} (STARTTLS) and :${sandbox.ports.smtps} (TLS); certificate ${sandbox.certificate.path}`,
					);
					logger.info(
						`POP3 :${sandbox.ports.pop3} (STLS) and :${sandbox.ports.pop3s} (TLS); IMAP :${sandbox.ports.imap} (STARTTLS) and :${sandbox.ports.imaps} (TLS)`,
					);
					if (sandbox.classroom.enabled) {
						// The dev server's web port stays on astro.config's host; `npm start` serves a class on HOST.
						logger.info('Classroom mode: learners join at /ko/classroom/, the instructor at /ko/classroom/instructor/');
					}
				}
				const running = sandbox;
				// --- real SMTP mode (issue 5): read the email settings from .env once; say where mail goes ---
				if (!getRealMode()) {
					try {
						const realMode = await loadRealMode({ environment: environmentBeforeDotenv, store: () => running.store, warn: (m) => logger.warn(m) });
						registerRealMode(realMode);
						const lang = logLanguage();
						logger.info(destinationLine(realMode, running.ports, lang));
						for (const line of problemLines(realMode.problems, lang)) logger.warn(line);
					} catch (error) {
						logger.warn(`Email settings could not be read; mail goes to the sandbox: ${error instanceof Error ? error.message : String(error)}`);
					}
				}
				// --- end real SMTP mode ---
				// The same guard as npm start's (connection limits, timeouts, a 500 instead of a crash for a failing
				// request), then the Host check and frame headers, then the API, in front of everything Vite serves:
				// first in the stack, ahead of Vite's own host check, whose advice (add the name to allowedHosts) is
				// the wrong one here.
				if (server.httpServer && 'headersTimeout' in server.httpServer) {
					running.http.attach(server.httpServer);
					running.console.attach(server.httpServer);
				}
				server.middlewares.stack.unshift({
					route: '',
					handle: (req: IncomingMessage, res: ServerResponse, next: () => void) => running.http.handle(() => running.serve(req, res, next))(req, res),
				});
				// The forum's emails link back to the dev server, so it starts once the port is known.
				const withForum = (port: number) => {
					if (getForum()) return;
					startForum({
						env: process.env,
						dataDir: running.config.dataDir,
						host: running.config.host,
						smtpPort: running.ports.smtp,
						certificatePem: running.certificate.pem,
						httpPort: port,
						siteOrigin: running.linkOrigin(null),
						// Real SMTP mode, when .env configures it (loaded above).
						realMailer: getRealMode()?.relay ?? null,
						classroom: running.classroom,
					}).catch((error: unknown) => logger.error(`The forum did not start: ${error instanceof Error ? error.message : String(error)}`));
				};
				const address = server.httpServer?.address();
				if (typeof address === 'object' && address) {
					running.ports.http = address.port;
					withForum(address.port);
				}
				server.httpServer?.once('listening', () => {
					const bound = server.httpServer?.address();
					if (typeof bound === 'object' && bound) {
						running.ports.http = bound.port;
						withForum(bound.port);
					}
				});
			},
			'astro:server:done': async () => {
				// Only a real shutdown closes the sandbox; a config-change restart reuses it (see above).
				sandbox?.api.close();
			},
		},
	};
}
