/**
 * The forum and the settings page of a classroom Postlab (`npm start` with SANDBOX_CLASSROOM), driven over
 * HTTP the way a browser posts their forms: a learner's forum account files its reset mail in that
 * learner's inbox, and only the instructor is offered (and allowed) the real SMTP server, here a local
 * Gmail-like server trusted through NODE_EXTRA_CA_CERTS. The pages' own look is classroom-ui's to test.
 */
import { describe, expect, it } from 'vitest';
import { INSTRUCTOR_COOKIE, LEARNER_COOKIE, openClassroom, type Learner } from '../../sandbox/classroom/classroom.ts';
import { useRealModeServer } from './harness/own-server.ts';

const TOKEN = 'forum-classroom-token-0123456789';
const APP_PASSWORD = 'wxyzabcdefghijkl';
const TEACHER = 'teacher@example.com';

let learnerA: { learner: Learner; cookie: string };
let learnerB: { learner: Learner; cookie: string };
let instructorCookie: string;

/** One browser: its cookies, kept across requests. */
class Visitor {
	readonly jar = new Map<string, string>();

	constructor(cookies: Record<string, string>) {
		for (const [name, value] of Object.entries(cookies)) this.jar.set(name, value);
	}

	async get(path: string): Promise<{ status: number; html: string }> {
		const response = await fetch(new URL(path, realMode.url()), { headers: this.#headers(), redirect: 'manual' });
		this.#keep(response);
		return { status: response.status, html: await response.text() };
	}

	/** Posts the page's form with its hidden fields (CSRF token, submission key) and `fields`. */
	async submit(path: string, fields: Record<string, string>): Promise<{ status: number; html: string; location: string | null }> {
		const page = await this.get(path);
		const body = new URLSearchParams();
		for (const [, name, value] of page.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) body.set(name!, value!);
		for (const [name, value] of Object.entries(fields)) body.set(name, value);
		const response = await fetch(new URL(path, realMode.url()), {
			method: 'POST',
			headers: { ...this.#headers(), 'content-type': 'application/x-www-form-urlencoded', origin: realMode.url().replace(/\/$/, '') },
			body,
			redirect: 'manual',
		});
		this.#keep(response);
		return { status: response.status, html: await response.text(), location: response.headers.get('location') };
	}

	async messages(): Promise<Array<{ subject: string; to: Array<{ address: string }> }>> {
		const response = await fetch(new URL('api/v1/messages', realMode.url()), { headers: this.#headers() });
		expect(response.status).toBe(200);
		return ((await response.json()) as { messages: Array<{ subject: string; to: Array<{ address: string }> }> }).messages;
	}

	#headers(): Record<string, string> {
		return { cookie: [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ') };
	}

	#keep(response: Response): void {
		for (const line of response.headers.getSetCookie()) {
			const [pair] = line.split(';');
			const eq = pair!.indexOf('=');
			this.jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
		}
	}
}

const realMode = useRealModeServer({
	user: TEACHER,
	password: APP_PASSWORD,
	fromEmail: TEACHER,
	env: { SANDBOX_CLASSROOM: 'True', INSTRUCTOR_TOKEN: TOKEN },
	// The class joins before the server starts: the server reads the same learners file and secret.
	async prepare(dataDir) {
		const classroom = await openClassroom({ dataDir, instructorToken: TOKEN, store: () => undefined });
		const a = await classroom.join('Learner A');
		const b = await classroom.join('Learner B');
		learnerA = { learner: a.learner, cookie: a.cookieValue };
		learnerB = { learner: b.learner, cookie: b.cookieValue };
		instructorCookie = (await classroom.instructorLogin(TOKEN))!;
	},
});

describe('the forum of a classroom Postlab', { timeout: 60_000 }, () => {
	it('files a learner’s reset mail in that learner’s inbox only, and never offers or allows them the real server', async () => {
		const a = new Visitor({ [LEARNER_COOKIE]: learnerA.cookie });
		const signedUp = await a.submit('en/sandbox/forum/signup/', { username: 'ann', email: 'ann@example.com', password1: 'tulip-orbit-58', password2: 'tulip-orbit-58' });
		expect(signedUp.status).toBe(303);

		const form = await a.get('en/sandbox/forum/password_reset/');
		expect(form.html).not.toContain('name="route"');
		expect(form.html).not.toContain(TEACHER);
		const real = await a.submit('en/sandbox/forum/password_reset/', { email: 'ann@example.com', route: 'real' });
		expect(real.status).toBe(200);
		expect(realMode.gmail().messages).toEqual([]);

		const sandboxed = await a.submit('en/sandbox/forum/password_reset/', { email: 'ann@example.com' });
		expect(sandboxed.status).toBe(303);
		expect((await a.messages()).map((m) => m.subject)).toContain('Password reset on Postlab');
		const b = new Visitor({ [LEARNER_COOKIE]: learnerB.cookie });
		expect((await b.messages()).some((m) => m.subject === 'Password reset on Postlab')).toBe(false);
		expect(realMode.gmail().messages).toEqual([]);
	});

	it('hides the real server’s settings and its check from learners; the instructor sees them', async () => {
		const a = new Visitor({ [LEARNER_COOKIE]: learnerA.cookie });
		const page = await a.get('en/sandbox/settings/');
		expect(page.status).toBe(200);
		expect(page.html).not.toContain(TEACHER);
		expect(page.html).toContain('data-destination="sandbox"');
		const check = await a.submit('en/sandbox/settings/', {});
		expect(check.status).toBe(403);
		expect(realMode.gmail().authAttempts).toEqual([]);

		const instructor = new Visitor({ [INSTRUCTOR_COOKIE]: instructorCookie });
		expect((await instructor.get('en/sandbox/settings/')).html).toContain(TEACHER);
	});

	it('lets the instructor send a reset through the real server', async () => {
		const instructor = new Visitor({ [INSTRUCTOR_COOKIE]: instructorCookie });
		await instructor.submit('en/sandbox/forum/signup/', { username: 'teacher', email: TEACHER, password1: 'maple-river-93', password2: 'maple-river-93' });
		const form = await instructor.get('en/sandbox/forum/password_reset/');
		expect(form.html).toContain('name="route" value="real"');
		const sent = await instructor.submit('en/sandbox/forum/password_reset/', { email: TEACHER, route: 'real' });
		expect(sent.status).toBe(303);
		const received = await realMode.gmail().nextMessage();
		expect(received.rcptTo).toEqual([TEACHER]);
		expect(received.authUser).toBe(TEACHER);
	});
});
