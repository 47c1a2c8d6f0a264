/**
 * The nodemailer transport against a real smtp-server: STARTTLS with the certificate trusted, a refusal
 * when it is not (so "trusting the sandbox certificate" is a real check), and a dead port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailSendError } from './mail-sender.ts';
import { startCaptureSmtp, type CaptureSmtp } from '../testing/capture-smtp.ts';
import { createMailTransport, createSandboxMailTransport } from './mail-transport.ts';

let smtp: CaptureSmtp;
beforeAll(async () => {
	smtp = await startCaptureSmtp();
});
afterAll(async () => {
	await smtp.close();
});

const message = { from: 'Postlab <webmaster@localhost>', to: 'minji@example.com', subject: 'Hello', text: 'Hi', html: '<p>Hi</p>' };

describe('mail transport', () => {
	it('sends over STARTTLS, trusting the given certificate, and describes its settings without secrets', async () => {
		const transport = createSandboxMailTransport({ port: smtp.port, certificatePem: smtp.certificatePem });
		const result = await transport.send(message);
		transport.close();
		expect(result.accepted).toEqual(['minji@example.com']);
		expect(result.response).toMatch(/^250/);
		const [mail] = await smtp.waitForMessages(1);
		expect(mail!.secure).toBe(true);
		expect(transport.settings).toEqual({ host: '127.0.0.1', port: smtp.port, tls: 'starttls', user: null });
	});

	it('refuses a server whose certificate it was not told to trust', async () => {
		const transport = createMailTransport({ host: '127.0.0.1', port: smtp.port, tls: 'starttls' });
		const error = await transport.send(message).then(() => null, (e: unknown) => e);
		transport.close();
		expect(error).toBeInstanceOf(MailSendError);
		expect((error as MailSendError).message).toMatch(/self[- ]signed|certificate/i);
	});

	it('names the host and port it could not reach', async () => {
		const transport = createMailTransport({ host: '127.0.0.1', port: 1, tls: 'starttls' });
		const error = (await transport.verify().then(() => null, (e: unknown) => e)) as MailSendError;
		expect(error).toBeInstanceOf(MailSendError);
		expect({ host: error.host, port: error.port }).toEqual({ host: '127.0.0.1', port: 1 });
		expect(error.message).toMatch(/ECONNREFUSED/);
	});

	it('shows the AUTH user in its settings but never the password', () => {
		const transport = createMailTransport({ host: 'smtp.gmail.com', port: 587, tls: 'starttls', auth: { user: 'me@gmail.com', pass: 'abcd efgh ijkl mnop' } });
		expect(transport.settings).toEqual({ host: 'smtp.gmail.com', port: 587, tls: 'starttls', user: 'me@gmail.com' });
		expect(JSON.stringify(transport.settings)).not.toContain('abcd');
		transport.close();
	});
});
