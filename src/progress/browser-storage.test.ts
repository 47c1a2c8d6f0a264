import { afterEach, describe, expect, it, vi } from 'vitest';
import { readStored, useStorage, writeStored } from './browser-storage.ts';

/** A Storage whose every call ends in `failure` (a browser that refuses, or a bug). */
function refusing(failure: () => Error): Storage {
	const fail = (): never => {
		throw failure();
	};
	return { length: 0, clear: fail, getItem: fail, key: fail, removeItem: fail, setItem: fail };
}

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('browser storage', () => {
	it('reads and writes where the browser keeps storage', () => {
		const kept = new Map<string, string>();
		vi.stubGlobal('localStorage', { getItem: (key: string) => kept.get(key) ?? null, setItem: (key: string, value: string) => kept.set(key, value) });
		expect(writeStored('postlab:x', 'done')).toBe(true);
		expect(readStored('postlab:x')).toBe('done');
	});

	it('falls back when the browser refuses: blocked (SecurityError), full (QuotaExceededError), or no storage at all', () => {
		vi.stubGlobal('localStorage', refusing(() => new DOMException('The operation is insecure.', 'SecurityError')));
		expect(readStored('postlab:x')).toBeNull();
		vi.stubGlobal('localStorage', refusing(() => new DOMException('Quota exceeded.', 'QuotaExceededError')));
		expect(writeStored('postlab:x', 'done')).toBe(false);
		vi.stubGlobal('localStorage', null);
		expect(useStorage((storage) => storage.length, -1)).toBe(-1);
	});

	it('lets any other error travel: it is a bug, not a browser without storage', () => {
		vi.stubGlobal('localStorage', refusing(() => new TypeError('storage.getItem is not a function')));
		expect(() => readStored('postlab:x')).toThrow(TypeError);
		vi.stubGlobal('localStorage', {});
		expect(() => useStorage(() => JSON.parse('{'), null)).toThrow(SyntaxError);
	});
});
