/**
 * The capture SMTP server (RFC 5321) on two ports: plain with STARTTLS offered (RFC 3207; what Django's
 * EMAIL_USE_TLS = True expects on 587) and TLS from the first byte (RFC 8314; EMAIL_USE_SSL = True on 465).
 * In local mode it accepts any AUTH PLAIN/LOGIN login (RFC 4954) or none; in classroom mode a login is
 * required and decides the mailbox (530 without one, 535 for a wrong one). It advertises SMTPUTF8, 8BITMIME, PIPELINING
 * and SIZE. Every message is stored durably before the 250 reply. Limits below keep garbage, half-open and
 * slow clients from crashing the process or starving other senders.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'nodemailer/lib/shared/index.js';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { ConnectionLimiter } from '../connections/connection-limiter.ts';
import { DRILLS, GMAIL_AUTH_REQUIRED, replyLine, type DrillReply, type DrillStep } from '../drills/drill-catalogue.ts';
import { CLASS_WIDE, type DrillMatch, type DrillRefusal, type DrillSwitch } from '../drills/drill-switch.ts';
import type { MailStore } from '../store/mail-store.ts';
import { DEFAULT_MAILBOX, type SessionFacts, type TranscriptEntry } from '../store/types.ts';
import { TranscriptRecorder } from './transcript.ts';
import { armLoginDeadline, type ConsoleLinks } from '../connections/console-links.ts';
import { listenError } from '../connections/listen-error.ts';
import { errorDetail, errorMessage } from '../error-text.ts';
import { consoleLog, type OperatorLog } from '../operator-log.ts';

/** A connection silent this long is closed with 421: half-open sockets and stalled clients go away. */
const IDLE_TIMEOUT_MS = 60_000;
/** On shutdown, connections still open after this are cut. */
const CLOSE_TIMEOUT_MS = 3_000;
/** RFC 5321 allows 512 octets per command line; extensions and SMTPUTF8 addresses need a little more. */
const MAX_COMMAND_BYTES = 4 * 1024;
/** Recipients per message: more than any lesson needs, few enough that a loop cannot balloon a session. */
const MAX_RECIPIENTS = 1000;

export interface CaptureServerOptions {
	host: string;
	/** 0 picks a free port. */
	smtpPort: number;
	smtpsPort: number;
	maxMessageBytes: number;
	tls: { cert: string; key: string };
	store: MailStore;
	/**
	 * Classroom mode: checks an AUTH login and returns the mailbox it opens, or null (535). The mailbox of
	 * the login then receives the connection's mail. Without it, any login is accepted (local mode).
	 */
	authenticate?: (user: string, password: string) => string | null;
	/** Refuse MAIL FROM with 530 and a plain explanation until the client has logged in. */
	requireAuth?: boolean;
	/**
	 * Who may connect, counted over both ports (in total, and per client address in classroom mode).
	 * Default: 1000 in total, no per-address share.
	 */
	connections?: ConnectionLimiter;
	/**
	 * A connection that has neither logged in nor started a message (MAIL FROM) this long after it opened
	 * is closed with 421. Default 30 s.
	 */
	loginTimeoutMs?: number;
	/** The lessons' console's connections, which get CONSOLE_LOGIN_TIMEOUT_MS instead (a person types them). */
	consoleLinks?: ConsoleLinks;
	/** Failure drills (sandbox/drills/): refuse at a step as Gmail would, for whom the switch says. */
	drills?: DrillSwitch;
	/**
	 * How long the stalled-server drill holds a connection without a greeting before closing it: bounded, so
	 * a client without a timeout (Django's EMAIL_TIMEOUT = None) is let go. Default: the login timeout.
	 */
	drillStallMs?: number;
	/** Where problems are reported for the operator (a failed store, a login check that threw). */
	log?: OperatorLog;
}

/** Well above a class of 300 senders (SANDBOX_MAX_CONNECTIONS); used when no limiter is given. */
const DEFAULT_MAX_CLIENTS = 1000;
/** Real clients send EHLO, STARTTLS and AUTH or MAIL within a second (SANDBOX_LOGIN_TIMEOUT_SECONDS). */
const DEFAULT_LOGIN_TIMEOUT_MS = 30_000;

export interface CaptureServer {
	ports: { smtp: number; smtps: number };
	close(): Promise<void>;
}

type SmtpError = Error & { responseCode?: number };

interface ConnectionState {
	connectedAt: Date;
	/** Frees this connection's place under the limits when it closes. */
	release: () => void;
	/** Cancels the deadline for logging in or starting a message; null once it has (or never armed). */
	cancelLoginDeadline: (() => void) | null;
	auth?: { mechanism: string; user: string };
	/** The mailbox the accepted login opened (classroom mode). */
	mailbox?: string;
	/** The starttls-first drill took AUTH out of this connection's EHLO until it starts TLS. */
	authWithheld?: DrillMatch;
	/** The stalled-server drill holds this connection without a greeting until this timer closes it. */
	stall?: NodeJS.Timeout;
	/**
	 * The drill that refused on this connection and what it recorded. A "next message only" drill stays for
	 * the connection, as Gmail's refusal would: smtplib tries AUTH PLAIN and then LOGIN, and both are refused.
	 */
	drill?: { match: DrillMatch; refusal: DrillRefusal };
}

/** What a classroom client hears without a login: where to find the one it needs. */
export const AUTH_REQUIRED_MESSAGE =
	'Authentication required: log in with the personal SMTP user and password from your Postlab classroom page (EMAIL_HOST_USER and EMAIL_HOST_PASSWORD in your .env).';
/** And with a wrong one. Which half was wrong is not said. */
export const AUTH_FAILED_MESSAGE =
	'Authentication failed: the SMTP user or password is not one of this class. Copy both again from your Postlab classroom page (spaces in the password do not matter).';

export async function startCaptureServer(options: CaptureServerOptions): Promise<CaptureServer> {
	const log = options.log ?? consoleLog;
	const connections = options.connections ?? new ConnectionLimiter({ total: DEFAULT_MAX_CLIENTS, perAddress: null });
	const loginTimeoutMs = options.loginTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
	const state = new Map<string, ConnectionState>();
	const started = (session: SMTPServerSession) => {
		const entry = state.get(session.id);
		entry?.cancelLoginDeadline?.();
		if (entry) entry.cancelLoginDeadline = null;
	};
	/** The login's mailbox (classroom mode); a login forgotten by STARTTLS (no `facts.auth`) opens none. */
	const mailboxOf = (facts: SessionFacts): string => (facts.auth ? state.get(facts.connectionId)?.mailbox : undefined) ?? DEFAULT_MAILBOX;
	/** Each stored message's transcript as its record holds it, and how long it took to reach the disk. */
	const storedTranscripts = new Map<string, StoredTranscript>();
	const recorder = new TranscriptRecorder({
		onError: log,
		onComplete: (ids, transcript) => {
			for (const id of ids) {
				const stored = storedTranscripts.get(id);
				storedTranscripts.delete(id);
				// Usually the record's lines are where they were: only the lines after them are written.
				const saved = stored && continues(transcript, stored)
					? options.store.appendTranscript(id, transcript.slice(stored.length), stored.storeMs)
					: options.store.completeTranscript(id, transcript, stored?.storeMs);
				saved.catch((error: unknown) => {
					log('log.smtp.transcriptNotSaved', { id, reason: errorMessage(error) });
				});
			}
		},
	});

	const make = (implicitTls: boolean) =>
		new SMTPServer({
			name: 'localhost',
			banner: options.requireAuth
				? 'Postlab classroom sandbox: log in with your personal SMTP user and password'
				: 'Postlab sandbox: every message is captured, any login is accepted',
			secure: implicitTls,
			key: options.tls.key,
			cert: options.tls.cert,
			size: options.maxMessageBytes,
			authMethods: ['PLAIN', 'LOGIN'],
			authOptional: true,
			// Learners also try EMAIL_USE_TLS = False with a user and password; the lesson shows why that is bad.
			allowInsecureAuth: true,
			disableReverseLookup: true,
			// Our limiter decides (per address too, over both ports, in onConnect); this is only its bound on
			// sockets held, admitted or being refused, so smtp-server's own 421 never comes first.
			maxClients: connections.socketCap,
			socketTimeout: IDLE_TIMEOUT_MS,
			closeTimeout: CLOSE_TIMEOUT_MS,
			maxCommandLength: MAX_COMMAND_BYTES,
			maxRecipients: MAX_RECIPIENTS,
			logger: recorder.logger as Logger,
			onConnect(session, callback) {
				const admission = connections.admit(session.remoteAddress);
				// RFC 5321 §3.8: 421 closes the channel and tells the client to try again later.
				if (!admission.admitted) return callback(smtpError(421, tooManyConnections(admission.reason, admission.limit)));
				const early = options.drills?.beforeLogin(session.remoteAddress, options.authenticate ? null : DEFAULT_MAILBOX) ?? null;
				if (early?.active.drill === 'stalled-server') return holdWithoutGreeting(session, implicitTls, admission.release, early);
				// Like Gmail, offer no AUTH before STARTTLS: Django's login then fails before it sends a word
				// (SMTPNotSupportedError), and MAIL without a login is refused with 530 5.7.0 (onMailFrom).
				const authWithheld = early?.active.drill === 'starttls-first' && !implicitTls ? early : undefined;
				if (authWithheld) session.disabledCommands = ['AUTH'];
				const cancelLoginDeadline = armLoginDeadline({
					baseMs: loginTimeoutMs,
					links: options.consoleLinks,
					client: () => ({ address: session.remoteAddress, port: session.remotePort }),
					expire: (allowedMs) => endWithoutLogin(session.id, allowedMs),
				});
				state.set(session.id, { connectedAt: new Date(), release: admission.release, cancelLoginDeadline, ...(authWithheld ? { authWithheld } : {}) });
				recorder.open(session.id, implicitTls);
				callback();
			},
			onAuth(auth: SMTPServerAuthentication, session: SMTPServerSession, callback) {
				// Only the user name and mechanism are kept, never the password.
				const user = auth.username ?? '';
				let mailbox: string | null;
				try {
					mailbox = options.authenticate ? options.authenticate(user, auth.password ?? '') : DEFAULT_MAILBOX;
				} catch (error) {
					// A login check that throws on some input is our bug: this client hears 454, the process goes on.
					log('log.smtp.loginCheckFailed', { reason: errorDetail(error) });
					return callback(smtpError(454, 'Temporary authentication failure, try again.'));
				}
				if (mailbox === null) return callback(smtpError(535, AUTH_FAILED_MESSAGE));
				const drill = drillAt('auth', session, mailbox);
				if (drill) return refuse(session, drill, callback, user);
				const entry = state.get(session.id);
				if (entry) {
					entry.auth = { mechanism: auth.method, user };
					entry.mailbox = mailbox;
				}
				started(session);
				callback(null, { user });
			},
			onMailFrom(_address, session: SMTPServerSession, callback) {
				// smtp-server's own check (authOptional: false) answers a terse 530; ours says what to do.
				if (options.requireAuth && !session.user) return callback(smtpError(530, AUTH_REQUIRED_MESSAGE));
				// Local mode needs no login: a client that has begun a message is as good as logged in.
				if (!options.requireAuth) started(session);
				const drill = drillAt('mail', session, connectionMailbox(session));
				if (drill) return refuse(session, drill, callback);
				callback();
			},
			onRcptTo(_address, session: SMTPServerSession, callback) {
				const drill = drillAt('rcpt', session, connectionMailbox(session));
				if (drill) return refuse(session, drill, callback);
				callback();
			},
			onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
				receive(stream, session, implicitTls, callback);
			},
			onSecure(_socket, session: SMTPServerSession, callback) {
				// STARTTLS done: AUTH is offered again, as Gmail offers it after the upgrade.
				if (state.get(session.id)?.authWithheld) session.disabledCommands = undefined;
				callback();
			},
			onClose(session) {
				const entry = state.get(session.id);
				// AUTH was withheld and the client gave up without TLS or a refused command: the drill did its work.
				if (entry?.authWithheld && !session.secure && !entry.drill) {
					recorder.get(session.id)?.event('drill', 'Drill "starttls-first": AUTH was not offered before STARTTLS, as Gmail does, and the client gave up');
					options.drills?.refused(entry.authWithheld, {
						mailbox: refusalMailbox(entry.authWithheld),
						step: 'ehlo',
						transcript: recorder.get(session.id)?.snapshot() ?? [],
					});
				}
				recorder.close(session.id);
				entry?.cancelLoginDeadline?.();
				if (entry?.stall) clearTimeout(entry.stall);
				entry?.release();
				state.delete(session.id);
			},
		});

	/**
	 * Whose refusal it is when no login named a mailbox (a drill that acts before the login): the learner's
	 * whose drill it was, or for the class's drill the default mailbox, which the instructor sees.
	 */
	function refusalMailbox(match: DrillMatch): string {
		return match.key === CLASS_WIDE ? DEFAULT_MAILBOX : match.key;
	}

	/** The mailbox a connection's mail goes to: its login's (classroom mode), or the one local inbox. */
	function connectionMailbox(session: SMTPServerSession): string {
		return (session.user ? state.get(session.id)?.mailbox : undefined) ?? DEFAULT_MAILBOX;
	}

	/** The drill that refuses this step for this mailbox, with Gmail's reply; null to go on as normal. */
	function drillAt(step: Exclude<DrillStep, 'connect'>, session: SMTPServerSession, mailbox: string): { match: DrillMatch; reply: DrillReply; mailbox: string; step: DrillStep } | null {
		const entry = state.get(session.id);
		// A spent "next message only" drill still refuses the rest of the connection it refused; a drill that is
		// on is looked up afresh, so turning it off frees a connection that stays open (a pooled sender).
		const spent = entry?.drill?.match.active.mode === 'once' ? entry.drill.match : undefined;
		const match = spent ?? (entry?.authWithheld && !session.secure ? entry.authWithheld : options.drills?.forMailbox(mailbox));
		if (!match) return null;
		const id = match.active.drill;
		const drill = DRILLS[id];
		let reply: DrillReply | undefined;
		if (id === 'starttls-first') {
			// Gmail refuses AUTH and MAIL on a connection that has not started TLS; after STARTTLS all is well.
			if (!session.secure && (step === 'auth' || step === 'mail')) reply = drill.reply;
		} else if (drill.step === 'auth' && step === 'mail' && !session.user) {
			// A login drill, and the client never logged in: Gmail's answer to MAIL without a login.
			reply = GMAIL_AUTH_REQUIRED;
		} else if (drill.step === step) {
			reply = drill.reply;
		}
		return reply ? { match, reply, mailbox, step } : null;
	}

	/** Answers with the drill's reply, marks it in the transcript and keeps the refusal for the lesson's check. */
	function refuse(
		session: SMTPServerSession,
		drill: { match: DrillMatch; reply: DrillReply; mailbox: string; step: DrillStep },
		callback: (error?: SmtpError | null) => void,
		user: string | undefined = typeof session.user === 'string' ? session.user : undefined,
	): void {
		const transcript = recorder.get(session.id);
		const { active } = drill.match;
		transcript?.event('drill', `Drill "${active.drill}"${active.mode === 'once' ? ' (next message only)' : ''}: the sandbox refuses here as Gmail would`);
		// smtp-server writes (and logs) the reply inside the callback, so the snapshot after it holds the reply.
		callback(smtpError(drill.reply.code, `${drill.reply.enhanced} ${drill.reply.text}`));
		const entry = state.get(session.id);
		const snapshot = transcript?.snapshot() ?? [];
		// One record per drill and connection: a second refusal by the same drill (smtplib's next AUTH
		// mechanism) extends the first.
		if (entry?.drill && entry.drill.match.active === drill.match.active) {
			entry.drill.refusal.transcript = snapshot;
			return;
		}
		const refusal = options.drills?.refused(drill.match, {
			mailbox: drill.mailbox,
			step: drill.step,
			reply: replyLine(drill.reply),
			transcript: snapshot,
			...(user ? { user } : {}),
		});
		if (entry && refusal) entry.drill = { match: drill.match, refusal };
	}

	/**
	 * The stalled-server drill: the connection is accepted and never greeted (onConnect never calls back, so
	 * smtp-server sends nothing), until the bound closes it without a word. Only this connection waits: the
	 * others are served as usual, and it holds its place under the connection limits like any other.
	 */
	function holdWithoutGreeting(session: SMTPServerSession, implicitTls: boolean, release: () => void, match: DrillMatch): void {
		// Under smtp-server's idle timeout, which would otherwise greet the held client with a 421.
		const stallMs = Math.min(options.drillStallMs ?? loginTimeoutMs, IDLE_TIMEOUT_MS - 1_000);
		const stall = setTimeout(() => {
			for (const server of [plain, secure]) {
				for (const connection of server.connections) if (connection.id === session.id) connection.close();
			}
		}, stallMs);
		stall.unref();
		state.set(session.id, { connectedAt: new Date(), release, cancelLoginDeadline: null, stall });
		const transcript = recorder.open(session.id, implicitTls);
		const seconds = Math.round(stallMs / 1000);
		transcript.event('drill', `Drill "stalled-server"${match.active.mode === 'once' ? ' (next message only)' : ''}: no greeting is sent; the sandbox closes the connection after ${seconds} s`);
		options.drills?.refused(match, { mailbox: refusalMailbox(match), step: 'connect', transcript: transcript.snapshot() });
	}

	/** Says 421 to a connection that has not logged in (or, in local mode, begun a message) in time. */
	function endWithoutLogin(sessionId: string, allowedMs: number): void {
		const entry = state.get(sessionId);
		if (entry) entry.cancelLoginDeadline = null;
		for (const server of [plain, secure]) {
			for (const connection of server.connections) {
				if (connection.id !== sessionId) continue;
				const what = options.requireAuth ? 'no login' : 'no login or message';
				const seconds = Math.round(allowedMs / 1000);
				connection.send(421, `Closing: ${what} within ${seconds} second${seconds === 1 ? '' : 's'}. Connect again when you are ready to send.`);
				connection.close();
				return;
			}
		}
	}

	function receive(
		stream: SMTPServerDataStream,
		session: SMTPServerSession,
		implicitTls: boolean,
		callback: (error?: SmtpError | null, message?: string) => void,
	): void {
		const dataStartedAt = new Date();
		/** How many of the transcript's lines the message record holds. */
		let storedLength = 0;
		const chunks: Buffer[] = [];
		let bytes = 0;
		stream.on('data', (chunk: Buffer) => {
			bytes += chunk.length;
			// Past the limit the rest is read and dropped, so the client hears 552 instead of a cut connection.
			if (!stream.sizeExceeded) chunks.push(chunk);
		});
		// The client went away mid-message: nothing to store and nobody to answer.
		stream.on('error', () => undefined);
		stream.on('end', () => {
			const transcript = recorder.get(session.id);
			transcript?.event('data-elided', `${bytes} bytes of message data`);
			const drill = drillAt('message', session, connectionMailbox(session));
			if (drill) return refuse(session, drill, callback);
			if (stream.sizeExceeded) {
				const limitMb = Math.round(options.maxMessageBytes / (1024 * 1024));
				return callback(
					smtpError(552, `Message too large: the limit is ${limitMb} MB (SANDBOX_MAX_MESSAGE_MB). Nothing was stored.`),
				);
			}
			const started = performance.now();
			let facts: SessionFacts;
			try {
				facts = sessionFacts(session, implicitTls, state.get(session.id), dataStartedAt);
				facts.transcript = transcript?.snapshot() ?? [];
				storedLength = facts.transcript.length;
			} catch (error) {
				// Called from a stream event: a throw here would escape smtp-server and end the process.
				log('log.smtp.deliveryNotDescribed', { reason: errorDetail(error) });
				return callback(smtpError(451, 'Could not store the message. Try again.'));
			}
			// A message that arrived as one chunk (every small one on the bench's load) is that chunk: no copy.
			const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, Math.min(bytes, options.maxMessageBytes));
			options.store
				.add({ raw, session: facts, mailbox: mailboxOf(facts), receivedAt: new Date() })
				.then((summary) => {
					if (transcript) {
						const storeMs = Math.round(performance.now() - started);
						storedTranscripts.set(summary.id, { length: storedLength, last: facts.transcript[storedLength - 1], storeMs });
						transcript.pendingMessageIds.push(summary.id);
					}
					callback(null, `Ok: stored as ${summary.id}`);
				})
				.catch((error: unknown) => {
					log('log.smtp.messageNotStored', { reason: errorMessage(error) });
					callback(smtpError(451, `Could not store the message (${errorMessage(error)}). Try again.`));
				});
		});
	}

	/**
	 * Each accepted socket holds a place until it closes. smtp-server's STARTTLS upgrade removes every listener
	 * of the plain socket (`removeAllListeners()` in SMTPConnection's upgrade), the 'close' that gives the place
	 * back included; so before each new socket is counted, the places of sockets already destroyed are given back.
	 */
	const heldSockets = new Map<Socket, () => void>();
	function releaseClosedSockets(): void {
		for (const [socket, release] of heldSockets) {
			if (!socket.destroyed) continue;
			release();
			heldSockets.delete(socket);
		}
	}
	const plain = make(false);
	const secure = make(true);
	for (const server of [plain, secure]) {
		// smtp-server wraps the logger it is given (nodemailer's getLogger: a copy of the fields and a level
		// lookup per call, several calls per message); the recorder takes its calls as they are, so it is
		// called directly. The `logger` option above still turns smtp-server's logging on.
		server.logger = recorder.logger as Logger;
		// Every socket is held from the moment it is accepted; a flood past the limiter's bounds is closed
		// at once, before smtp-server spends a greeting (or a TLS handshake) on it.
		server.server.on('connection', (socket: Socket) => {
			releaseClosedSockets();
			const held = connections.hold(socket.remoteAddress);
			if (!held) {
				socket.on('error', () => undefined);
				socket.destroy();
				return;
			}
			heldSockets.set(socket, held);
			socket.once('close', () => {
				held();
				heldSockets.delete(socket);
			});
			if (server === plain) coalesceReplies(socket);
		});
		// smtp-server re-emits client socket errors here; without a listener one bad client would crash the process.
		server.on('error', (error: Error) => {
			if (!isClientNoise(error)) log('log.smtp.error', { reason: error.message });
		});
	}
	const smtpPort = await listen(plain, options.host, options.smtpPort, 'SANDBOX_SMTP_PORT');
	let smtpsPort: number;
	try {
		smtpsPort = await listen(secure, options.host, options.smtpsPort, 'SANDBOX_SMTPS_PORT');
	} catch (error) {
		await closeServer(plain);
		throw error;
	}

	return {
		ports: { smtp: smtpPort, smtps: smtpsPort },
		async close() {
			await Promise.all([closeServer(plain), closeServer(secure)]);
		},
	};
}

/** What a message record holds of its connection's transcript: its first `length` lines, ending with `last`. */
interface StoredTranscript {
	length: number;
	last: TranscriptEntry | undefined;
	storeMs: number;
}

/**
 * True when `transcript` still begins with the lines the message record holds. Entries are never changed once
 * recorded, so the same last entry at the same place means the same lines; a transcript cut back in between
 * (a new transaction) is written whole instead.
 */
function continues(transcript: readonly TranscriptEntry[], stored: StoredTranscript): boolean {
	return transcript.length >= stored.length && transcript[stored.length - 1] === stored.last;
}

function sessionFacts(
	session: SMTPServerSession,
	implicitTls: boolean,
	connection: ConnectionState | undefined,
	dataStartedAt: Date,
): SessionFacts {
	const mailFrom = session.envelope.mailFrom;
	const args = (mailFrom ? mailFrom.args : {}) as Record<string, unknown>;
	const cipher = session.tlsOptions as { name?: string; version?: string } | false | undefined;
	const facts: SessionFacts = {
		remoteAddress: session.remoteAddress,
		localPort: session.localPort,
		clientHostname: session.clientHostname,
		helo: session.hostNameAppearsAs ?? '',
		tls: session.secure ? (implicitTls ? 'implicit' : 'starttls') : 'none',
		envelope: {
			mailFrom: mailFrom ? mailFrom.address : '',
			rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
			smtpUtf8: args['SMTPUTF8'] === true || args['SMTPUTF8'] === 'SMTPUTF8',
			bodyType: String(args['BODY'] ?? '').toUpperCase() === '8BITMIME' ? '8bitmime' : '7bit',
		},
		connectionId: session.id,
		timings: {
			connectedAt: (connection?.connectedAt ?? dataStartedAt).toISOString(),
			dataStartedAt: dataStartedAt.toISOString(),
			storeMs: 0,
		},
		transcript: [],
	};
	if (cipher && cipher.version) facts.tlsProtocol = cipher.version;
	if (cipher && cipher.name) facts.tlsCipher = cipher.name;
	// smtp-server forgets a login made before STARTTLS (RFC 3207 §4.2); so do we.
	if (session.user && connection?.auth) facts.auth = connection.auth;
	return facts;
}

/**
 * Replies to commands that arrived together go out in one write instead of one each: a pipelining client
 * (RFC 2920) sends MAIL, RCPT and DATA at once, and smtp-server answers each as it handles it, in the same
 * turn. The socket is corked while smtp-server reads what arrived and uncorked right after (same order, same
 * bytes, one syscall for three). The 250 after a message is stored is written later, on its own, at once.
 * Prepended, so it runs before smtp-server's own reader; plain sockets only (a TLS socket's writes bypass
 * the TCP socket's buffer, and its reads do not come through it as 'data').
 */
function coalesceReplies(socket: Socket): void {
	const uncork = () => socket.uncork();
	socket.prependListener('data', () => {
		socket.cork();
		process.nextTick(uncork);
	});
}

function listen(server: SMTPServer, host: string, port: number, variable: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const onError = (error: NodeJS.ErrnoException) => {
			server.server.off('listening', onListening);
			reject(listenError(error, port, variable));
		};
		const onListening = () => {
			server.server.off('error', onError);
			const address = server.server.address();
			resolve(typeof address === 'object' && address ? address.port : port);
		};
		server.server.once('error', onError);
		server.server.once('listening', onListening);
		server.listen(port, host);
	});
}

function closeServer(server: SMTPServer): Promise<void> {
	return new Promise((resolve) => server.close(() => resolve()));
}

function tooManyConnections(reason: 'address' | 'total', limit: number): string {
	return reason === 'address'
		? `Too many connections from your address (${limit} at once). Close one, or try again in a moment.`
		: 'Too many connected clients, try again in a moment.';
}

function smtpError(code: number, message: string): SmtpError {
	const error: SmtpError = new Error(message);
	error.responseCode = code;
	return error;
}

/** Resets and timeouts from clients that hang up are normal on a local capture server. */
function isClientNoise(error: Error): boolean {
	const code = (error as NodeJS.ErrnoException).code ?? '';
	return ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKET', 'ECONNECTION', 'ERR_SSL_WRONG_VERSION_NUMBER'].includes(code) || /TLS|SSL/i.test(error.message);
}
