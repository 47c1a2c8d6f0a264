/**
 * Picks the UI strings a browser script needs out of Starlight's translation function, so the
 * scripts stay free of both languages' text and the page sends only the keys it uses.
 */
export function pickStrings<const K extends string>(t: (key: K) => string, keys: readonly K[]): Record<K, string> {
	return Object.fromEntries(keys.map((key) => [key, t(key)])) as Record<K, string>;
}
