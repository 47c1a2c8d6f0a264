import { describe, expect, it } from 'vitest';
import type { SessionFacts, TranscriptEntry } from '../../../sandbox/store/types';
import { deliveryRoute, submitTimings } from './delivery-hops';

const transcript: TranscriptEntry[] = [
	{ at: 0, from: 'event', event: 'connect', line: 'Connection opened' },
	{ at: 101, from: 'server', line: '220 localhost ESMTP' },
	{ at: 102, from: 'client', line: 'EHLO app' },
	{ at: 103, from: 'server', line: '250-localhost' },
	{ at: 103, from: 'server', line: '250 STARTTLS' },
	{ at: 104, from: 'client', line: 'STARTTLS' },
	{ at: 104, from: 'server', line: '220 Ready to start TLS' },
	{ at: 130, from: 'event', event: 'tls', line: 'TLS started' },
	{ at: 131, from: 'client', line: 'MAIL FROM:<a@example.com>' },
	{ at: 132, from: 'server', line: '250 Accepted' },
	{ at: 133, from: 'client', line: 'DATA' },
	{ at: 133, from: 'server', line: '354 End data with <CR><LF>.<CR><LF>' },
	{ at: 140, from: 'event', event: 'data-elided', line: '300 bytes of message data' },
	{ at: 145, from: 'server', line: '250 Ok: stored as abc' },
];

describe('submitTimings', () => {
	it('takes the first 220, the TLS event and the 250 after the data, not the earlier ones', () => {
		expect(submitTimings(transcript)).toEqual({ greetingMs: 101, tlsMs: 130, acceptedMs: 145 });
	});
	it('leaves out what did not happen', () => {
		expect(submitTimings(transcript.slice(0, 5))).toEqual({ greetingMs: 101, tlsMs: null, acceptedMs: null });
		expect(submitTimings([])).toEqual({ greetingMs: null, tlsMs: null, acceptedMs: null });
	});
});

describe('deliveryRoute', () => {
	it('lights the sandbox hop with its port and TLS state, and greys the later hops', () => {
		const session = {
			remoteAddress: '127.0.0.1',
			localPort: 2525,
			clientHostname: 'localhost',
			helo: 'app.local',
			tls: 'starttls',
			tlsProtocol: 'TLSv1.3',
			envelope: { mailFrom: 'a@example.com', rcptTo: ['b@example.com'], smtpUtf8: false, bodyType: '7bit' },
			connectionId: 'x',
			timings: { connectedAt: '', dataStartedAt: null, storeMs: 1 },
			transcript,
		} satisfies SessionFacts;
		const route = deliveryRoute(session);
		expect(route.submit).toMatchObject({ taken: true, port: 2525, tls: 'starttls', tlsProtocol: 'TLSv1.3', client: 'app.local' });
		expect(route.submit.timings.acceptedMs).toBe(145);
		expect(route.later.map((hop) => [hop.id, hop.taken])).toEqual([
			['relay', false],
			['fetch', false],
		]);
	});
});
