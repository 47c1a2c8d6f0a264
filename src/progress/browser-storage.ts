/**
 * localStorage for the site's progress marks, where a browser may refuse it: blocked site data or some private
 * windows make touching it throw a SecurityError (Firefox with storage off gives null instead), and a full quota
 * makes a write throw QuotaExceededError. Both are DOMExceptions and both mean only "not remembered": the page
 * still shows what happened on this visit. Any other error is a bug and travels.
 */

/** `use(localStorage)`, or `fallback` when this browser keeps no storage for the site. */
export function useStorage<T>(use: (storage: Storage) => T, fallback: T): T {
	try {
		const storage: Storage | null = globalThis.localStorage ?? null;
		return storage === null ? fallback : use(storage);
	} catch (error) {
		if (error instanceof DOMException) return fallback;
		throw error;
	}
}

export function readStored(key: string): string | null {
	return useStorage((storage) => storage.getItem(key), null);
}

/** Whether the value was remembered. */
export function writeStored(key: string, value: string): boolean {
	return useStorage((storage) => {
		storage.setItem(key, value);
		return true;
	}, false);
}
