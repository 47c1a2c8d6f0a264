/**
 * What the delivery map shows for one captured message: which hops of the journey (app → submission server →
 * recipient's server → reader) it took, with the TLS state of the first hop and its timings taken from the
 * transcript's timestamps (RFC 5321: the 220 greeting, the RFC 3207 TLS upgrade, the 250 after the final dot).
 * A sandbox message always stops after the first hop. Browser-safe: data only.
 */
import type { SessionFacts, TranscriptEntry } from '../../../sandbox/store/types';

export type HopId = 'submit' | 'relay' | 'fetch';

export interface SubmitTimings {
	/** Milliseconds after connecting: the server's first 220, the TLS handshake, the 250 that accepted the message. */
	greetingMs: number | null;
	tlsMs: number | null;
	acceptedMs: number | null;
}

export interface DeliveryHop {
	id: HopId;
	taken: boolean;
}

export interface SubmitHop extends DeliveryHop {
	id: 'submit';
	taken: true;
	port: number;
	client: string;
	tls: SessionFacts['tls'];
	tlsProtocol?: string;
	timings: SubmitTimings;
}

export interface DeliveryRoute {
	submit: SubmitHop;
	/** The hops a message to Gmail would go on to take; never taken in the sandbox. */
	later: DeliveryHop[];
}

/** Reads the moments that matter from a transcript (its `at` is milliseconds since the connection opened). */
export function submitTimings(transcript: readonly TranscriptEntry[]): SubmitTimings {
	const greeting = transcript.find((entry) => entry.from === 'server' && /^220[ -]/.test(`${entry.line} `));
	const tls = transcript.find((entry) => entry.from === 'event' && entry.event === 'tls');
	// The 250 that accepts a message is the first server line after the data went across.
	const dataIndex = transcript.findIndex((entry) => entry.event === 'data-elided');
	const accepted =
		dataIndex === -1 ? undefined : transcript.slice(dataIndex + 1).find((entry) => entry.from === 'server' && /^250[ -]/.test(`${entry.line} `));
	return { greetingMs: greeting?.at ?? null, tlsMs: tls?.at ?? null, acceptedMs: accepted?.at ?? null };
}

export function deliveryRoute(session: SessionFacts): DeliveryRoute {
	const submit: SubmitHop = {
		id: 'submit',
		taken: true,
		port: session.localPort,
		client: session.helo || session.remoteAddress,
		tls: session.tls,
		timings: submitTimings(session.transcript),
	};
	if (session.tlsProtocol) submit.tlsProtocol = session.tlsProtocol;
	return {
		submit,
		later: [
			{ id: 'relay', taken: false },
			{ id: 'fetch', taken: false },
		],
	};
}
