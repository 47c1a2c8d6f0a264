/**
 * `npm start`: serves the built lessons and runs the sandbox in one process. The sandbox's API answers
 * `/api/v1/*` first; every other request goes to Astro's handler.
 */
import { createServer } from 'node:http';
import { loadAstroHandler, type NodeHandler } from './astro-handler.ts';
import { ConfigError, isLoopbackHost, loadEnvFile, readConfig, startupWarnings, type SandboxConfig } from './config.ts';
import { classroomUrls } from './classroom/lan-addresses.ts';
import { message } from './i18n/messages.ts';
import { logLanguage } from './log-language.ts';
import { cannotStartLine } from './start-failure.ts';
import { startPostlab, type Postlab } from './start-postlab.ts';

// The terminal's language is the shell's: read before dotenv, so a `.env` meant for Django cannot change it.
const lang = logLanguage();

// The environment before dotenv fills it from .env, so the settings page credits each value to its source.
const environmentBeforeDotenv = { ...process.env };
loadEnvFile();
let config: SandboxConfig;
try {
	config = readConfig();
} catch (error) {
	if (error instanceof ConfigError) {
		console.error(cannotStartLine(error, lang));
		process.exit(1);
	}
	throw error;
}
for (const line of startupWarnings(config, lang)) console.warn(line);

let astro: NodeHandler;
try {
	astro = await loadAstroHandler();
} catch (error) {
	console.error(cannotStartLine(error, lang));
	process.exit(1);
}
let postlab: Postlab;
try {
	postlab = await startPostlab({ config, environmentBeforeDotenv, lang, log: { info: (m) => console.log(m), warn: (m) => console.warn(m) } });
} catch (error) {
	console.error(cannotStartLine(error, lang));
	process.exit(1);
}
const { sandbox } = postlab;

// The guard counts connections, bounds how long a client may take, and answers 500 for one request whose
// handler (the Host gate's, the API's or Astro's) throws, instead of letting it end the process.
const server = createServer(sandbox.http.serverOptions, sandbox.http.handle((req, res) => sandbox.serve(req, res, () => astro(req, res))));
sandbox.http.attach(server);
sandbox.console.attach(server);
const cannotListen = (error: NodeJS.ErrnoException) => {
	console.error(
		error.code === 'EADDRINUSE'
			? message(lang, 'start.cannotStart', { reason: message(lang, 'start.portInUse', { port: config.port }) })
			: cannotStartLine(error, lang),
	);
	void postlab.close().finally(() => process.exit(1));
};
server.once('error', cannotListen);
server.listen(config.port, config.host, () => {
	// Listening: from now on an error is one failed accept (out of file descriptors), never a reason to stop.
	server.off('error', cannotListen);
	server.on('error', (error) => console.warn(`[sandbox] ${message(lang, 'log.http.serverError', { reason: error.message })}`));
	void ready();
});

async function ready(): Promise<void> {
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	const host = config.host.includes(':') ? `[${config.host}]` : config.host;
	try {
		await postlab.serveOn(port);
	} catch (error) {
		console.error(cannotStartLine(error, lang));
		await postlab.close();
		process.exit(1);
	}
	const { ports } = sandbox;
	console.log(message(lang, 'start.smtp', { host: config.host, smtp: ports.smtp, smtps: ports.smtps }));
	console.log(message(lang, 'start.pop3', { host: config.host, pop3: ports.pop3, pop3s: ports.pop3s }));
	console.log(message(lang, config.mailboxReadOnly ? 'start.imapReadOnly' : 'start.imap', { host: config.host, imap: ports.imap, imaps: ports.imaps }));
	console.log(message(lang, sandbox.certificate.created ? 'start.certificateMade' : 'start.certificate', { path: sandbox.certificate.path }));
	console.log(message(lang, 'start.dataDir', { path: config.dataDir }));
	if (sandbox.classroom.enabled) {
		const instructorHost = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;
		console.log(message(lang, 'start.classroomInstructor', { url: `http://${instructorHost}:${port}/ko/classroom/instructor/` }));
		const joinUrls = config.publicUrl
			? [`${config.publicUrl}/ko/classroom/`]
			: isLoopbackHost(config.host)
				? [`http://${host}:${port}/ko/classroom/`]
				: classroomUrls(config.host, port, '/ko/classroom/');
		for (const url of joinUrls) console.log(message(lang, 'start.classroomJoin', { url }));
	}
	console.log(message(lang, 'start.ready', { url: `http://${host}:${port}/` }));
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
	if (stopping) return;
	stopping = true;
	console.log(`\n${message(lang, 'start.stopping', { signal })}`);
	// A second signal, or a hung close, must not leave the process running.
	setTimeout(() => process.exit(1), 10_000).unref();
	server.closeAllConnections();
	await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), postlab.close()]);
	process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
