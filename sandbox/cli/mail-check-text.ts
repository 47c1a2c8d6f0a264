/**
 * The words `mail:check` prints, in Korean and English. Problem and error explanations bring their own
 * translations; this holds the frame around them.
 */
import type { Lang } from '../email-settings/problem.ts';

const TEXT = {
	ko: {
		title: 'Postlab 메일 확인',
		envFile: '.env 파일',
		notFound: '없음',
		settings: '실제로 쓰일 설정',
		fromFile: (line: number) => `.env ${line}번째 줄`,
		fromEnvironment: '환경 변수',
		byDefault: 'Django 기본값',
		timeoutByDefault: (s: number) => `Django 기본값: 끝없이 기다림. mail:check와 Postlab은 ${s}초까지 기다림`,
		trustingSandbox: (where: string, certPath: string) => `${where}는 이 컴퓨터의 Postlab 샌드박스입니다. 이번 연결에서는 샌드박스 인증서를 믿습니다: ${certPath}`,
		notSet: '(없음)',
		security: { starttls: 'STARTTLS (EMAIL_USE_TLS=True, 587 방식)', implicit: '처음부터 TLS (EMAIL_USE_SSL=True, 465 방식)', none: '암호화 없음' },
		seconds: (s: number) => `${s}초`,
		problems: (errors: number, warnings: number) => `문제: 오류 ${errors}개, 경고 ${warnings}개`,
		noProblems: '설정에서 문제를 찾지 못했습니다.',
		error: '오류',
		warning: '경고',
		fix: '고치는 법',
		sandbox:
			'EMAIL_HOST가 없어서 메일은 Postlab 샌드박스(로컬 캡처 서버)로 갑니다. 실제 메일을 확인하려면 .env에 EMAIL_HOST=smtp.gmail.com, EMAIL_PORT=587, EMAIL_USE_TLS=True, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD를 쓰세요.',
		stopForErrors: '설정 오류를 먼저 고치세요. 서버에 연결하지 않았습니다.',
		dialogue: (where: string) => `${where}와의 SMTP 대화 (AUTH는 가림)`,
		connected: '연결, TLS, 로그인 모두 성공했습니다.',
		sending: (to: string) => `${to}에게 테스트 메일을 보냅니다.`,
		sent: (response: string) => `서버가 메일을 받았습니다: ${response}`,
		sentGmailNote: 'Gmail이라면 받은편지함(또는 스팸함)을 확인하세요.',
		noTo: '메일은 보내지 않았습니다. 테스트 메일을 보내려면: npm run mail:check -- --to 주소',
		failed: '실패했습니다.',
		what: '무슨 일',
		todo: '할 일',
		check: '확인할 설정',
		reply: '서버의 답',
		subject: 'Postlab 메일 확인',
		body: (host: string, when: string) => `Postlab의 npm run mail:check가 ${host}를 거쳐 보낸 테스트 메일입니다 (${when}). 이 메일이 보이면 .env의 메일 설정이 맞습니다.`,
	},
	en: {
		title: 'Postlab mail check',
		envFile: '.env file',
		notFound: 'not found',
		settings: 'Effective settings',
		fromFile: (line: number) => `.env line ${line}`,
		fromEnvironment: 'environment',
		byDefault: "Django's default",
		timeoutByDefault: (s: number) => `Django's default: waits for ever; mail:check and Postlab wait ${s} s`,
		trustingSandbox: (where: string, certPath: string) => `${where} is this machine's Postlab sandbox; this connection trusts the sandbox's certificate: ${certPath}`,
		notSet: '(not set)',
		security: { starttls: 'STARTTLS (EMAIL_USE_TLS=True, the 587 way)', implicit: 'TLS from the first byte (EMAIL_USE_SSL=True, the 465 way)', none: 'no encryption' },
		seconds: (s: number) => `${s} s`,
		problems: (errors: number, warnings: number) => `Problems: ${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`,
		noProblems: 'No problems found in the settings.',
		error: 'error',
		warning: 'warning',
		fix: 'fix',
		sandbox:
			'No EMAIL_HOST, so mail goes to the Postlab sandbox (the local capture server). To check real mail, put EMAIL_HOST=smtp.gmail.com, EMAIL_PORT=587, EMAIL_USE_TLS=True, EMAIL_HOST_USER and EMAIL_HOST_PASSWORD in .env.',
		stopForErrors: 'Fix the settings errors first; no connection was made.',
		dialogue: (where: string) => `SMTP dialogue with ${where} (AUTH hidden)`,
		connected: 'Connected, TLS and login all succeeded.',
		sending: (to: string) => `Sending a test message to ${to}.`,
		sent: (response: string) => `The server accepted the message: ${response}`,
		sentGmailNote: 'For Gmail, look in the inbox (or the spam folder).',
		noTo: 'No message was sent. To send a test message: npm run mail:check -- --to ADDRESS',
		failed: 'Failed.',
		what: 'what happened',
		todo: 'what to do',
		check: 'settings to check',
		reply: 'server reply',
		subject: 'Postlab mail check',
		body: (host: string, when: string) => `A test message sent by Postlab's npm run mail:check through ${host} (${when}). If you can read this, the mail settings in .env work.`,
	},
} as const;

export type MailCheckText = (typeof TEXT)[Lang];

export function mailCheckText(lang: Lang): MailCheckText {
	return TEXT[lang];
}

export const HELP = `Usage: npm run mail:check -- [--env FILE] [--to ADDRESS] [--lang ko|en]
       node sandbox/cli/mail-check.ts [options]

Checks the email settings in .env (Django's names: EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS,
EMAIL_USE_SSL, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_TIMEOUT, DEFAULT_FROM_EMAIL), prints
them with the password hidden, connects to the server, shows the SMTP dialogue (AUTH hidden) and,
with --to, sends a test message. Variables already in the environment win over the file.

Options:
  --env FILE      the .env file to read (default: DOTENV_CONFIG_PATH, else ./.env)
  --to ADDRESS    also send a test message to ADDRESS
  --lang ko|en    language of the report (default: from LC_ALL/LC_MESSAGES/LANG, else en)
  -h, --help      show this help

With npm, put "--" before the options: npm itself takes "--to" otherwise.
Settings that point at this machine's Postlab sandbox (127.0.0.1 or localhost, its SMTP ports) are
checked against the sandbox's own certificate. To trust another test server's self-signed certificate:
NODE_EXTRA_CA_CERTS=cert.pem

Exit codes: 0 all went well · 1 wrong options · 2 settings error (nothing sent) ·
3 connection or TLS failure · 4 login refused · 5 message refused
`;
