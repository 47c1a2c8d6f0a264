/**
 * Turns a stored SMTP transcript into the player's steps: one per line, each with what it means (command,
 * reply code, EHLO keyword; RFC 5321 and friends via sandbox/outbound/) and whether the wire was
 * encrypted when it crossed (RFC 3207: everything after the STARTTLS handshake; RFC 8314: everything on a
 * 465-style port). Browser-safe: data only, no DOM.
 */
import type { TranscriptEntry } from '../../../sandbox/store/types';
import type { Lang } from '../../../sandbox/outbound/settings/problem.ts';
import { explainCommand, explainExtension } from '../../../sandbox/outbound/smtp-glossary.ts';
import { explainReply, transcriptSteps, type LineExplanation } from '../../../sandbox/outbound/smtp-reply-explainer.ts';

export interface PlayerStep {
	from: TranscriptEntry['from'];
	line: string;
	/** Milliseconds since the connection opened. */
	at: number;
	event?: TranscriptEntry['event'];
	/** What the line means, most specific first (an EHLO keyword, then its reply code). */
	notes: LineExplanation[];
	/** True when this line travelled inside TLS. */
	encrypted: boolean;
	/** True for the step where the wire becomes encrypted. */
	tlsStarts: boolean;
}

export function playerSteps(transcript: readonly TranscriptEntry[], lang: Lang): PlayerStep[] {
	let encrypted = false;
	const steps = transcriptSteps(transcript);
	return transcript.map((entry, index) => {
		const tlsStarts = entry.from === 'event' && entry.event === 'tls' && !encrypted;
		if (tlsStarts) encrypted = true;
		const notes: LineExplanation[] = [];
		if (entry.from === 'client') {
			const command = explainCommand(entry.line, lang);
			if (command) notes.push(command);
		} else if (entry.from === 'server') {
			const extension = explainExtension(entry.line, lang);
			if (extension) notes.push(extension);
			const reply = explainReply(entry.line, lang, steps[index]);
			if (reply) notes.push(reply);
		}
		const step: PlayerStep = { from: entry.from, line: entry.line, at: entry.at, notes, encrypted, tlsStarts };
		if (entry.event) step.event = entry.event;
		return step;
	});
}

/** Where the STARTTLS marker sits: the index of the first step inside TLS, or -1 when the wire stayed plain. */
export function tlsStartIndex(steps: readonly PlayerStep[]): number {
	return steps.findIndex((step) => step.tlsStarts);
}

/** Keeps a step index inside the transcript. */
export function clampStep(index: number, count: number): number {
	if (count === 0) return 0;
	return Math.min(Math.max(index, 0), count - 1);
}

/** The step a key moves to (arrow keys, Home, End), or null when the key is not the player's. */
export function stepForKey(key: string, current: number, count: number): number | null {
	switch (key) {
		case 'ArrowRight':
		case 'ArrowDown':
			return clampStep(current + 1, count);
		case 'ArrowLeft':
		case 'ArrowUp':
			return clampStep(current - 1, count);
		case 'Home':
			return 0;
		case 'End':
			return clampStep(count - 1, count);
		default:
			return null;
	}
}
