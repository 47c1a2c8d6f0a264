/**
 * nodemailer already hides AUTH payloads in its own log lines, so these tests feed the recorder unredacted
 * lines directly: the recorder must hold even if a library (or another client) logs the raw payloads.
 */
import { describe, expect, it } from 'vitest';
import { createOutboundTranscript } from './outbound-transcript.ts';

const USER = 'me@gmail.com';
const PASSWORD = 'abcdefghijklmnop';
const b64 = (text: string) => Buffer.from(text).toString('base64');

function recorder() {
	return createOutboundTranscript({ user: USER, passwords: [PASSWORD, 'abcd efgh ijkl mnop'] });
}

describe('outbound transcript', () => {
	it('hides a raw AUTH PLAIN payload', () => {
		const t = recorder();
		t.logger.debug({ tnx: 'client' }, `AUTH PLAIN ${b64(`\0${USER}\0${PASSWORD}`)}`);
		expect(t.entries.map((e) => e.line)).toEqual(['AUTH PLAIN [redacted]']);
	});

	it('hides the lines that answer 334 challenges (AUTH LOGIN)', () => {
		const t = recorder();
		t.logger.debug({ tnx: 'client' }, 'AUTH LOGIN');
		t.logger.debug({ tnx: 'server' }, '334 VXNlcm5hbWU6');
		t.logger.debug({ tnx: 'client' }, b64(USER));
		t.logger.debug({ tnx: 'server' }, '334 UGFzc3dvcmQ6');
		t.logger.debug({ tnx: 'client' }, b64(PASSWORD));
		t.logger.debug({ tnx: 'server' }, '235 2.7.0 Accepted');
		t.logger.debug({ tnx: 'client' }, 'MAIL FROM:<me@gmail.com>');
		expect(t.entries.map((e) => `${e.from} ${e.line}`)).toEqual([
			'client AUTH LOGIN',
			'server 334 VXNlcm5hbWU6',
			'client [redacted]',
			'server 334 UGFzc3dvcmQ6',
			'client [redacted]',
			'server 235 2.7.0 Accepted',
			'client MAIL FROM:<me@gmail.com>',
		]);
	});

	it('scrubs the password in any form from other lines, events and errors', () => {
		const t = recorder();
		t.logger.debug({ tnx: 'server' }, `550 echo ${PASSWORD} and abcd efgh ijkl mnop`);
		t.logger.error({ tnx: 'smtp' }, 'failed with %s', b64(`xx${PASSWORD}yy`));
		const text = JSON.stringify(t.entries);
		expect(text).not.toContain(PASSWORD);
		expect(text).not.toContain('abcd efgh');
		expect(text).not.toContain(b64(PASSWORD).slice(0, 16));
		expect(t.redact(`pw ${PASSWORD}`)).toBe('pw [redacted]');
	});

	it('splits multi-line replies and keeps event kinds', () => {
		const t = recorder();
		t.logger.info({ tnx: 'network' }, 'Connection established to %s:%s', '127.0.0.1', 587);
		t.logger.debug({ tnx: 'server' }, '250-smtp.gmail.com at your service\n250-STARTTLS\n250 SMTPUTF8');
		t.logger.info({ tnx: 'smtp' }, 'Connection upgraded with STARTTLS');
		t.logger.debug({ tnx: 'message' }, 'Subject: body lines are not part of the transcript');
		expect(t.entries.map((e) => [e.from, e.event ?? null, e.line])).toEqual([
			['event', 'connect', 'Connection established to 127.0.0.1:587'],
			['server', null, '250-smtp.gmail.com at your service'],
			['server', null, '250-STARTTLS'],
			['server', null, '250 SMTPUTF8'],
			['event', 'tls', 'Connection upgraded with STARTTLS'],
		]);
	});
});
