/**
 * Browser sessions for the forum, kept in `<dataDir>/forum/sessions.json` (crash-safe writes), so
 * a restart does not log anyone out or break a reset half-way. The file stores only a SHA-256 of each
 * session id: someone who reads it cannot take over a session. A session is stored only once a form has
 * done something (sign-up, log-in, log-out's notice) or a valid reset link is opened (it carries the reset
 * token of the set-password step); reading pages stores nothing (the CSRF token is a signed cookie,
 * csrf.ts). It gets a new id at login, as in django.contrib.sessions.
 *
 * Bounded: at most MAX_SESSIONS. Past it, sessions go in this order, oldest first within each: plain
 * anonymous ones (a notice), then logged-in ones, and only then those holding a reset token younger than a
 * reset link's lifetime, so no crowd of new sessions can end a learner's reset half-way.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_PASSWORD_RESET_TIMEOUT } from './django-token.ts';
import { readJsonFile, writeJsonFileAtomic, WriteQueue } from '../json-file.ts';

/** Django's SESSION_COOKIE_AGE: two weeks. */
export const SESSION_LIFETIME_MS = 14 * 24 * 3600 * 1000;
/** Sessions of visitors who never log in go sooner, so passing browsers do not fill the file. */
export const ANONYMOUS_SESSION_LIFETIME_MS = 24 * 3600 * 1000;
/** Beyond this many sessions some are dropped (see above): the file is rewritten on every change, so it stays small. */
export const MAX_SESSIONS = 5_000;

export interface SessionStoreOptions {
	now?: () => Date;
	/** Django's PASSWORD_RESET_TIMEOUT in ms: a session holding a reset token lives, and is kept, that long. */
	resetLinkLifetimeMs?: number;
	maxSessions?: number;
}

export interface SessionData {
	/** The logged-in account, or null. */
	userId: number | null;
	/**
	 * Fingerprint of the account's password hash at login (Django's HASH_SESSION_KEY): when the
	 * password changes, every other session of that account stops being logged in.
	 */
	authHash: string | null;
	/** Django's `_password_reset_token`: the token moved out of the URL by the confirm step. */
	resetToken: { uidb64: string; token: string } | null;
	/** A one-time notice shown by the next page (after Post/Redirect/Get). */
	flash: string | null;
}

export interface StoredSession extends SessionData {
	createdAt: string;
	expiresAt: string;
}

interface SessionsFile {
	version: 1;
	sessions: Record<string, StoredSession>;
}

function validate(data: unknown): SessionsFile {
	const file = data as Partial<SessionsFile>;
	if (file?.version !== 1 || typeof file.sessions !== 'object' || file.sessions === null) throw new Error('unexpected layout');
	return file as SessionsFile;
}

function keyOf(sessionId: string): string {
	return createHash('sha256').update(sessionId).digest('base64url');
}

const EMPTY_DATA: SessionData = { userId: null, authHash: null, resetToken: null, flash: null };

export class SessionStore {
	readonly #path: string;
	readonly #now: () => Date;
	readonly #resetLifetimeMs: number;
	readonly #max: number;
	readonly #queue = new WriteQueue();
	#file: SessionsFile;

	private constructor(path: string, file: SessionsFile, options: SessionStoreOptions) {
		this.#path = path;
		this.#file = file;
		this.#now = options.now ?? (() => new Date());
		this.#resetLifetimeMs = options.resetLinkLifetimeMs ?? DEFAULT_PASSWORD_RESET_TIMEOUT * 1000;
		this.#max = options.maxSessions ?? MAX_SESSIONS;
	}

	static async open(dataDir: string, options: SessionStoreOptions | (() => Date) = {}): Promise<SessionStore> {
		const path = join(dataDir, 'forum', 'sessions.json');
		const resolved = typeof options === 'function' ? { now: options } : options;
		return new SessionStore(path, await readJsonFile(path, { version: 1, sessions: {} }, validate), resolved);
	}

	/** How many live sessions are stored (what a crowd of visitors could grow). */
	get size(): number {
		const now = this.#now().getTime();
		return Object.values(this.#file.sessions).filter((s) => Date.parse(s.expiresAt) > now).length;
	}

	/** The live session with this id, or null (unknown or expired). */
	get(sessionId: string | undefined): StoredSession | null {
		if (!sessionId) return null;
		const session = this.#file.sessions[keyOf(sessionId)];
		if (!session || Date.parse(session.expiresAt) <= this.#now().getTime()) return null;
		return session;
	}

	/** Starts a session and returns its id (the cookie value; 256 random bits). */
	async create(data: Partial<SessionData> = {}): Promise<string> {
		const sessionId = randomBytes(32).toString('base64url');
		await this.#commit((sessions) => {
			sessions[keyOf(sessionId)] = this.#fresh({ ...EMPTY_DATA, ...data });
		});
		return sessionId;
	}

	/** Changes a live session's data; its lifetime restarts (and lengthens once someone logs in). */
	async update(sessionId: string, patch: Partial<SessionData>): Promise<void> {
		await this.#commit((sessions) => {
			const key = keyOf(sessionId);
			const current = sessions[key];
			if (!current) throw new Error('The session has ended.');
			sessions[key] = { ...this.#fresh({ ...current, ...patch }), createdAt: current.createdAt };
		});
	}

	/** Replaces the session id, keeping the data (Django's cycle_key at login: defeats session fixation). */
	async rotate(sessionId: string, patch: Partial<SessionData> = {}): Promise<string> {
		const next = randomBytes(32).toString('base64url');
		await this.#commit((sessions) => {
			const current = sessions[keyOf(sessionId)];
			delete sessions[keyOf(sessionId)];
			sessions[keyOf(next)] = this.#fresh({ ...EMPTY_DATA, ...current, ...patch });
		});
		return next;
	}

	async delete(sessionId: string): Promise<void> {
		await this.#commit((sessions) => {
			delete sessions[keyOf(sessionId)];
		});
	}

	#fresh(data: SessionData): StoredSession {
		const now = this.#now();
		// A half-done reset must outlive the anonymous day: the link it came from works for PASSWORD_RESET_TIMEOUT.
		const lifetime = data.userId !== null ? SESSION_LIFETIME_MS : data.resetToken !== null ? Math.max(this.#resetLifetimeMs, ANONYMOUS_SESSION_LIFETIME_MS) : ANONYMOUS_SESSION_LIFETIME_MS;
		return {
			userId: data.userId,
			authHash: data.authHash,
			resetToken: data.resetToken,
			flash: data.flash,
			createdAt: now.toISOString(),
			expiresAt: new Date(now.getTime() + lifetime).toISOString(),
		};
	}

	/** Applies a change in turn with others, drops expired sessions, and writes to disk before memory changes. */
	async #commit(change: (sessions: Record<string, StoredSession>) => void): Promise<void> {
		await this.#queue.run(async () => {
			const sessions = { ...this.#file.sessions };
			change(sessions);
			const now = this.#now().getTime();
			let entries = Object.entries(sessions).filter(([, s]) => Date.parse(s.expiresAt) > now);
			if (entries.length > this.#max) {
				// A session holding a reset token lives exactly a reset link's lifetime (#fresh): alive means young enough.
				const rank = (s: StoredSession): number => (s.resetToken !== null ? 2 : s.userId !== null ? 1 : 0);
				entries = entries.sort(([, a], [, b]) => rank(a) - rank(b) || a.expiresAt.localeCompare(b.expiresAt)).slice(entries.length - this.#max);
			}
			const next: SessionsFile = { version: 1, sessions: Object.fromEntries(entries) };
			await writeJsonFileAtomic(this.#path, next);
			this.#file = next;
		});
	}
}
