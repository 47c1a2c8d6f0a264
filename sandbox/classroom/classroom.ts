/**
 * Classroom mode (issue 5): one Postlab on the instructor's machine, a private inbox per learner. A learner
 * joins with a display name and gets a browser identity (an HttpOnly cookie) and personal SMTP credentials,
 * so their own Django project delivers into their mailbox (`learner-<id>`); the instructor logs in with
 * INSTRUCTOR_TOKEN and sees everything. Without classroom mode the same interface answers "local": one user,
 * no logins, exactly as before.
 *
 * Secrets: cookie tokens are random and stored as SHA-256 hashes; SMTP passwords are HMAC(secret, learner
 * id), so they are stored nowhere and can still be shown again on the learner's own page; the instructor's
 * cookie is a random session id, stored hashed in `classroom/instructor-sessions.json`, ended by logging out,
 * by 12 hours passing, or by a new INSTRUCTOR_TOKEN. Learners live in one 0600 JSON file written
 * atomically (see ../json-file.ts).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { errorDetail } from '../error-text.ts';
import { readJsonFile, writeJsonFileAtomic, WriteQueue } from '../json-file.ts';
import { consoleLog, type OperatorLog } from '../operator-log.ts';
import type { MailStore } from '../store/mail-store.ts';
import { DEFAULT_MAILBOX } from '../store/types.ts';
import { looksAlike, MAX_NAME_LENGTH, normalizeDisplayName, type NameProblem } from './display-name.ts';
import {
	constantTimeEqual,
	deriveSmtpPassword,
	loadOrCreateSecret,
	normalizeSmtpPassword,
	randomToken,
	sha256,
} from './classroom-secret.ts';

export interface Learner {
	id: string;
	name: string;
	mailbox: string;
	smtpUser: string;
	joinedAt: string;
}
/** Shown only to that learner (their classroom page). */
export interface LearnerCredentials {
	smtpUser: string;
	smtpPassword: string;
}
export interface RosterEntry extends Learner {
	messageCount: number;
	lastMessageAt: string | null;
}
export type Viewer = { kind: 'local' } | { kind: 'learner'; learner: Learner } | { kind: 'instructor' } | { kind: 'anonymous' };

export interface Classroom {
	enabled: boolean;
	/** Adds a learner; the cookie value goes into LEARNER_COOKIE. Throws ClassroomError for a bad name or a full class. */
	join(name: string): Promise<{ learner: Learner; credentials: LearnerCredentials; cookieValue: string }>;
	/** Local mode → `{ kind: 'local' }`; a valid instructor cookie wins over a learner cookie. */
	viewerFromCookies(cookies: { learner?: string | undefined; instructor?: string | undefined }): Viewer;
	/**
	 * Starts an instructor session when the token is right (constant-time compare): the value for
	 * INSTRUCTOR_COOKIE, a random id stored only as its hash, valid INSTRUCTOR_SESSION_LIFETIME_MS and only
	 * while INSTRUCTOR_TOKEN stays the same. Null when the token is wrong.
	 */
	instructorLogin(token: string): Promise<string | null>;
	/** Ends the instructor session of this cookie value (logout): the cookie opens nothing any more. */
	instructorLogout(cookieValue: string | undefined): Promise<void>;
	/** For that learner's own page only. */
	credentialsOf(learnerId: string): LearnerCredentials | null;
	/** Every learner with their mail count, in joining order. */
	roster(): RosterEntry[];

	// ----- server side (SMTP, POP3/IMAP, forum, SSE); not for pages ------------------------------
	/** The mailbox these SMTP/POP3/IMAP credentials open, or null. Local mode: always `default`. */
	mailLogin(user: string, password: string): string | null;
	/**
	 * What the forum logs in to the capture server with to file mail in `mailbox`: that learner's own
	 * credentials, or the forum's process-only login (mail for accounts no learner made → `default`).
	 * Null in local mode (no login needed).
	 */
	mailCredentialsFor(mailbox: string | null): { user: string; pass: string } | null;
	/** Calls `listener` for each learner who joins (the instructor's live roster); returns the unsubscribe. */
	onJoin(listener: (learner: Learner) => void): () => void;
}

export const LEARNER_COOKIE = 'postlab_learner';
export const INSTRUCTOR_COOKIE = 'postlab_instructor';
/**
 * Attributes for both cookies (add `secure: true` when the request came over https). HttpOnly: page scripts
 * never see them; SameSite=Lax: other sites' forms do not carry them; a learner's lasts a school term.
 */
export const CLASSROOM_COOKIE_OPTIONS = { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 120 * 24 * 3600 } as const;
/**
 * An instructor session lasts a teaching day: the key to every learner's mail should not sit in a
 * browser for months. Logging out, or starting with another INSTRUCTOR_TOKEN, ends it sooner.
 */
export const INSTRUCTOR_SESSION_LIFETIME_MS = 12 * 3600 * 1000;
/** Instructor sessions kept at once (a few browsers, a projector); the oldest go first. */
const MAX_INSTRUCTOR_SESSIONS = 20;

export { MAX_NAME_LENGTH } from './display-name.ts';
/** A class, not the internet: the cap keeps a script on the network from filling the disk with learners. */
export const MAX_LEARNERS = 500;
/** The forum's own SMTP login (mail for accounts that no learner signed up); its password lives in memory only. */
export const FORUM_SMTP_USER = 'postlab-forum';

export type ClassroomErrorCode = NameProblem | 'name-taken' | 'class-full' | 'not-classroom';

/**
 * A join the learner can fix (bad or taken name) or cannot (class full); `code` picks the page's translated
 * text. Pages recognise it with isClassroomError: the built site holds its own copy of this class, so
 * `instanceof` fails across the two.
 */
export class ClassroomError extends Error {
	readonly code: ClassroomErrorCode;

	constructor(code: ClassroomError['code'], message: string) {
		super(message);
		this.name = 'ClassroomError';
		this.code = code;
	}
}

const CLASSROOM_ERROR_CODES = new Set<string>(['name-required', 'name-too-long', 'name-invalid', 'name-no-letter', 'name-taken', 'class-full', 'not-classroom']);

/** True for a ClassroomError from any copy of this module (compares the name and the code, not the class). */
export function isClassroomError(error: unknown): error is ClassroomError {
	if (typeof error !== 'object' || error === null) return false;
	const { name, code } = error as { name?: unknown; code?: unknown };
	return name === 'ClassroomError' && typeof code === 'string' && CLASSROOM_ERROR_CODES.has(code);
}

// ----- local mode ------------------------------------------------------------------------------------

/** Local mode: one user on this computer, no logins; any SMTP/POP3/IMAP login opens the one inbox. */
export const localClassroom: Classroom = {
	enabled: false,
	join: async () => {
		throw new ClassroomError('not-classroom', 'Classroom mode is off (SANDBOX_CLASSROOM); there is nothing to join.');
	},
	viewerFromCookies: () => ({ kind: 'local' }),
	instructorLogin: async () => null,
	instructorLogout: async () => undefined,
	credentialsOf: () => null,
	roster: () => [],
	mailLogin: () => DEFAULT_MAILBOX,
	mailCredentialsFor: () => null,
	onJoin: () => () => undefined,
};

// ----- classroom mode --------------------------------------------------------------------------------

interface StoredLearner extends Learner {
	/** SHA-256 (hex) of the cookie's random part; the cookie itself is never stored. */
	cookieHash: string;
}

interface LearnersFile {
	version: 1;
	learners: StoredLearner[];
}

interface InstructorSession {
	/** SHA-256 (hex) of the cookie's value; the value itself is never stored. */
	idHash: string;
	/** HMAC of the INSTRUCTOR_TOKEN it was opened with: a new token ends every older session. */
	tokenFingerprint: string;
	createdAt: string;
	expiresAt: string;
}

interface InstructorSessionsFile {
	version: 1;
	sessions: InstructorSession[];
}

function validateSessions(data: unknown): InstructorSessionsFile {
	const file = data as Partial<InstructorSessionsFile>;
	if (file?.version !== 1 || !Array.isArray(file.sessions)) throw new Error('unexpected layout');
	for (const session of file.sessions) {
		if (typeof session.idHash !== 'string' || typeof session.tokenFingerprint !== 'string' || typeof session.expiresAt !== 'string') {
			throw new Error('an instructor session is missing fields');
		}
	}
	return file as InstructorSessionsFile;
}

const LEARNER_ID = /^[a-z0-9]{10}$/;

function validate(data: unknown): LearnersFile {
	const file = data as Partial<LearnersFile>;
	if (file?.version !== 1 || !Array.isArray(file.learners)) throw new Error('unexpected layout');
	for (const l of file.learners) {
		if (typeof l.id !== 'string' || !LEARNER_ID.test(l.id) || typeof l.name !== 'string' || typeof l.cookieHash !== 'string') {
			throw new Error('a learner is missing fields');
		}
	}
	return file as LearnersFile;
}

export interface OpenClassroomOptions {
	/** The sandbox data folder; the classroom keeps `classroom/learners.json` and `classroom/secret` there. */
	dataDir: string;
	instructorToken: string;
	/** Where message counts for the roster come from. */
	store: () => MailStore | undefined;
	now?: () => Date;
	/** Where a failing join listener is reported (default: the console). */
	log?: OperatorLog;
}

export function mailboxOfLearner(id: string): string {
	return `learner-${id}`;
}

const NAME_MESSAGES: Record<NameProblem, string> = {
	'name-required': 'Type a display name (your name as the instructor knows it).',
	'name-too-long': `A display name has at most ${MAX_NAME_LENGTH} characters.`,
	// Control, format and filler characters (bidi overrides, zero-width, Hangul fillers) could disguise one learner as another on the projector.
	'name-invalid': 'A display name cannot hold control, invisible or filler characters.',
	'name-no-letter': 'A display name needs at least one letter.',
};

/** NFKC, inner whitespace collapsed, checked by display-name.ts; throws ClassroomError when it cannot be a name. */
export function cleanName(raw: string): string {
	const result = normalizeDisplayName(raw);
	if (!result.ok) throw new ClassroomError(result.problem, NAME_MESSAGES[result.problem]);
	return result.name;
}

export async function openClassroom(options: OpenClassroomOptions): Promise<Classroom> {
	const folder = join(options.dataDir, 'classroom');
	const path = join(folder, 'learners.json');
	const secret = await loadOrCreateSecret(join(folder, 'secret'));
	let file = await readJsonFile<LearnersFile>(path, { version: 1, learners: [] }, validate);
	const queue = new WriteQueue();
	const now = options.now ?? (() => new Date());
	const log = options.log ?? consoleLog;
	const listeners = new Set<(learner: Learner) => void>();
	const sessionsPath = join(folder, 'instructor-sessions.json');
	let sessions = await readJsonFile<InstructorSessionsFile>(sessionsPath, { version: 1, sessions: [] }, validateSessions);
	const tokenFingerprint = createHmac('sha256', secret).update(`postlab.classroom.instructor-token:${options.instructorToken}`).digest('hex');
	// Lives only as long as the process: nobody can read it from a file or a page.
	const forumPassword = randomToken();

	const byId = (id: string): StoredLearner | undefined => file.learners.find((l) => l.id === id);
	const byMailbox = (mailbox: string): StoredLearner | undefined => file.learners.find((l) => l.mailbox === mailbox);
	const publicLearner = ({ id, name, mailbox, smtpUser, joinedAt }: StoredLearner): Learner => ({ id, name, mailbox, smtpUser, joinedAt });
	const credentials = (learner: Learner): LearnerCredentials => ({ smtpUser: learner.smtpUser, smtpPassword: deriveSmtpPassword(secret, learner.id) });

	function learnerOfCookie(value: string | undefined): StoredLearner | null {
		if (!value) return null;
		const dot = value.indexOf('.');
		if (dot < 0) return null;
		const learner = byId(value.slice(0, dot));
		if (!learner) return null;
		return timingSafeEqual(sha256(value.slice(dot + 1)), Buffer.from(learner.cookieHash, 'hex')) ? learner : null;
	}

	/** Keeps the live sessions of the current token (at most MAX_INSTRUCTOR_SESSIONS, newest) after `change`, on disk first. */
	async function changeSessions(change: (list: InstructorSession[]) => InstructorSession[]): Promise<void> {
		await queue.run(async () => {
			const at = now().getTime();
			const live = change(sessions.sessions).filter((x) => x.tokenFingerprint === tokenFingerprint && Date.parse(x.expiresAt) > at);
			const next: InstructorSessionsFile = { version: 1, sessions: live.slice(-MAX_INSTRUCTOR_SESSIONS) };
			await writeJsonFileAtomic(sessionsPath, next);
			sessions = next;
		});
	}

	function isInstructorCookie(value: string | undefined): boolean {
		if (!value) return false;
		const hash = sha256(value);
		const at = now().getTime();
		return sessions.sessions.some(
			(x) => x.tokenFingerprint === tokenFingerprint && Date.parse(x.expiresAt) > at && timingSafeEqual(hash, Buffer.from(x.idHash, 'hex')),
		);
	}

	function newId(): string {
		for (;;) {
			const id = Array.from(randomBytes(10), (byte) => 'abcdefghijklmnopqrstuvwxyz0123456789'[byte % 36]).join('');
			if (!byId(id)) return id;
		}
	}

	return {
		enabled: true,
		async join(rawName) {
			const name = cleanName(rawName);
			const token = randomToken();
			let learner: StoredLearner | undefined;
			await queue.run(async () => {
				if (file.learners.length >= MAX_LEARNERS) {
					throw new ClassroomError('class-full', `The class is full (${MAX_LEARNERS} learners). Ask the instructor.`);
				}
				// Checked in the queue, so two joins at once cannot both take the same-looking name.
				if (file.learners.some((other) => looksAlike(other.name, name))) {
					throw new ClassroomError('name-taken', 'Someone in the class already has this name, or one that looks the same. Add something that tells you apart, e.g. a surname or a class number.');
				}
				const id = newId();
				const mailbox = mailboxOfLearner(id);
				learner = { id, name, mailbox, smtpUser: mailbox, joinedAt: now().toISOString(), cookieHash: sha256(token).toString('hex') };
				const next: LearnersFile = { ...file, learners: [...file.learners, learner] };
				await writeJsonFileAtomic(path, next);
				file = next;
			});
			const joined = publicLearner(learner!);
			for (const listener of [...listeners]) {
				try {
					listener(joined);
				} catch (error) {
					// The learner is saved and joined: one broken roster stream must not fail that, but its fault is not hidden.
					log('log.classroom.rosterFailed', { learner: joined.id, error: errorDetail(error) });
				}
			}
			return { learner: joined, credentials: credentials(joined), cookieValue: `${joined.id}.${token}` };
		},
		viewerFromCookies(cookies) {
			if (isInstructorCookie(cookies.instructor)) return { kind: 'instructor' };
			const learner = learnerOfCookie(cookies.learner);
			return learner ? { kind: 'learner', learner: publicLearner(learner) } : { kind: 'anonymous' };
		},
		async instructorLogin(token) {
			if (!constantTimeEqual(token.trim(), options.instructorToken)) return null;
			const id = randomToken();
			const at = now();
			const session: InstructorSession = {
				idHash: sha256(id).toString('hex'),
				tokenFingerprint,
				createdAt: at.toISOString(),
				expiresAt: new Date(at.getTime() + INSTRUCTOR_SESSION_LIFETIME_MS).toISOString(),
			};
			await changeSessions((list) => [...list, session]);
			return id;
		},
		async instructorLogout(cookieValue) {
			if (!cookieValue) return;
			const hash = sha256(cookieValue).toString('hex');
			await changeSessions((list) => list.filter((x) => x.idHash !== hash));
		},
		credentialsOf(learnerId) {
			const learner = byId(learnerId);
			return learner ? credentials(learner) : null;
		},
		roster() {
			const store = options.store();
			return file.learners.map((stored) => {
				const messages = store?.listMailbox(stored.mailbox) ?? [];
				return { ...publicLearner(stored), messageCount: messages.length, lastMessageAt: messages.at(-1)?.receivedAt ?? null };
			});
		},
		mailLogin(user, password) {
			if (user === FORUM_SMTP_USER) return constantTimeEqual(password, forumPassword) ? DEFAULT_MAILBOX : null;
			const learner = byMailbox(user.trim().toLowerCase());
			// Compare against a derived password even for an unknown user, so the time does not tell who exists.
			const expected = deriveSmtpPassword(secret, learner?.id ?? 'nobody');
			const ok = constantTimeEqual(normalizeSmtpPassword(password), normalizeSmtpPassword(expected));
			return ok && learner ? learner.mailbox : null;
		},
		mailCredentialsFor(mailbox) {
			const learner = mailbox === null ? undefined : byMailbox(mailbox);
			return learner ? { user: learner.smtpUser, pass: deriveSmtpPassword(secret, learner.id) } : { user: FORUM_SMTP_USER, pass: forumPassword };
		},
		onJoin(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
	};
}
