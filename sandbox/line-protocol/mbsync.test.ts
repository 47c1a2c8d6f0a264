/**
 * A real sync client: isync's mbsync (Debian `isync`, which .ci/run installs) mirrors the sandbox's INBOX into
 * a Maildir, across a restart of the sandbox. mbsync keeps the UIDVALIDITY and UIDs it saw and stops with
 * "Unable to recover from UIDVALIDITY change" when they change; it fetches only what is new, and pulls flag
 * changes (a message read in the web inbox becomes `S` in its Maildir file name).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPython } from '../testing/pop3-imap-fixtures.ts';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
	for (const step of cleanup.splice(0).reverse()) await step();
});

function mbsync(config: string): Promise<{ code: number; output: string }> {
	return new Promise((resolve, reject) => {
		execFile('mbsync', ['-c', config, '-a'], { timeout: 60_000 }, (error, stdout, stderr) => {
			if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
				reject(new Error('mbsync is not installed: `apt-get install isync` (.ci/run does this)'));
				return;
			}
			resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
		});
	});
}

async function writeConfig(path: string, t: TestSandbox, maildir: string): Promise<void> {
	await writeFile(
		path,
		[
			'IMAPAccount sandbox',
			'Host localhost',
			`Port ${t.sandbox.ports.imap}`,
			'User learner',
			'Pass any',
			'SSLType STARTTLS',
			`CertificateFile ${t.sandbox.certificate.path}`,
			'',
			'IMAPStore remote',
			'Account sandbox',
			'',
			'MaildirStore local',
			`Path ${maildir}/`,
			`Inbox ${maildir}/INBOX`,
			'',
			'Channel inbox',
			'Far :remote:INBOX',
			'Near :local:INBOX',
			'Sync Pull',
			'Create Near',
			'SyncState *',
			'',
		].join('\n'),
	);
}

async function send(t: TestSandbox, subjects: string[]): Promise<void> {
	await runPython(
		`
import json, smtplib, sys
from email.message import EmailMessage
with smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=20) as smtp:
    for subject in json.loads(sys.argv[2]):
        msg = EmailMessage()
        msg['From'] = 'forum@example.test'
        msg['To'] = 'learner@example.test'
        msg['Subject'] = subject
        msg.set_content('비밀번호 재설정 링크')
        smtp.send_message(msg)
`,
		[String(t.sandbox.ports.smtp), JSON.stringify(subjects)],
	);
}

/** Maildir file names of the mirrored INBOX (new/ and cur/). */
async function mirrored(maildir: string): Promise<string[]> {
	const names: string[] = [];
	for (const sub of ['new', 'cur']) names.push(...(await readdir(join(maildir, 'INBOX', sub)).catch(() => [])));
	return names.sort();
}

// Two sandboxes, three Python runs and two mbsync runs: seconds on a busy machine, not the default five.
describe('mbsync', { timeout: 60_000 }, () => {
	it('syncs across a sandbox restart without a UIDVALIDITY error, fetching only new mail and pulling \\Seen', async () => {
		const work = await mkdtemp(join(tmpdir(), 'postlab-mbsync-'));
		cleanup.push(() => rm(work, { recursive: true, force: true }));
		const maildir = join(work, 'mail');
		const config = join(work, 'mbsyncrc');
		await mkdir(maildir);

		const first = await startTestSandbox();
		await send(first, ['one', 'two']);
		await writeConfig(config, first, maildir);
		const initial = await mbsync(config);
		expect(initial, initial.output).toMatchObject({ code: 0 });
		expect(await mirrored(maildir)).toHaveLength(2);
		const [oldest, newest] = first.sandbox.store.listMailbox();
		// The newest is deleted on the server: its UID (2) must not be given to the next message, or mbsync,
		// which already holds UID 2, would never fetch that one.
		expect((await fetch(`${first.baseUrl}/api/v1/messages/${newest!.id}`, { method: 'DELETE' })).status).toBe(200);
		await first.stop(true);

		const second = await startTestSandbox({}, {}, first.dataDir);
		cleanup.push(() => second.stop());
		// Read in the web inbox meanwhile, and one new message.
		const read = await fetch(`${second.baseUrl}/api/v1/messages/${oldest!.id}`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: '{"read": true}',
		});
		expect(read.status).toBe(200);
		await send(second, ['three']);
		await writeConfig(config, second, maildir);
		const again = await mbsync(config);
		expect(again, again.output).toMatchObject({ code: 0 });
		expect(again.output).not.toMatch(/UIDVALIDITY/);
		const names = await mirrored(maildir);
		// Three files, none downloaded twice (a pull keeps the near copy of the deleted UID 2); the new message is
		// UID 3; UID 1, read on the web, carries Maildir's S flag.
		expect(names).toHaveLength(3);
		expect(names.map((name) => /,U=(\d+)/.exec(name)?.[1]).sort()).toEqual(['1', '2', '3']);
		expect(names.find((name) => name.includes(',U=1:'))).toMatch(/:2,[A-Z]*S[A-Z]*$/);
	});
});
