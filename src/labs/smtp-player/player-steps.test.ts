import { describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../../sandbox/store/types';
import { explainExtension } from '../../../sandbox/outbound/smtp-glossary.ts';
import { clampStep, playerSteps, stepForKey, tlsStartIndex } from './player-steps';

const starttls: TranscriptEntry[] = [
	{ at: 0, from: 'event', event: 'connect', line: 'Connection opened' },
	{ at: 101, from: 'server', line: '220 localhost ESMTP Postlab sandbox' },
	{ at: 103, from: 'client', line: 'EHLO client.example' },
	{ at: 104, from: 'server', line: '250-localhost Nice to meet you' },
	{ at: 104, from: 'server', line: '250-STARTTLS' },
	{ at: 104, from: 'server', line: '250 SIZE 26214400' },
	{ at: 105, from: 'client', line: 'STARTTLS' },
	{ at: 106, from: 'server', line: '220 Ready to start TLS' },
	{ at: 120, from: 'event', event: 'tls', line: 'TLS started (TLS_AES_256_GCM_SHA384)' },
	{ at: 121, from: 'client', line: 'EHLO client.example' },
	{ at: 122, from: 'client', line: 'AUTH PLAIN [redacted]' },
	{ at: 123, from: 'server', line: '235 Authentication successful' },
];

describe('playerSteps', () => {
	it('marks the STARTTLS point and every line after it as encrypted', () => {
		const steps = playerSteps(starttls, 'en');
		const start = tlsStartIndex(steps);
		expect(start).toBe(8);
		expect(steps.slice(0, start).every((step) => !step.encrypted)).toBe(true);
		expect(steps.slice(start).every((step) => step.encrypted)).toBe(true);
		expect(steps.filter((step) => step.tlsStarts)).toHaveLength(1);
	});
	it('annotates commands, replies and EHLO keywords with their RFC section', () => {
		const steps = playerSteps(starttls, 'ko');
		expect(steps[2]?.notes[0]?.term).toBe('EHLO');
		expect(steps[4]?.notes.map((note) => note.term)).toEqual(['STARTTLS', '250']);
		expect(steps[4]?.notes[0]?.ref).toBe('RFC 3207 §4');
		expect(steps[5]?.notes[0]?.term).toBe('SIZE');
		expect(steps[10]?.notes[0]?.ref).toBe('RFC 4954 §4');
		expect(steps[0]?.notes).toEqual([]);
	});
	it('treats a 465-style transcript as encrypted from its first TLS event', () => {
		const steps = playerSteps(
			[
				{ at: 0, from: 'event', event: 'connect', line: 'Connection opened' },
				{ at: 0, from: 'event', event: 'tls', line: 'TLS from the first byte' },
				{ at: 100, from: 'server', line: '220 hi' },
			],
			'en',
		);
		expect(tlsStartIndex(steps)).toBe(1);
		expect(steps[2]?.encrypted).toBe(true);
	});
	it('has no marker for a plain conversation', () => {
		const plain = starttls.filter((entry) => entry.event !== 'tls');
		expect(tlsStartIndex(playerSteps(plain, 'en'))).toBe(-1);
	});
});

describe('explainExtension', () => {
	it('reads the keyword, not the greeting line', () => {
		expect(explainExtension('250-AUTH PLAIN LOGIN', 'en')?.term).toBe('AUTH');
		expect(explainExtension('250-SIZE=1000', 'en')?.term).toBe('SIZE');
		expect(explainExtension('250-localhost Nice to meet you', 'en')).toBeNull();
		expect(explainExtension('354 go on', 'en')).toBeNull();
	});
});

describe('keyboard stepping', () => {
	it('moves with arrows, Home and End, and stays inside the transcript', () => {
		expect(stepForKey('ArrowRight', 0, 5)).toBe(1);
		expect(stepForKey('ArrowDown', 4, 5)).toBe(4);
		expect(stepForKey('ArrowLeft', 0, 5)).toBe(0);
		expect(stepForKey('ArrowUp', 3, 5)).toBe(2);
		expect(stepForKey('Home', 3, 5)).toBe(0);
		expect(stepForKey('End', 0, 5)).toBe(4);
		expect(stepForKey('a', 0, 5)).toBeNull();
		expect(clampStep(3, 0)).toBe(0);
	});
});
