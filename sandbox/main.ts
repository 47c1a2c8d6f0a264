/**
 * `npm start`: serves the built lessons and runs the sandbox in one process. The sandbox's API answers
 * `/api/v1/*` first; every other request goes to Astro's handler.
 */
import { createServer } from 'node:http';
import { loadAstroHandler } from './astro-handler.ts';
import { ConfigError, isLoopbackHost, loadEnvFile, readConfig, startupWarnings, type SandboxConfig } from './config.ts';
import { classroomUrls } from './classroom/lan-addresses.ts';
import { startPostlab, type Postlab } from './start-postlab.ts';

// The environment before dotenv fills it from .env, so the settings page credits each value to its source.
const environmentBeforeDotenv = { ...process.env };
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
let postlab: Postlab;
try {
	postlab = await startPostlab({ config, environmentBeforeDotenv, log: { info: (m) => console.log(m), warn: (m) => console.warn(m) } });
} catch (error) {
	console.error(`Postlab cannot start: ${error instanceof Error ? error.message : String(error)}`);
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
			? `Postlab cannot start: port ${config.port} (PORT) is already in use by another program. Stop it, or set PORT to a free port, e.g. PORT=4322 npm start.`
			: `Postlab cannot start: ${error.message}`,
	);
	void postlab.close().finally(() => process.exit(1));
};
server.once('error', cannotListen);
server.listen(config.port, config.host, () => {
	// Listening: from now on an error is one failed accept (out of file descriptors), never a reason to stop.
	server.off('error', cannotListen);
	server.on('error', (error) => console.warn(`[sandbox] HTTP: ${error.message}`));
	void ready();
});

async function ready(): Promise<void> {
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	const host = config.host.includes(':') ? `[${config.host}]` : config.host;
	try {
		await postlab.serveOn(port);
	} catch (error) {
		console.error(`Postlab cannot start: ${error instanceof Error ? error.message : String(error)}`);
		await postlab.close();
		process.exit(1);
	}
	console.log(`Sandbox SMTP: ${config.host}:${sandbox.ports.smtp} (STARTTLS offered, like 587), ${config.host}:${sandbox.ports.smtps} (TLS, like 465)`);
	console.log(`Sandbox POP3: ${config.host}:${sandbox.ports.pop3} (STLS offered, like 110), ${config.host}:${sandbox.ports.pop3s} (TLS, like 995)`);
	console.log(`Sandbox IMAP${config.mailboxReadOnly ? ' (read-only: SANDBOX_MAILBOX_READ_ONLY)' : ''}: ${config.host}:${sandbox.ports.imap} (STARTTLS offered, like 143), ${config.host}:${sandbox.ports.imaps} (TLS, like 993)`);
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
	server.closeAllConnections();
	await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), postlab.close()]);
	process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
