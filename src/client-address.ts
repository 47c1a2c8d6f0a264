/**
 * The address a page request came from, or null where the server cannot tell: Astro throws
 * ClientAddressNotAvailable (an adapter that does not give it) or StaticClientAddressNotAvailable (a page
 * rendered without a request socket, as in a test container). Any other error travels.
 */
const UNAVAILABLE = new Set(['ClientAddressNotAvailable', 'StaticClientAddressNotAvailable']);

export function clientAddressOf(astro: { readonly clientAddress: string }): string | null {
	try {
		return astro.clientAddress;
	} catch (error) {
		if (error instanceof Error && UNAVAILABLE.has(error.name)) return null;
		throw error;
	}
}
