/**
 * Where the running forum service is found by the Astro pages. sandbox/main.ts creates the service
 * and registers it; the pages, bundled by Astro into a separate module graph, look it up. A plain
 * module variable would exist twice (once per graph), so the service sits on globalThis under a
 * registered symbol.
 */
import type { ForumService } from './forum-service.ts';

const FORUM_KEY = Symbol.for('postlab.forum');

type ForumSlot = { [FORUM_KEY]?: ForumService | null };

export function registerForum(forum: ForumService | null): void {
	(globalThis as ForumSlot)[FORUM_KEY] = forum;
}

/** The running forum, or null when none is registered (e.g. `astro dev` without the sandbox). */
export function getForum(): ForumService | null {
	return (globalThis as ForumSlot)[FORUM_KEY] ?? null;
}
