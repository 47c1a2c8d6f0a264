/**
 * A small route table: each entry is a method, a path pattern and one handler. Patterns are segments after
 * the API prefix, literal or `:name` (one decoded segment, handed to the handler as a parameter). A mount
 * takes every path under its pattern, runs a check first (the message routes look the message up, so an
 * unknown or another learner's message is 404 whatever the method or the rest of the path), then its own table.
 *
 * A path that matches but with another method is 405 naming the methods that path has, in table order.
 * No match is `undefined`: what that means (404, 401) is the caller's to say.
 */
import { message } from '../i18n/messages.ts';
import { HttpError } from './json-response.ts';

export type Params = Readonly<Record<string, string>>;

export interface Route<C> {
	method: string;
	path: string;
	handle: (context: C, params: Params) => void | Promise<void>;
}

export interface Mount<C> {
	mount: string;
	/** Runs for every path under the mount, before its routes are matched or a method is checked. */
	enter: (context: C, params: Params) => void | Promise<void>;
	routes: ReadonlyArray<Entry<C>>;
}

export type Entry<C> = Route<C> | Mount<C>;

export function route<C>(method: string, path: string, handle: Route<C>['handle']): Route<C> {
	return { method, path, handle };
}

/**
 * Runs the handler for `segments` (already decoded, empty ones dropped). Resolves true when a route answered,
 * false when nothing matched; throws a 405 HttpError for a known path with the wrong method.
 */
export async function dispatch<C>(
	table: ReadonlyArray<Entry<C>>,
	method: string,
	segments: readonly string[],
	context: C,
	inherited: Params = {},
): Promise<boolean> {
	const methods: string[] = [];
	for (const entry of table) {
		if ('mount' in entry) {
			const params = matchPrefix(entry.mount, segments);
			if (!params) continue;
			const all = { ...inherited, ...params.params };
			await entry.enter(context, all);
			return dispatch(entry.routes, method, segments.slice(params.length), context, all);
		}
		const params = matchPath(entry.path, segments);
		if (!params) continue;
		if (entry.method === method) {
			await entry.handle(context, { ...inherited, ...params });
			return true;
		}
		methods.push(entry.method);
	}
	// RFC 9110 §15.5.6: a 405 names the methods the resource has in Allow.
	if (methods.length > 0) throw new HttpError(405, 'api.methodNotAllowed', { method, allowed: orList(methods) }, { allow: methods.join(', ') });
	return false;
}

function patternSegments(pattern: string): string[] {
	return pattern.split('/').filter(Boolean);
}

function matchPath(pattern: string, segments: readonly string[]): Params | null {
	const match = matchPrefix(pattern, segments);
	return match && match.length === segments.length ? match.params : null;
}

function matchPrefix(pattern: string, segments: readonly string[]): { params: Params; length: number } | null {
	const wanted = patternSegments(pattern);
	if (wanted.length > segments.length) return null;
	const params: Record<string, string> = {};
	for (const [index, part] of wanted.entries()) {
		const segment = segments[index]!;
		if (part.startsWith(':')) params[part.slice(1)] = segment;
		else if (part !== segment) return null;
	}
	return { params, length: wanted.length };
}

/** "GET or DELETE" in each language. */
function orList(methods: readonly string[]): { en: string; ko: string } {
	return { en: methods.join(message('en', 'api.orSeparator')), ko: methods.join(message('ko', 'api.orSeparator')) };
}
