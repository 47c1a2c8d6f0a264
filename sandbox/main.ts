/**
 * `npm start`: serves the built lessons and runs the sandbox in one process. The sandbox's API answers
 * `/api/v1/*` first; every other request goes to Astro's handler.
 */
import { createServer } from 'node:http';
import { loadAstroHandler } from './astro-handler.ts';
import { ConfigError, isLoopbackHost, loadEnvFile, readConfig, startupWarnings, type SandboxConfig } from './config.ts';
import { startSandbox, type SandboxHandle } from './sandbox.ts';
import { classroomUrls } from './classroom/lan-addresses.ts';
import { registerForum } from './forum/forum-registry.ts';
import type { ForumService } from './forum/forum-service.ts';
import { startForum } from './forum/start-forum.ts';
// --- real SMTP mode (issue 5) ---
import { destinationLine, loadRealMode, logLanguage, problemLines, registerRealMode, type RealModeState } from './realmode/real-mode.ts';
// The environment before dotenv fills it from .env, so the settings panel credits each value to its source.
const environmentBeforeDotenv = { ...process.env };
// --- end real SMTP mode ---

loadEnvFile();
let config: SandboxConfig;
try {
	config = readConfig();
} catch (error) {
	if (error instanceof ConfigError) {
		console.error(`Postlab cannot start: ${error.message}`);
		process.exit(1);
	}
	throw error;
}
for (const line of startupWarnings(config)) console.warn(line);

const astro = await loadAstroHandler();
let sandbox: SandboxHandle;
try {
	sandbox = await startSandbox(config);
} catch (error) {
	console.error(`Postlab cannot start: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}

// The guard counts connections, bounds how long a client may take, and answers 500 for one request whose
// handler (the Host gate's, the API's or Astro's) throws, instead of letting it end the process.
const server = createServer(sandbox.http.serverOptions, sandbox.http.handle((req, res) => sandbox.serve(req, res, () => astro(req, res))));
sandbox.http.attach(server);
sandbox.console.attach(server);
const cannotListen = (error: NodeJS.ErrnoException) => {
	console.error(
		error.code === 'EADDRINUSE'
			? `Postlab cannot start: port ${config.port} (PORT) is already in use by another program. Stop it, or set PORT to a free port, e.g. PORT=4322 npm start.`
			: `Postlab cannot start: ${error.message}`,
	);
	void sandbox.close().finally(() => process.exit(1));
};
server.once('error', cannotListen);
let forum: ForumService | null = null;
server.listen(config.port, config.host, () => {
	// Listening: from now on an error is one failed accept (out of file descriptors), never a reason to stop.
	server.off('error', cannotListen);
	server.on('error', (error) => console.warn(`[sandbox] HTTP: ${error.message}`));
	void ready();
});

async function ready(): Promise<void> {
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	sandbox.ports.http = port;
	const host = config.host.includes(':') ? `[${config.host}]` : config.host;
	// --- real SMTP mode (issue 5): read the email settings from .env; say where mail goes ---
	let realMode: RealModeState | null = null;
	try {
		realMode = await loadRealMode({ environment: environmentBeforeDotenv, store: () => sandbox.store, warn: (m) => console.warn(m) });
		registerRealMode(realMode);
		const lang = logLanguage();
		console.log(destinationLine(realMode, sandbox.ports, lang));
		for (const line of problemLines(realMode.problems, lang)) console.warn(line);
	} catch (error) {
		console.warn(`Email settings could not be read; mail goes to the sandbox: ${error instanceof Error ? error.message : String(error)}`);
	}
	// --- end real SMTP mode ---
	// The forum needs the bound web port for the links in its emails, so it starts once the server listens.
	try {
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
		});
		forum = started.forum;
		if (started.secretKey.source === 'created') console.log(`Forum SECRET_KEY: made one and kept it in ${started.secretKey.path}`);
	} catch (error) {
		console.error(`Postlab cannot start: ${error instanceof Error ? error.message : String(error)}`);
		await sandbox.close();
		process.exit(1);
	}
	console.log(`Sandbox SMTP: ${config.host}:${sandbox.ports.smtp} (STARTTLS offered, like 587), ${config.host}:${sandbox.ports.smtps} (TLS, like 465)`);
	console.log(`Sandbox POP3: ${config.host}:${sandbox.ports.pop3} (STLS offered, like 110), ${config.host}:${sandbox.ports.pop3s} (TLS, like 995)`);
	console.log(`Sandbox IMAP (read-only): ${config.host}:${sandbox.ports.imap} (STARTTLS offered, like 143), ${config.host}:${sandbox.ports.imaps} (TLS, like 993)`);
	console.log(`Sandbox certificate: ${sandbox.certificate.path}${sandbox.certificate.created ? ' (made now)' : ''}`);
	console.log(`Sandbox mail folder: ${config.dataDir}`);
	if (sandbox.classroom.enabled) {
		console.log(`Classroom mode: the instructor logs in at http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}/ko/classroom/instructor/ (INSTRUCTOR_TOKEN)`);
		const joinUrls = config.publicUrl
			? [`${config.publicUrl}/ko/classroom/`]
			: isLoopbackHost(config.host)
				? [`http://${host}:${port}/ko/classroom/`]
				: classroomUrls(config.host, port, '/ko/classroom/');
		for (const url of joinUrls) console.log(`Classroom mode: learners join at ${url}`);
	}
	console.log(`Postlab is ready: http://${host}:${port}/`);
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
	if (stopping) return;
	stopping = true;
	console.log(`\nPostlab is stopping (${signal})…`);
	// A second signal, or a hung close, must not leave the process running.
	setTimeout(() => process.exit(1), 10_000).unref();
	sandbox.api.close();
	forum?.mailer.close();
	registerForum(null);
	registerRealMode(null);
	server.closeAllConnections();
	await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), sandbox.close()]);
	process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
