/**
 * `npm start` refusing a setting, as a learner sees it: the real `node sandbox/main.ts` in a child process
 * (the same Node as the tests), in a Korean and an English terminal. A bad setting stops it before it
 * loads the site or opens a port, so this needs no build.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message, type Lang } from './i18n/messages.ts';

const MAIN = join(import.meta.dirname, 'main.ts');

let dir: string;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'postlab-main-'));
});

afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** The parent's environment without what would change the result: locale, Postlab's and Django's settings. */
function start(extra: Record<string, string>): Promise<Run> {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(LC_|LANG$|HOST$|PORT$|SANDBOX_|INSTRUCTOR_TOKEN$|SECRET_KEY$|EMAIL_|DOTENV_CONFIG_PATH$|npm_)/.test(key)) continue;
		env[key] = value;
	}
	Object.assign(env, { DOTENV_CONFIG_PATH: join(dir, 'no-such.env'), SANDBOX_DATA_DIR: join(dir, 'data') }, extra);
	return new Promise((resolve) => {
		execFile(process.execPath, [MAIN], { env, timeout: 80_000 }, (error, stdout, stderr) => {
			resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
		});
	});
}

function refusal(lang: Lang): string {
	const reason = message(lang, 'config.notAPort', { variable: 'PORT', value: 'abc', lowest: 0, fallback: 4321 });
	return `${message(lang, 'start.cannotStart', { reason })}\n`;
}

// Three child Nodes, each loading the whole sandbox: seconds apiece on a busy two-core machine.
describe('npm start with a bad setting', { timeout: 90_000 }, () => {
	it('says so in Korean when the terminal is Korean', async () => {
		const run = await start({ LANG: 'ko_KR.UTF-8', PORT: 'abc' });
		expect(run).toEqual({ code: 1, stdout: '', stderr: refusal('ko') });
		expect(run.stderr).toMatch(/^Postlab을 시작할 수 없습니다: PORT/);
	});

	it('says so in English otherwise, word for word as before', async () => {
		const run = await start({ LANG: 'C.UTF-8', PORT: 'abc' });
		expect(run).toEqual({ code: 1, stdout: '', stderr: refusal('en') });
		expect(run.stderr).toBe('Postlab cannot start: PORT is "abc", which is not a port. Use a whole number from 0 to 65535 (default 4321).\n');
	});

	it('takes the language from the terminal, not from a LANG in .env', async () => {
		const envPath = join(dir, 'lang.env');
		await writeFile(envPath, 'LANG=ko_KR.UTF-8\nPORT=abc\n');
		const run = await start({ LANG: 'en_US.UTF-8', DOTENV_CONFIG_PATH: envPath });
		expect(run).toEqual({ code: 1, stdout: '', stderr: refusal('en') });
	});
});
