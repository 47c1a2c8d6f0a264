/**
 * Test support: the delivery facts of a plain message sent to the capture server over 127.0.0.1, for tests
 * that add mail to a store directly; a test changes what it is about through `overrides`.
 */
import type { SessionFacts } from '../store/types.ts';

export function testSessionFacts(overrides: Partial<SessionFacts> = {}): SessionFacts {
	return {
		remoteAddress: '127.0.0.1',
		localPort: 2525,
		clientHostname: 'localhost',
		helo: 'client.example',
		tls: 'none',
		envelope: { mailFrom: 'a@example.com', rcptTo: ['b@example.com'], smtpUtf8: false, bodyType: '7bit' },
		connectionId: 'c1',
		timings: { connectedAt: new Date().toISOString(), dataStartedAt: null, storeMs: 0 },
		transcript: [],
		...overrides,
	};
}
