/**
 * The receiving side as one mailbox, tested end to end with clients nobody here wrote: Python's smtplib sends,
 * imaplib and poplib read and change, the JSON API is the web inbox. A whole sandbox on free ports with its
 * real journal; restarts reopen the same data folder.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient, runPython } from '../testing/pop3-imap-fixtures.ts';
import { startTestSandbox, type TestSandbox } from '../testing/test-sandbox.ts';

const running: TestSandbox[] = [];

afterEach(async () => {
	await Promise.all(running.splice(0).map((t) => t.stop()));
});

async function sandbox(env: Record<string, string> = {}, dataDir?: string): Promise<TestSandbox> {
	const t = await startTestSandbox(env, {}, dataDir);
	running.push(t);
	return t;
}

/** Sends each subject as a message with Python's smtplib (EmailMessage picks base64 for Korean UTF-8 text). */
async function send(t: TestSandbox, messages: Array<{ subject: string; body: string; cte?: 'base64' | 'quoted-printable' }>): Promise<void> {
	await runPython(
		`
import json, smtplib, sys
from email.message import EmailMessage
port, messages = int(sys.argv[1]), json.loads(sys.argv[2])
with smtplib.SMTP('127.0.0.1', port, timeout=20) as smtp:
    for m in messages:
        msg = EmailMessage()
        msg['From'] = 'forum@example.test'
        msg['To'] = 'learner@example.test'
        msg['Subject'] = m['subject']
        if m.get('cte'):
            msg.set_content(m['body'], cte=m['cte'])
        else:
            msg.set_content(m['body'])
        smtp.send_message(msg)
`,
		[String(t.sandbox.ports.smtp), JSON.stringify(messages)],
	);
}

/** Runs an imaplib script with `imap` logged in and INBOX selected; it prints JSON. */
async function imap<T>(t: TestSandbox, body: string, select = "imap.select('INBOX')"): Promise<T> {
	const out = await runPython(
		`
import imaplib, json, re, sys
imap = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]), timeout=20)
imap.login('learner', 'any')
${select}
${body}
imap.logout()
`,
		[String(t.sandbox.ports.imap)],
	);
	return JSON.parse(out) as T;
}

async function api<T>(t: TestSandbox, path: string, init?: RequestInit): Promise<T> {
	const response = await fetch(`${t.baseUrl}${path}`, init);
	expect(response.ok).toBe(true);
	return (await response.json()) as T;
}

interface Listed {
	total: number;
	messages: Array<{ id: string; subject: string; read: boolean; uid: number; flags: string[] }>;
}

const UIDS = `
typ, data = imap.uid('SEARCH', 'ALL')
status = imap.response('UIDVALIDITY')[1][0].decode()
print(json.dumps({'uidvalidity': int(status), 'uids': [int(u) for u in data[0].split()]}))
`;

/** Each test starts Python a few times; a pyenv shim alone can take seconds to start python3 on a busy machine. */
const PYTHON_TESTS = { timeout: 60_000 };

describe('a mailbox shared by the web inbox, IMAP and POP3', PYTHON_TESTS, () => {
	it('keeps UIDVALIDITY and every UID across a restart, and never reuses a deleted UID', async () => {
		const first = await sandbox();
		await send(first, [{ subject: 'one', body: 'a' }, { subject: 'two', body: 'b' }, { subject: 'three', body: 'c' }]);
		const before = await imap<{ uidvalidity: number; uids: number[] }>(first, UIDS);
		expect(before.uids).toEqual([1, 2, 3]);
		// The newest goes: its UID must stay used after the restart.
		const listed = await api<Listed>(first, '/api/v1/messages');
		await api(first, `/api/v1/messages/${listed.messages[0]!.id}`, { method: 'DELETE' });
		await first.stop(true);
		running.splice(running.indexOf(first), 1);

		const second = await sandbox({}, first.dataDir);
		const after = await imap<{ uidvalidity: number; uids: number[] }>(second, UIDS);
		expect(after).toEqual({ uidvalidity: before.uidvalidity, uids: [1, 2] });
		await send(second, [{ subject: 'four', body: 'd' }]);
		expect((await imap<{ uids: number[] }>(second, UIDS)).uids).toEqual([1, 2, 4]);
	});

	it('shares \\Seen: read in the web inbox shows in IMAP, read or unread in IMAP shows in the web inbox', async () => {
		const t = await sandbox();
		await send(t, [{ subject: 'reset', body: 'x' }]);
		const [message] = (await api<Listed>(t, '/api/v1/messages')).messages;
		expect(message!.read).toBe(false);
		await api(t, `/api/v1/messages/${message!.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"read": true}' });
		const flags = `
typ, data = imap.fetch('1', '(FLAGS)')
unseen = imap.status('INBOX', '(UNSEEN)')[1][0].decode()
print(json.dumps({'flags': data[0].decode(), 'status': unseen}))
`;
		const seen = await imap<{ flags: string; status: string }>(t, flags);
		expect(seen.flags).toContain('\\Seen');
		expect(seen.status).toContain('UNSEEN 0');
		// Marking unread in the mail client, then reading the body (no PEEK): the web inbox follows each step.
		await imap(t, `imap.store('1', '-FLAGS', '(\\\\Seen)'); print('{}')`);
		expect((await api<Listed>(t, '/api/v1/messages')).messages[0]!.read).toBe(false);
		await imap(t, `imap.fetch('1', '(RFC822)'); print('{}')`);
		expect((await api<Listed>(t, '/api/v1/messages')).messages[0]!.read).toBe(true);
		// \\Flagged is kept too, and EXAMINE (read-only) changes nothing.
		await imap(t, `imap.store('1', '+FLAGS', '(\\\\Flagged)'); print('{}')`);
		expect((await api<Listed>(t, '/api/v1/messages')).messages[0]!.flags).toEqual(['\\Flagged']);
	});

	it('deletes with \\Deleted and EXPUNGE through the store, as the web inbox does', async () => {
		const t = await sandbox();
		await send(t, [{ subject: 'keep', body: 'a' }, { subject: 'remove', body: 'b' }]);
		const out = await imap<{ expunge: string[] }>(
			t,
			`
imap.store('2', '+FLAGS', '(\\\\Deleted)')
typ, data = imap.expunge()
print(json.dumps({'expunge': [d.decode() for d in data if d]}))
`,
		);
		expect(out.expunge).toEqual(['2']);
		expect((await api<Listed>(t, '/api/v1/messages')).messages.map((m) => m.subject)).toEqual(['keep']);
	});

	it('pushes API deletions and flag changes to an IDLE client, and new mail', async () => {
		const t = await sandbox();
		await send(t, [{ subject: 'one', body: 'a' }, { subject: 'two', body: 'b' }]);
		const ids = (await api<Listed>(t, '/api/v1/messages')).messages.map((m) => m.id);
		const client = await RawClient.plain(t.sandbox.ports.imap);
		try {
			await client.line();
			client.sendLine('a LOGIN learner any');
			await client.linesUntil(/^a OK/);
			client.sendLine('b SELECT INBOX');
			expect((await client.linesUntil(/^b OK/)).at(-1)).toBe('b OK [READ-WRITE] SELECT completed');
			client.sendLine('c IDLE');
			expect(await client.line()).toBe('+ idling');
			await api(t, `/api/v1/messages/${ids[1]}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"read": true}' });
			expect(await client.line()).toBe('* 1 FETCH (UID 1 FLAGS (\\Seen))');
			await api(t, `/api/v1/messages/${ids[1]}`, { method: 'DELETE' });
			expect(await client.line()).toBe('* 1 EXPUNGE');
			await send(t, [{ subject: 'three', body: 'c' }]);
			expect(await client.line()).toBe('* 2 EXISTS');
			await api(t, '/api/v1/messages', { method: 'DELETE' });
			expect([await client.line(), await client.line()]).toEqual(['* 2 EXPUNGE', '* 1 EXPUNGE']);
			client.sendLine('DONE');
			expect(await client.line()).toBe('c OK IDLE terminated');
		} finally {
			client.close();
		}
	});

	it('POP3: DELE then QUIT removes the mail; a dropped connection removes nothing; AUTH PLAIN logs in', async () => {
		const t = await sandbox();
		await send(t, [{ subject: 'one', body: 'a' }, { subject: 'two', body: 'b' }, { subject: 'three', body: 'c' }]);
		const script = `
import poplib, sys, json
pop = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)
pop.user('learner'); pop.pass_('any')
count = pop.stat()[0]
pop.retr(1)
pop.dele(1)
if sys.argv[2] == 'quit':
    pop.quit()
else:
    pop.sock.close()
print(json.dumps({'count': count}))
`;
		expect(JSON.parse(await runPython(script, [String(t.sandbox.ports.pop3), 'drop']))).toEqual({ count: 3 });
		expect((await api<Listed>(t, '/api/v1/messages')).total).toBe(3);
		expect(JSON.parse(await runPython(script, [String(t.sandbox.ports.pop3), 'quit']))).toEqual({ count: 3 });
		const left = await api<Listed>(t, '/api/v1/messages');
		expect(left.messages.map((m) => m.subject)).toEqual(['three', 'two']);
		// RETR does not mark read: POP3 has no read state.
		expect(left.messages.every((m) => !m.read)).toBe(true);

		const client = await RawClient.plain(t.sandbox.ports.pop3);
		try {
			await client.line();
			client.sendLine('CAPA');
			expect(await client.linesUntil(/^\.$/)).toContain('SASL PLAIN');
			client.sendLine('AUTH PLAIN');
			expect(await client.line()).toBe('+ ');
			client.sendLine(Buffer.from('\0learner\0any').toString('base64'));
			expect(await client.line()).toMatch(/^\+OK 2 messages/);
			client.sendLine('QUIT');
			await client.closed();
		} finally {
			client.close();
		}
	});

	it('SEARCH finds Korean words in base64 and quoted-printable bodies, as Python and nodemailer send them', async () => {
		const t = await sandbox();
		await send(t, [
			{ subject: 'b64', body: '비밀번호 재설정 링크입니다', cte: 'base64' },
			{ subject: 'qp', body: '비밀번호를 재설정하려면 누르세요', cte: 'quoted-printable' },
			{ subject: 'other', body: 'Welcome to the forum' },
		]);
		const found = await imap<{ body: string; text: string; subject: string }>(
			t,
			`
def search(key, word):
    imap.literal = word.encode('utf-8')
    return imap.search('UTF-8', key)[1][0].decode()
print(json.dumps({'body': search('BODY', '재설정'), 'text': search('TEXT', 'WELCOME'), 'subject': search('SUBJECT', 'qp')}))
`,
		);
		expect(found).toEqual({ body: '1 2', text: '3', subject: '2' });
	});

	it('read-only mode (SANDBOX_MAILBOX_READ_ONLY) refuses every change', async () => {
		const t = await sandbox({ SANDBOX_MAILBOX_READ_ONLY: 'True' });
		await send(t, [{ subject: 'one', body: 'a' }, { subject: 'two', body: 'b' }]);
		const out = await imap<{ store: string; expunge: string; fetched: string }>(
			t,
			`
imap.store('1', '+FLAGS', '(\\\\Seen \\\\Deleted)')
imap.fetch('2', '(RFC822)')
typ, data = imap.expunge()
expunge = typ + ' ' + data[0].decode()
print(json.dumps({'store': 'ok', 'expunge': expunge, 'fetched': 'ok'}))
`,
		);
		expect(out.expunge).toMatch(/^NO \[CANNOT\]/);
		const pop = `
import poplib, sys
pop = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)
pop.user('learner'); pop.pass_('any')
pop.dele(1)
print(pop.quit().decode())
`;
		expect(await runPython(pop, [String(t.sandbox.ports.pop3)])).toMatch(/kept: this sandbox is read-only/);
		const listed = await api<Listed>(t, '/api/v1/messages');
		expect(listed.total).toBe(2);
		expect(listed.messages.every((m) => !m.read && m.flags.length === 0)).toBe(true);
	});
});
