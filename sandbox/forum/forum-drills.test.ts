/**
 * The forum's reset under a failure drill (issue 20), against the real capture server: like Django since
 * 4.2.16 (CVE-2024-45231) the page says "sent" and the error is logged ("Failed to send password reset email
 * to <id>"), and the outcome names the refusal for the page's sandbox note. Other failures still show.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAILBOX } from '../store/types.ts';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';
import { createSandboxMailTransport } from '../outbound/mail-transport.ts';
import { createForum } from './create-forum.ts';
import type { ForumService } from './forum-service.ts';
import type { MailSender } from '../outbound/mail-sender.ts';
import { newSubmissionKey } from './submission-guard.ts';
import { englishLog } from '../testing/english-log.ts';

const PASSWORD = 'tulip-orbit-58';
let t: TestSandbox;
let mailer: MailSender;
let forum: ForumService;
const logged: string[] = [];

beforeAll(async () => {
	t = await startTestSandbox({}, { log: () => undefined });
	mailer = createSandboxMailTransport({ port: t.sandbox.ports.smtp, certificatePem: t.sandbox.certificate.pem });
	forum = await createForum({
		dataDir: `${t.dataDir}/forum-drills`,
		secretKey: 'test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz',
		siteOrigin: 'http://127.0.0.1:4321',
		mailer,
		scrypt: { cost: 1024, blockSize: 8, parallelism: 1 },
		minResetResponseMs: 0,
		log: englishLog(logged),
	});
	const signed = await forum.signUp(undefined, { username: 'minji', email: 'minji@example.com', password1: PASSWORD, password2: PASSWORD });
	if (signed.kind !== 'done') throw new Error('sign-up failed');
});
afterAll(async () => {
	mailer.close();
	await t.stop();
	await rm(`${t.dataDir}/forum-drills`, { recursive: true, force: true });
});

const reset = (email = 'minji@example.com') => forum.requestPasswordReset({ email, lang: 'en', clientKey: '127.0.0.1', submissionKey: newSubmissionKey() });

describe('the forum’s reset under a drill', () => {
	it('says "sent", logs the error as Django does, and names the refusal for the sandbox note', async () => {
		t.sandbox.drills.set(DEFAULT_MAILBOX, 'no-such-recipient', 'once');
		const before = t.sandbox.store.count;
		const outcome = await reset();
		expect(outcome).toMatchObject({ kind: 'done', drillRefusal: '550 5.1.1' });
		expect(t.sandbox.store.count).toBe(before);
		const account = forum.accounts.byEmail('minji@example.com')[0]!;
		expect(logged).toContainEqual(expect.stringMatching(new RegExp(`^django\\.contrib\\.auth: Failed to send password reset email to ${account.id}: 550 5\\.1\\.1 The email account`)));
		// The drill was for the next message only: the next reset is delivered, with no note.
		expect(await reset()).toEqual(expect.not.objectContaining({ drillRefusal: expect.anything() }));
		expect(t.sandbox.store.count).toBe(before + 1);
	});
});
