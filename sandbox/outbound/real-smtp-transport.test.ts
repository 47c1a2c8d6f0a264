/**
 * The real-SMTP transport against a local Gmail-like server: Django's TLS modes, a message that arrives, and
 * proof that the password is nowhere in the transcript or the errors, in any form.
 */
import { describe, expect, it } from 'vitest';
import { readEmailSettings } from './settings/load-email-settings.ts';
import type { RealEmailSettings } from './settings/email-settings-types.ts';
import { createRealSmtpTransport, RealSmtpError } from './real-smtp-transport.ts';
import { useGmailLikeServers } from '../testing/use-gmail-like-servers.ts';

const PASSWORD = 'qzxwvutsrqponmlk';
const USER = 'learner@gmail.com';
const gmailServers = useGmailLikeServers(PASSWORD);
const server = gmailServers.start;

function settingsFor(port: number, tlsLines: string, password = PASSWORD): RealEmailSettings {
	const settings = readEmailSettings(
		`EMAIL_HOST=localhost\nEMAIL_PORT=${port}\n${tlsLines}\nEMAIL_HOST_USER=${USER}\nEMAIL_HOST_PASSWORD=${password}\nDEFAULT_FROM_EMAIL='Forum <${USER}>'\nEMAIL_TIMEOUT=20\n`,
	);
	if (settings.mode !== 'real') throw new Error('expected real mode');
	return settings;
}

/** Every form in which a password could leak into a transcript. */
function leakedForms(password: string): string[] {
	return [
		password,
		Buffer.from(password).toString('base64'),
		Buffer.from(`\0${USER}\0${password}`).toString('base64'),
		Buffer.from(`${USER}\0${USER}\0${password}`).toString('base64'),
		// base64 of the password inside a longer blob, at each alignment (the stable middle part).
		...[0, 1, 2].map((offset) => Buffer.from(`${'\0'.repeat(offset)}${password}`).toString('base64').slice(offset === 0 ? 0 : 4, 16)),
	];
}

function expectNoSecret(text: string, password: string): void {
	for (const form of leakedForms(password)) expect(text).not.toContain(form);
}

describe('real SMTP transport', { timeout: 60_000 }, () => {
	it('sends over STARTTLS with AUTH PLAIN, and the message arrives', async () => {
		const gmail = await server();
		const transport = createRealSmtpTransport(settingsFor(gmail.port, 'EMAIL_USE_TLS=True'), { ca: gmailServers.ca() });
		await transport.verify();
		const report = await transport.send({ to: 'friend@example.com', subject: 'Password reset on Forum', text: 'Follow the link.' });
		transport.close();

		const received = await gmail.nextMessage();
		expect(received).toMatchObject({ mailFrom: USER, rcptTo: ['friend@example.com'], authUser: USER, secure: true });
		expect(received.raw).toContain('Subject: Password reset on Forum');
		expect(received.raw).toContain(`From: Forum <${USER}>`);
		expect(report.accepted).toEqual(['friend@example.com']);
		expect(report.response).toMatch(/^250/);
		// The server really got the password, so the redaction below is not vacuous.
		expect(gmail.authAttempts.map((a) => a.password)).toContain(PASSWORD);

		const lines = transport.transcript.map((e) => `${e.from} ${e.line}`);
		expect(lines).toContain('client STARTTLS');
		expect(lines).toContain('client AUTH PLAIN [redacted]');
		expect(transport.transcript.some((e) => e.event === 'tls')).toBe(true);
		expectNoSecret(JSON.stringify(transport.transcript), PASSWORD);
	});

	it('redacts AUTH LOGIN, where user and password go as separate base64 lines', async () => {
		const gmail = await server({ authMethods: ['LOGIN'] });
		const transport = createRealSmtpTransport(settingsFor(gmail.port, 'EMAIL_USE_TLS=True'), { ca: gmailServers.ca() });
		await transport.verify();
		transport.close();
		expect(gmail.authAttempts).toMatchObject([{ method: 'LOGIN', password: PASSWORD }]);
		const client = transport.transcript.filter((e) => e.from === 'client').map((e) => e.line);
		expect(client).toContain('AUTH LOGIN');
		expect(client.filter((line) => line === '[redacted]').length).toBeGreaterThanOrEqual(1);
		expectNoSecret(JSON.stringify(transport.transcript), PASSWORD);
	});

	it('speaks TLS from the first byte for EMAIL_USE_SSL=True', async () => {
		const gmail = await server({ implicitTls: true });
		const transport = createRealSmtpTransport(settingsFor(gmail.port, 'EMAIL_USE_SSL=True'), { ca: gmailServers.ca() });
		await transport.send({ to: 'friend@example.com', subject: 's', text: 't' });
		transport.close();
		expect((await gmail.nextMessage()).secure).toBe(true);
		expect(transport.transcript.map((e) => e.line)).not.toContain('STARTTLS');
	});

	it('does not upgrade on its own when neither is set, like Django, and Gmail says 530', async () => {
		const gmail = await server();
		const settings = settingsFor(gmail.port, 'EMAIL_USE_TLS=False');
		const transport = createRealSmtpTransport(settings, { ca: gmailServers.ca() });
		const error = await transport.verify().then(
			() => null,
			(e: unknown) => e,
		);
		transport.close();
		expect(error).toBeInstanceOf(RealSmtpError);
		expect((error as RealSmtpError).explanation.id).toBe('starttls-required');
		expect(transport.transcript.map((e) => e.line)).not.toContain('STARTTLS');
		// The password crossed the wire in plain text (that is the lesson), but the transcript still hides it.
		expect(gmail.authAttempts.map((a) => a.password)).toContain(PASSWORD);
		expectNoSecret(JSON.stringify(transport.transcript), PASSWORD);
	});

	it('explains a wrong password without revealing it', async () => {
		const gmail = await server();
		const wrong = 'wrongwrongwrongw';
		const transport = createRealSmtpTransport(settingsFor(gmail.port, 'EMAIL_USE_TLS=True', wrong), { ca: gmailServers.ca() });
		const error = await transport.verify().then(
			() => null,
			(e: unknown) => e,
		);
		transport.close();
		expect(error).toBeInstanceOf(RealSmtpError);
		const failure = error as RealSmtpError;
		expect(failure.explanation).toMatchObject({ id: 'auth-rejected', kind: 'auth' });
		expect(failure.facts.response).toBe('535 5.7.8 Username and Password not accepted');
		const everything = JSON.stringify({ transcript: transport.transcript, message: failure.message, facts: failure.facts, explanation: failure.explanation });
		expect(gmail.authAttempts.map((a) => a.password)).toContain(wrong);
		expectNoSecret(everything, wrong);
	});

	it('refuses a copy of the settings that lost its hidden password', () => {
		const copy = { ...settingsFor(1, 'EMAIL_USE_TLS=True') };
		expect(() => createRealSmtpTransport(copy as RealEmailSettings)).toThrow(/not a copy/);
	});

	it('scrubs the password even from a server reply that echoes it', async () => {
		const gmail = await server({ mailFromReply: [553, `5.7.1 Sender rejected; you sent ${PASSWORD}`] });
		const transport = createRealSmtpTransport(settingsFor(gmail.port, 'EMAIL_USE_TLS=True'), { ca: gmailServers.ca() });
		const error = await transport.send({ to: 'friend@example.com', subject: 's', text: 't' }).then(
			() => null,
			(e: unknown) => e,
		);
		transport.close();
		expect(error).toBeInstanceOf(RealSmtpError);
		const failure = error as RealSmtpError;
		expect(failure.explanation.id).toBe('sender-rejected');
		expect(failure.facts.response).toContain('[redacted]');
		expectNoSecret(JSON.stringify({ t: transport.transcript, m: failure.message, f: failure.facts, e: failure.explanation }), PASSWORD);
	});
});
