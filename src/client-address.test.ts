import { describe, expect, it } from 'vitest';
import { clientAddressOf } from './client-address.ts';

/** What Astro's `clientAddress` getter does, with the error it throws when it cannot tell. */
function page(address: () => string): { readonly clientAddress: string } {
	return {
		get clientAddress() {
			return address();
		},
	};
}

describe('clientAddressOf', () => {
	it('gives the address, or null when Astro says it cannot tell', () => {
		expect(clientAddressOf(page(() => '127.0.0.1'))).toBe('127.0.0.1');
		for (const name of ['ClientAddressNotAvailable', 'StaticClientAddressNotAvailable']) {
			expect(clientAddressOf(page(() => {
				throw Object.assign(new Error('`Astro.clientAddress` is not available'), { name });
			}))).toBeNull();
		}
	});

	it('lets any other error travel', () => {
		expect(() => clientAddressOf(page(() => {
			throw new TypeError('a bug');
		}))).toThrow('a bug');
	});
});
