import { describe, expect, it } from 'vitest';
import { ConnectionTranscript, redactCommand, TranscriptRecorder } from './transcript.ts';

describe('redactCommand', () => {
	it('keeps the mechanism and hides an initial response', () => {
		expect(redactCommand('AUTH PLAIN AG1lAHNlY3JldA==', false)).toBe('AUTH PLAIN [redacted]');
		expect(redactCommand('auth login dXNlcg==', false)).toBe('auth login [redacted]');
		expect(redactCommand('AUTH LOGIN', false)).toBe('AUTH LOGIN');
	});
	it('hides every answer to a 334 challenge', () => {
		expect(redactCommand('c2VjcmV0', true)).toBe('[redacted]');
		expect(redactCommand('/* secured */', false)).toBe('[redacted]');
	});
	it('leaves other commands alone', () => {
		expect(redactCommand('MAIL FROM:<a@b.c>', false)).toBe('MAIL FROM:<a@b.c>');
	});
});

describe('ConnectionTranscript', () => {
	it('splits multi-line replies and redacts the line after a 334', () => {
		const transcript = new ConnectionTranscript();
		transcript.client('EHLO me');
		transcript.server('250-localhost\r\n250-PIPELINING\r\n250 SIZE 10');
		transcript.client('AUTH LOGIN');
		transcript.server('334 VXNlcm5hbWU6');
		transcript.client('dXNlcg==');
		transcript.server('334 UGFzc3dvcmQ6');
		transcript.client('c2VjcmV0');
		transcript.server('235 Authentication successful');
		transcript.client('NOOP');
		expect(transcript.entries.map((entry) => `${entry.from}:${entry.line}`)).toEqual([
			'client:EHLO me',
			'server:250-localhost',
			'server:250-PIPELINING',
			'server:250 SIZE 10',
			'client:AUTH LOGIN',
			'server:334 VXNlcm5hbWU6',
			'client:[redacted]',
			'server:334 UGFzc3dvcmQ6',
			'client:[redacted]',
			'server:235 Authentication successful',
			'client:NOOP',
		]);
	});

	it('stops growing at its bound, and forgets finished transactions', () => {
		const transcript = new ConnectionTranscript();
		transcript.client('EHLO me');
		for (let i = 0; i < 2500; i += 1) transcript.client('NOOP');
		expect(transcript.entries.length).toBe(2000);
		expect(transcript.dropped).toBe(501);
		transcript.event('close', 'Connection closed');
		expect(transcript.entries.at(-1)?.event).toBe('close');

		const long = new ConnectionTranscript();
		long.client('EHLO me');
		for (let i = 0; i < 100; i += 1) {
			long.startTransaction();
			long.client('MAIL FROM:<a@b.c>');
			long.client('RCPT TO:<d@e.f>');
		}
		expect(long.entries.map((entry) => entry.line)).toEqual(['EHLO me', 'MAIL FROM:<a@b.c>', 'RCPT TO:<d@e.f>']);
	});
});

describe('TranscriptRecorder', () => {
	it('hands pending messages the conversation up to the next MAIL FROM, then to the close', () => {
		const completed: Array<[string[], string[]]> = [];
		const recorder = new TranscriptRecorder({
			onComplete: (ids, entries) => completed.push([ids, entries.map((entry) => entry.line)]),
		});
		const log = recorder.logger;
		recorder.open('c1', false);
		log.debug({ tnx: 'command', cid: 'c1' }, 'C:', 'MAIL FROM:<a@b.c>');
		log.debug({ tnx: 'send', cid: 'c1' }, 'S:', '250 Accepted');
		recorder.get('c1')!.pendingMessageIds.push('m1');
		log.debug({ tnx: 'command', cid: 'c1' }, 'C:', 'MAIL FROM:<a@b.c>');
		recorder.get('c1')!.pendingMessageIds.push('m2');
		log.info({ tnx: 'close', cid: 'c1' }, 'closed');
		log.info({ tnx: 'close', cid: 'c1' }, 'closed again');
		expect(completed).toEqual([
			[['m1'], ['Connection opened', 'MAIL FROM:<a@b.c>', '250 Accepted']],
			// The second message gets the opening and its own transaction, not the first one's.
			[['m2'], ['Connection opened', 'MAIL FROM:<a@b.c>', 'Connection closed']],
		]);
		expect(recorder.openConnections).toBe(0);
	});
});
