/**
 * Keeping secrets out of everything we print or store. A password can leak in more forms than its own
 * spelling: with or without the spaces Gmail shows, upper-cased or URL-encoded by a server that echoes it,
 * or inside a base64 AUTH PLAIN / AUTH LOGIN payload (RFC 4616, and the LOGIN draft), so `redactSecrets`
 * scrubs all of those forms.
 */
import type { Bilingual } from './problem.ts';
import { bilingual } from '../../i18n/messages.ts';

/** What is shown instead of a secret. */
export const REDACTED = '[redacted]';

/**
 * Describes a secret without revealing any of it: its length only ("16 letters, hidden"). No first or last
 * characters are shown, because a few known characters of a 16-letter app password already narrow it.
 */
export function describeSecret(secret: string): Bilingual {
	if (secret.length === 0) return bilingual('secret.empty');
	return bilingual(secret.length === 1 ? 'secret.hidden.one' : 'secret.hidden.other', { length: secret.length });
}

/** Base64 of `text` as it would appear when it sits at byte offset 0, 1 or 2 of a larger encoded blob. */
function base64Forms(text: string): string[] {
	const bytes = Buffer.from(text, 'utf8');
	const forms: string[] = [];
	for (let offset = 0; offset < 3; offset++) {
		const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
		const encoded = padded.toString('base64');
		// Drop the characters that also depend on the bytes before (the first block) and after (the last block).
		const start = offset === 0 ? 0 : 4;
		const fullBlocks = Math.floor(padded.length / 3) * 4;
		const core = encoded.slice(start, fullBlocks);
		// Short cores would match innocent text; 8 base64 characters carry 6 bytes of the secret.
		if (core.length >= 8) forms.push(core);
		// The secret at the end of the blob (a password echoed alone, or last in AUTH PLAIN): its last, padded
		// block depends on nothing after it, so it goes too, not leaving its final bytes readable.
		const tail = encoded.slice(start);
		if (tail.length >= 8 && tail !== core) forms.push(tail);
	}
	return forms;
}

/**
 * Every form in which `secrets` could appear in a log line or transcript: as typed, without spaces, and
 * base64-encoded at any alignment (which covers AUTH PLAIN `\0user\0pass` and AUTH LOGIN payloads).
 */
export function secretForms(secrets: readonly string[]): string[] {
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (secret.length === 0) continue;
		const compact = secret.replace(/\s+/g, '');
		// Also the way Google displays app passwords: groups of four separated by spaces.
		const grouped = compact.replace(/(.{4})(?=.)/g, '$1 ');
		const variants = new Set([secret, compact, grouped]);
		for (const variant of variants) {
			if (variant.length === 0) continue;
			forms.add(variant);
			for (const form of base64Forms(variant)) forms.add(form);
		}
	}
	// Longest first, so a longer form is replaced before a shorter one inside it.
	return [...forms].sort((a, b) => b.length - a.length);
}

/** What may sit between two characters of a secret as a server echoes it: spaces, tabs, their URL encodings. */
const SEPARATOR = '(?:[ \\t]|%20|%09|\\+)*';
const patterns = new WeakMap<readonly string[], RegExp | null>();

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** One character as typed or percent-encoded (`%2B`, `%c3%a9`), in either case; the `i` flag covers the rest. */
function characterPattern(char: string): string {
	const encodings = [...new Set([char, char.toLowerCase(), char.toUpperCase()])].map((variant) =>
		[...Buffer.from(variant, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join(''),
	);
	return `(?:${[escapeRegExp(char), ...new Set(encodings)].join('|')})`;
}

/**
 * One regular expression for all forms: each in any case, URL-encoded or not, with spaces (or `+`, `%20`)
 * anywhere between its characters, so `ABCD EFGH…`, `abcd%20efgh…` and `Abcdefgh…` are all caught.
 */
function patternOf(forms: readonly string[]): RegExp | null {
	const known = patterns.get(forms);
	if (known !== undefined) return known;
	const alternatives = forms
		.map((form) => form.replace(/\s+/g, ''))
		.filter((form) => form.length > 0)
		.sort((a, b) => b.length - a.length)
		.map((form) => [...form].map(characterPattern).join(SEPARATOR));
	const pattern = alternatives.length === 0 ? null : new RegExp(alternatives.join('|'), 'giu');
	patterns.set(forms, pattern);
	return pattern;
}

/**
 * Replaces every form of every secret in `text` with `[redacted]`, in whatever spelling a server may echo it:
 * any case, spaced or not, URL-encoded, base64 (the forms secretForms gives).
 */
export function redactSecrets(text: string, forms: readonly string[]): string {
	const pattern = patternOf(forms);
	return pattern === null ? text : text.replace(pattern, REDACTED);
}
