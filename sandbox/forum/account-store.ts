/**
 * The forum's user accounts, kept in `<dataDir>/forum/accounts.json` and rewritten crash-safely on
 * every change (see json-file.ts). Fields follow django.contrib.auth's User where the reset flow
 * depends on them: a numeric primary key, the encoded password hash, last_login and email.
 */
import { join } from 'node:path';
import { readJsonFile, writeJsonFileAtomic, WriteQueue } from '../json-file.ts';
import type { TokenUser } from './django-token.ts';

export interface Account {
	id: number;
	username: string;
	email: string;
	passwordHash: string;
	/** ISO 8601, or null if the user never logged in. */
	lastLogin: string | null;
	/** ISO 8601. */
	dateJoined: string;
	/** Classroom mode: the mailbox of the learner who signed it up; the account's mail is filed there. */
	mailbox?: string;
}

interface AccountsFile {
	version: 1;
	nextId: number;
	accounts: Account[];
}

const EMPTY: AccountsFile = { version: 1, nextId: 1, accounts: [] };

function validate(data: unknown): AccountsFile {
	const file = data as Partial<AccountsFile>;
	if (file?.version !== 1 || !Number.isInteger(file.nextId) || !Array.isArray(file.accounts)) throw new Error('unexpected layout');
	for (const a of file.accounts) {
		if (!Number.isInteger(a.id) || typeof a.username !== 'string' || typeof a.email !== 'string' || typeof a.passwordHash !== 'string') {
			throw new Error('an account is missing fields');
		}
	}
	return file as AccountsFile;
}

/**
 * Django's _unicode_ci_compare: addresses match when equal after NFKC normalisation and case folding,
 * so `Ann@Example.com` finds `ann@example.com` (and a look-alike spelled with other code points does
 * not find it by accident of a simpler lowercase).
 */
export function normalizeEmailForMatch(email: string): string {
	return email.normalize('NFKC').toLowerCase().trim();
}

/** The view of an account that a reset token covers. */
export function tokenUserOf(account: Account): TokenUser {
	return {
		id: account.id,
		passwordHash: account.passwordHash,
		lastLogin: account.lastLogin === null ? null : new Date(account.lastLogin),
		email: account.email,
	};
}

export class AccountStore {
	readonly #path: string;
	readonly #queue = new WriteQueue();
	#file: AccountsFile;

	private constructor(path: string, file: AccountsFile) {
		this.#path = path;
		this.#file = file;
	}

	/** Opens (or starts) the account file under `dataDir/forum/`. */
	static async open(dataDir: string): Promise<AccountStore> {
		const path = join(dataDir, 'forum', 'accounts.json');
		return new AccountStore(path, await readJsonFile(path, structuredClone(EMPTY), validate));
	}

	byId(id: number): Account | null {
		return this.#file.accounts.find((a) => a.id === id) ?? null;
	}

	/** Exact match, as Django's ModelBackend looks a username up. */
	byUsername(username: string): Account | null {
		return this.#file.accounts.find((a) => a.username === username) ?? null;
	}

	/** True when the name is taken in any letter case (Django's UserCreationForm refuses those too). */
	usernameTaken(username: string): boolean {
		const wanted = username.normalize('NFKC').toLowerCase();
		return this.#file.accounts.some((a) => a.username.normalize('NFKC').toLowerCase() === wanted);
	}

	/** Every account whose address matches case-insensitively (Django's PasswordResetForm.get_users). */
	byEmail(email: string): Account[] {
		const wanted = normalizeEmailForMatch(email);
		if (!wanted) return [];
		return this.#file.accounts.filter((a) => normalizeEmailForMatch(a.email) === wanted);
	}

	get size(): number {
		return this.#file.accounts.length;
	}

	async create(fields: { username: string; email: string; passwordHash: string; mailbox?: string | null }, now: Date): Promise<Account> {
		let account: Account | undefined;
		const { mailbox, ...rest } = fields;
		await this.#commit((file) => {
			account = { id: file.nextId, ...rest, lastLogin: null, dateJoined: now.toISOString(), ...(mailbox ? { mailbox } : {}) };
			return { ...file, nextId: file.nextId + 1, accounts: [...file.accounts, account] };
		});
		return account!;
	}

	async setPasswordHash(id: number, passwordHash: string): Promise<Account> {
		return this.#change(id, { passwordHash });
	}

	async setLastLogin(id: number, when: Date): Promise<Account> {
		return this.#change(id, { lastLogin: when.toISOString() });
	}

	async #change(id: number, patch: Partial<Omit<Account, 'id'>>): Promise<Account> {
		let updated: Account | undefined;
		await this.#commit((file) => {
			const current = file.accounts.find((a) => a.id === id);
			if (!current) throw new Error(`No account with id ${id}.`);
			updated = { ...current, ...patch };
			return { ...file, accounts: file.accounts.map((a) => (a.id === id ? updated! : a)) };
		});
		return updated!;
	}

	/**
	 * Applies a change in turn with every other one, writing the new state to disk first: memory changes
	 * only once the file has, so a failed write leaves both at the old state.
	 */
	async #commit(change: (file: AccountsFile) => AccountsFile): Promise<void> {
		await this.#queue.run(async () => {
			const next = change(this.#file);
			await writeJsonFileAtomic(this.#path, next);
			this.#file = next;
		});
	}
}
