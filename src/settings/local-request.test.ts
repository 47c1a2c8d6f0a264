import { describe, expect, it } from 'vitest';
import { isLocalRequest, isLoopbackAddress } from './local-request.ts';

describe('settings check: local requests only', () => {
	it('accepts loopback peers that name loopback', () => {
		expect(isLocalRequest({ host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4321', clientAddress: '127.0.0.1' })).toBe(true);
		expect(isLocalRequest({ host: 'localhost:4321', origin: null, clientAddress: '::1' })).toBe(true);
		expect(isLocalRequest({ host: 'localhost:4321', origin: null, clientAddress: '::ffff:127.0.0.1' })).toBe(true);
	});

	it('refuses a rebinding Host, a foreign Origin, a network peer or a missing Host', () => {
		expect(isLocalRequest({ host: 'evil.example:4321', origin: null, clientAddress: '127.0.0.1' })).toBe(false);
		expect(isLocalRequest({ host: '127.0.0.1:4321', origin: 'http://evil.example', clientAddress: '127.0.0.1' })).toBe(false);
		expect(isLocalRequest({ host: '127.0.0.1:4321', origin: 'null', clientAddress: '127.0.0.1' })).toBe(false);
		// Another program on this computer (another port, another scheme) is another site.
		expect(isLocalRequest({ host: '127.0.0.1:4321', origin: 'http://127.0.0.1:8000', clientAddress: '127.0.0.1' })).toBe(false);
		expect(isLocalRequest({ host: '127.0.0.1:4321', origin: 'https://127.0.0.1:4321', clientAddress: '127.0.0.1' })).toBe(false);
		expect(isLocalRequest({ host: '127.0.0.1:4321', origin: 'http://localhost:4321', clientAddress: '127.0.0.1' })).toBe(false);
		expect(isLocalRequest({ host: '192.168.0.10:4321', origin: null, clientAddress: '192.168.0.23' })).toBe(false);
		expect(isLocalRequest({ host: 'localhost:4321', origin: null, clientAddress: '192.168.0.23' })).toBe(false);
		expect(isLocalRequest({ host: null, origin: null, clientAddress: '127.0.0.1' })).toBe(false);
		expect(isLoopbackAddress('10.0.0.1')).toBe(false);
	});
});
