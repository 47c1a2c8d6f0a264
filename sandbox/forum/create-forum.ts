/**
 * Builds the forum service from its options: opens the account and session files under
 * `<dataDir>/forum/` and checks the settings once, with errors that say what to fix.
 */
import { AccountStore } from './account-store.ts';
import { DEFAULT_PASSWORD_RESET_TIMEOUT } from './django-token.ts';
import { ForumService, type ForumOptions } from './forum-service.ts';
import { SessionStore } from './session-store.ts';

/** Django refuses to start with an empty SECRET_KEY; a short one is as bad for a signing key. */
const MIN_SECRET_KEY_LENGTH = 32;

export async function createForum(options: ForumOptions): Promise<ForumService> {
	if (options.secretKey.length < MIN_SECRET_KEY_LENGTH) {
		throw new Error(`The forum's SECRET_KEY must be at least ${MIN_SECRET_KEY_LENGTH} characters long (it signs reset links).`);
	}
	const origin = URL.parse(options.siteOrigin);
	if (origin === null) throw new Error(`The forum's siteOrigin "${options.siteOrigin}" is not a URL; use something like http://127.0.0.1:4321.`);
	if (origin.protocol !== 'http:' && origin.protocol !== 'https:') throw new Error(`The forum's siteOrigin must start with http:// or https://.`);
	const now = options.now ?? (() => new Date());
	const [accounts, sessions] = await Promise.all([
		AccountStore.open(options.dataDir),
		SessionStore.open(options.dataDir, {
			now,
			resetLinkLifetimeMs: (options.passwordResetTimeout ?? DEFAULT_PASSWORD_RESET_TIMEOUT) * 1000,
		}),
	]);
	return new ForumService({ ...options, siteOrigin: origin.origin, now }, accounts, sessions);
}

export type { ForumOptions } from './forum-service.ts';
