/**
 * Browser sessions for the forum, kept in `<dataDir>/forum/sessions.json` (crash-safe writes), so
 * a restart does not log anyone out or break a reset half-way. The file stores only a SHA-256 of each
 * session id: someone who reads it cannot take over a session. Like django.contrib.sessions, a
 * session exists before login (it carries the CSRF secret and the reset token of the set-password
 * step) and gets a new id at login.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readJsonFile, writeJsonFileAtomic, WriteQueue } from './json-file.ts';

/** Django's SESSION_COOKIE_AGE: two weeks. */
export const SESSION_LIFETIME_MS = 14 * 24 * 3600 * 1000;
/** Sessions of visitors who never log in go sooner, so passing browsers do not fill the file. */
export const ANONYMOUS_SESSION_LIFETIME_MS = 24 * 3600 * 1000;
/** Beyond this many sessions the oldest anonymous ones are dropped first. */
const MAX_SESSIONS = 5_000;

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
	readonly #queue = new WriteQueue();
	#file: SessionsFile;

	private constructor(path: string, file: SessionsFile, now: () => Date) {
		this.#path = path;
		this.#file = file;
		this.#now = now;
	}

	static async open(dataDir: string, now: () => Date = () => new Date()): Promise<SessionStore> {
		const path = join(dataDir, 'forum', 'sessions.json');
		return new SessionStore(path, await readJsonFile(path, { version: 1, sessions: {} }, validate), now);
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
		const lifetime = data.userId === null ? ANONYMOUS_SESSION_LIFETIME_MS : SESSION_LIFETIME_MS;
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
			if (entries.length > MAX_SESSIONS) {
				entries = entries.sort(([, a], [, b]) => Number(a.userId !== null) - Number(b.userId !== null) || a.expiresAt.localeCompare(b.expiresAt)).slice(entries.length - MAX_SESSIONS);
			}
			const next: SessionsFile = { version: 1, sessions: Object.fromEntries(entries) };
			await writeJsonFileAtomic(this.#path, next);
			this.#file = next;
		});
	}
}
