import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassroomError, FORUM_SMTP_USER, isClassroomError, localClassroom, MAX_NAME_LENGTH, openClassroom, type Classroom } from './classroom.ts';
import { deriveSmtpPassword } from './classroom-secret.ts';
import { parseCookieHeader } from './request-viewer.ts';
import { englishLog } from '../testing/english-log.ts';

const TOKEN = 'instructor-token-0123456789abcdef';

describe('classroom', () => {
	let dataDir: string;
	let classroom: Classroom;

	beforeEach(async () => {
		dataDir = await mkdtemp(join(tmpdir(), 'postlab-classroom-test-'));
		classroom = await openClassroom({ dataDir, instructorToken: TOKEN, store: () => undefined });
	});
	afterEach(async () => {
		await rm(dataDir, { recursive: true, force: true });
	});

	it('joins a learner with a private mailbox, a cookie and app-password-like SMTP credentials', async () => {
		const { learner, credentials, cookieValue } = await classroom.join('  김민준   (3반) ');
		expect(learner.name).toBe('김민준 (3반)');
		expect(learner.mailbox).toBe(`learner-${learner.id}`);
		expect(learner.smtpUser).toBe(learner.mailbox);
		expect(credentials.smtpPassword).toMatch(/^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$/);
		expect(classroom.viewerFromCookies({ learner: cookieValue })).toEqual({ kind: 'learner', learner });
		expect(classroom.credentialsOf(learner.id)).toEqual(credentials);
	});

	it('refuses forged, foreign and missing cookies', async () => {
		const a = await classroom.join('A');
		const b = await classroom.join('B');
		const [, tokenB] = b.cookieValue.split('.');
		expect(classroom.viewerFromCookies({})).toEqual({ kind: 'anonymous' });
		expect(classroom.viewerFromCookies({ learner: `${a.learner.id}.${tokenB}` })).toEqual({ kind: 'anonymous' });
		expect(classroom.viewerFromCookies({ learner: a.learner.id })).toEqual({ kind: 'anonymous' });
		expect(classroom.viewerFromCookies({ learner: `${a.cookieValue}x` })).toEqual({ kind: 'anonymous' });
		expect(classroom.viewerFromCookies({ instructor: 'guess' })).toEqual({ kind: 'anonymous' });
	});

	it('keeps learners across a restart, with tokens hashed and no password in the file', async () => {
		const { learner, credentials, cookieValue } = await classroom.join('Ann');
		const reopened = await openClassroom({ dataDir, instructorToken: TOKEN, store: () => undefined });
		expect(reopened.viewerFromCookies({ learner: cookieValue })).toEqual({ kind: 'learner', learner });
		expect(reopened.credentialsOf(learner.id)).toEqual(credentials);
		const path = join(dataDir, 'classroom', 'learners.json');
		const text = await readFile(path, 'utf8');
		expect(text).not.toContain(cookieValue.split('.')[1]);
		expect(text).not.toContain(credentials.smtpPassword);
		expect(text).not.toContain(credentials.smtpPassword.replaceAll(' ', ''));
		expect((await stat(path)).mode & 0o777).toBe(0o600);
		expect((await stat(join(dataDir, 'classroom', 'secret'))).mode & 0o777).toBe(0o600);
	});

	it('logs the instructor in only with the exact token, into a random session stored hashed', async () => {
		expect(await classroom.instructorLogin('wrong')).toBeNull();
		expect(await classroom.instructorLogin(`${TOKEN}x`)).toBeNull();
		const cookie = await classroom.instructorLogin(TOKEN);
		expect(cookie).not.toBeNull();
		expect(cookie).not.toContain(TOKEN);
		expect(classroom.viewerFromCookies({ instructor: cookie! })).toEqual({ kind: 'instructor' });
		const second = await classroom.instructorLogin(TOKEN);
		expect(second).not.toBe(cookie);
		const path = join(dataDir, 'classroom', 'instructor-sessions.json');
		expect(await readFile(path, 'utf8')).not.toContain(cookie!);
		expect((await stat(path)).mode & 0o777).toBe(0o600);
	});

	it('ends an instructor session at logout, after 12 hours, and when INSTRUCTOR_TOKEN changes', async () => {
		let now = new Date('2026-12-01T08:00:00Z');
		const clocked = await openClassroom({ dataDir, instructorToken: TOKEN, store: () => undefined, now: () => now });
		const first = (await clocked.instructorLogin(TOKEN))!;
		const second = (await clocked.instructorLogin(TOKEN))!;
		await clocked.instructorLogout(first);
		expect(clocked.viewerFromCookies({ instructor: first })).toEqual({ kind: 'anonymous' });
		expect(clocked.viewerFromCookies({ instructor: second })).toEqual({ kind: 'instructor' });
		// A restart with the same token keeps the session; one with a new token ends it.
		const same = await openClassroom({ dataDir, instructorToken: TOKEN, store: () => undefined, now: () => now });
		expect(same.viewerFromCookies({ instructor: second })).toEqual({ kind: 'instructor' });
		expect(same.viewerFromCookies({ instructor: first })).toEqual({ kind: 'anonymous' });
		const changed = await openClassroom({ dataDir, instructorToken: `${TOKEN}-new-token`, store: () => undefined, now: () => now });
		expect(changed.viewerFromCookies({ instructor: second })).toEqual({ kind: 'anonymous' });
		now = new Date(now.getTime() + 12 * 3600 * 1000 + 1);
		expect(same.viewerFromCookies({ instructor: second })).toEqual({ kind: 'anonymous' });
	});

	it('opens a mailbox only with that learner’s SMTP credentials (spaces and case do not matter)', async () => {
		const a = await classroom.join('A');
		const b = await classroom.join('B');
		const pa = a.credentials.smtpPassword;
		expect(classroom.mailLogin(a.credentials.smtpUser, pa)).toBe(a.learner.mailbox);
		expect(classroom.mailLogin(a.credentials.smtpUser, pa.replaceAll(' ', '').toUpperCase())).toBe(a.learner.mailbox);
		expect(classroom.mailLogin(a.credentials.smtpUser, b.credentials.smtpPassword)).toBeNull();
		expect(classroom.mailLogin(b.credentials.smtpUser, pa)).toBeNull();
		expect(classroom.mailLogin('learner-nobody0000', pa)).toBeNull();
		expect(classroom.mailLogin(a.credentials.smtpUser, '')).toBeNull();
		expect(classroom.mailLogin(FORUM_SMTP_USER, 'guess')).toBeNull();
		expect(classroom.mailLogin('instructor', TOKEN)).toBeNull();
	});

	it('gives the forum the learner’s credentials for their mailbox, its own for others', async () => {
		const a = await classroom.join('A');
		expect(classroom.mailCredentialsFor(a.learner.mailbox)).toEqual({ user: a.credentials.smtpUser, pass: a.credentials.smtpPassword });
		const forum = classroom.mailCredentialsFor(null)!;
		expect(forum.user).toBe(FORUM_SMTP_USER);
		expect(classroom.mailLogin(forum.user, forum.pass)).toBe('default');
	});

	it('refuses names that are empty, too long or hold invisible characters', async () => {
		await expect(classroom.join('   ')).rejects.toMatchObject({ code: 'name-required' });
		await expect(classroom.join('x'.repeat(MAX_NAME_LENGTH + 1))).rejects.toMatchObject({ code: 'name-too-long' });
		await expect(classroom.join('Ann\u202Eevil')).rejects.toBeInstanceOf(ClassroomError);
		await expect(classroom.join('\u3164')).rejects.toMatchObject({ code: 'name-invalid' });
		await expect(classroom.join('42')).rejects.toMatchObject({ code: 'name-no-letter' });
	});

	it('keeps names apart on the projector: a look-alike of a joined name is refused, in any script or width', async () => {
		const alice = await classroom.join('Ａｌｉｃｅ');
		expect(alice.learner.name).toBe('Alice');
		for (const twin of ['Alice', '\u0410lice', 'alice', ' Alice ']) {
			const refused = await classroom.join(twin).then(
				() => null,
				(error: unknown) => error,
			);
			expect(isClassroomError(refused), twin).toBe(true);
			expect(refused).toMatchObject({ code: 'name-taken' });
		}
		// Two joins at once with look-alike names: one gets in.
		const results = await Promise.allSettled([classroom.join('Bora'), classroom.join('B\u043Era')]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(classroom.roster().map((l) => l.name)).toEqual(['Alice', 'Bora']);
	});

	it('recognises its errors by code across copies of the module, not by class', () => {
		const foreign = Object.assign(new Error('x'), { name: 'ClassroomError', code: 'name-taken' });
		expect(isClassroomError(foreign)).toBe(true);
		expect(isClassroomError(Object.assign(new Error('x'), { code: 'name-taken' }))).toBe(false);
		expect(isClassroomError(Object.assign(new Error('x'), { name: 'ClassroomError', code: 'made-up' }))).toBe(false);
		expect(isClassroomError(null)).toBe(false);
	});

	it('tells join listeners and lists the roster', async () => {
		const seen: string[] = [];
		const stop = classroom.onJoin((learner) => seen.push(learner.name));
		await classroom.join('A');
		stop();
		await classroom.join('B');
		expect(seen).toEqual(['A']);
		expect(classroom.roster().map((r) => [r.name, r.messageCount, r.lastMessageAt])).toEqual([
			['A', 0, null],
			['B', 0, null],
		]);
	});

	it('joins the learner and tells the other listeners when one listener throws, and logs that fault', async () => {
		const logged: string[] = [];
		const logging = await openClassroom({ dataDir, instructorToken: TOKEN, store: () => undefined, log: englishLog(logged) });
		const seen: string[] = [];
		logging.onJoin(() => {
			throw new Error('roster stream broke');
		});
		logging.onJoin((learner) => seen.push(learner.name));
		const { learner } = await logging.join('A');
		expect(seen).toEqual(['A']);
		expect(logged).toEqual([expect.stringContaining(`telling a roster about ${learner.id} failed: Error: roster stream broke`)]);
	});
});

describe('local mode', () => {
	it('has one local user and opens the one inbox for any mail login', async () => {
		expect(localClassroom.enabled).toBe(false);
		expect(localClassroom.viewerFromCookies({ instructor: 'x', learner: 'y' })).toEqual({ kind: 'local' });
		expect(localClassroom.mailLogin('anyone', 'anything')).toBe('default');
		expect(localClassroom.mailCredentialsFor('learner-x')).toBeNull();
		await expect(localClassroom.join('A')).rejects.toMatchObject({ code: 'not-classroom' });
	});
});

describe('SMTP passwords', () => {
	it('are 16 letters, stable per id, different between ids and secrets', () => {
		const secret = Buffer.alloc(32, 1);
		const one = deriveSmtpPassword(secret, 'aaaaaaaaaa');
		expect(one).toMatch(/^([a-z]{4} ){3}[a-z]{4}$/);
		expect(deriveSmtpPassword(secret, 'aaaaaaaaaa')).toBe(one);
		expect(deriveSmtpPassword(secret, 'bbbbbbbbbb')).not.toBe(one);
		expect(deriveSmtpPassword(Buffer.alloc(32, 2), 'aaaaaaaaaa')).not.toBe(one);
	});
});

describe('parseCookieHeader', () => {
	it('reads names and values as Astro does: first one wins, quotes and a bad encoding stay as sent', () => {
		const cookies = parseCookieHeader('a=1; postlab_learner=abc.def; a=2; b="q%20r"; c=%E0%A4%A; ;; =x; d');
		expect(cookies.get('a')).toBe('1');
		expect(cookies.get('postlab_learner')).toBe('abc.def');
		expect(cookies.get('b')).toBe('"q r"');
		expect(cookies.get('c')).toBe('%E0%A4%A');
		expect(parseCookieHeader(undefined).size).toBe(0);
	});
});
