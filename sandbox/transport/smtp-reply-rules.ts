/**
 * What an SMTP reply, or a failure to get one, means, as a table: each row says which replies it explains (reply
 * code, RFC 3463 enhanced status code, text, the step of the conversation) or which connection failure (Node's
 * and nodemailer's error codes), and what to tell the learner in Korean and English. The first row that matches
 * wins, so specific rows stand above general ones. Rows with a `kind` diagnose a failed send (mail:check, the
 * forum, the settings page, the labs); the rest explain a reply in a transcript (the inbox, the SMTP player).
 *
 * Reply codes follow RFC 5321 §4.2, AUTH RFC 4954, STARTTLS RFC 3207; the Gmail replies are the ones Gmail sends
 * (535 5.7.8, 534 5.7.9, 530 5.7.0, 421 4.7.0, 451 4.3.0, 550 5.1.1, 550 5.4.5, 552 5.3.4), as in Google's "Gmail SMTP
 * errors and codes" (https://support.google.com/a/answer/3726730); the sandbox's failure drills (sandbox/drills/)
 * send the same replies and are explained by these rows. Browser-safe: data and
 * small functions, no Node imports.
 */
import type { Bilingual } from '../email-settings/problem.ts';
import type { SmtpSecurity } from '../email-settings/email-settings-types.ts';

/** Decides mail:check's exit code: settings that cannot work, a server we could not talk to, a login refused, a message refused. */
export type FailureKind = 'config' | 'connection' | 'tls' | 'auth' | 'rejected';

/**
 * The step of the conversation a reply answers: the greeting, or the client's last command (`message` is the
 * reply after the message's final dot, `data` the one to the DATA command itself).
 */
export type SmtpStep = 'greeting' | 'ehlo' | 'starttls' | 'auth' | 'mail' | 'rcpt' | 'data' | 'message' | 'quit';

/** What the explainer knows about the attempt, to make the advice concrete. */
export interface AttemptContext {
	host?: string;
	port?: number;
	security?: SmtpSecurity;
	gmail?: boolean;
}

/** A reply, a failure below SMTP, or both, with where in the conversation it happened. */
export interface SmtpSituation {
	reply?: { code: number; enhanced?: string; text: string };
	step?: SmtpStep;
	/** nodemailer's error code (`EAUTH`, `ETIMEDOUT`, …) and Node's underneath it (`ECONNREFUSED`, a certificate code…). */
	error?: { code?: string; lowLevel?: string; message: string };
	context: AttemptContext;
}

export interface SmtpRuleMatch {
	code?: number | readonly number[];
	/** The reply's first digit (RFC 5321 §4.2.1). */
	codeClass?: 2 | 3 | 4 | 5;
	/** An RFC 3463 code such as `5.7.8`, or a pattern for a family of them. */
	enhanced?: string | RegExp;
	/** Tested against the reply text and the error message together, lower-cased. */
	text?: RegExp;
	step?: SmtpStep | readonly SmtpStep[];
	/** nodemailer's or Node's error code, for failures that are not replies. */
	error?: readonly string[];
	/** What the fields above cannot say. */
	when?: (situation: SmtpSituation) => boolean;
}

type Say = Bilingual | ((situation: SmtpSituation) => Bilingual);

export interface SmtpRule {
	/** Stable id, e.g. `auth-rejected` (also what the pages' tests look for). */
	id: string;
	match: SmtpRuleMatch;
	/** Set on rows that diagnose a failed send. */
	kind?: FailureKind;
	what: Say;
	todo?: Say;
	/** The `.env` variables to look at, most likely first. */
	settings?: readonly string[];
	/** The RFC section that defines the reply. */
	ref?: string;
}

const CERTIFICATE_CODES = [
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_GET_ISSUER_CERT',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
];

/** ` 5.7.8` after the code when the reply had an enhanced status code. */
const enhanced = (s: SmtpSituation): string => (s.reply?.enhanced ? ` ${s.reply.enhanced}` : '');
/** `535 5.7.8`, or the code alone. */
const replyCode = (s: SmtpSituation): string => `${s.reply?.code ?? ''}${enhanced(s)}`;
const where = (s: SmtpSituation): string => (s.context.host ? `${s.context.host}:${s.context.port ?? '?'}` : 'the server');
const whereKo = (s: SmtpSituation): string => (s.context.host ? `${s.context.host}:${s.context.port ?? '?'}` : '서버');
const lowLevel = (s: SmtpSituation): string => s.error?.lowLevel ?? s.error?.code ?? '';

const GOOGLE_APP_PASSWORD: Bilingual = {
	ko: 'Google 계정 → 보안 → 2단계 인증 → 앱 비밀번호에서 새 앱 비밀번호를 만들어 EMAIL_HOST_PASSWORD에 넣고, EMAIL_HOST_USER가 그 계정의 전체 주소인지 확인하세요.',
	en: "Create a new app password (Google Account → Security → 2-Step Verification → App passwords), put it in EMAIL_HOST_PASSWORD, and check that EMAIL_HOST_USER is that account's full address.",
};
const TRY_LATER: Bilingual = {
	ko: '설정은 그대로 두고 시간이 지난 뒤 다시 시도하세요. 테스트는 Postlab 샌드박스(EMAIL_HOST를 비움)로 하면 한도를 쓰지 않습니다.',
	en: 'Leave the settings as they are and try again later. Test against the Postlab sandbox (leave EMAIL_HOST empty) so you do not use up the limit.',
};

/** Diagnoses of failed sends: replies first (most specific first), then failures below SMTP. */
const DIAGNOSES: readonly SmtpRule[] = [
	{
		id: 'auth-rejected',
		match: { code: 535 },
		kind: 'auth',
		what: (s) => ({
			ko: `서버가 아이디나 비밀번호를 거절했습니다(${replyCode(s)}). Gmail에서는 앱 비밀번호가 틀렸거나, 삭제(취소)됐거나, 앱 비밀번호 대신 계정 비밀번호를 넣었을 때 이렇게 답합니다.`,
			en: `The server refused the user name or password (${replyCode(s)}). Gmail answers this when the app password is wrong or was revoked, or when the account password was used instead of an app password.`,
		}),
		todo: GOOGLE_APP_PASSWORD,
		settings: ['EMAIL_HOST_PASSWORD', 'EMAIL_HOST_USER'],
		ref: 'RFC 4954 §6',
	},
	{
		id: 'app-password-required',
		match: { code: 534 },
		kind: 'auth',
		what: (s) => ({
			ko: `서버가 이 비밀번호로는 로그인할 수 없다고 답했습니다(${replyCode(s)}). Gmail의 534 5.7.9는 "앱 비밀번호가 필요합니다"라는 뜻입니다. 2단계 인증이 켜진 계정에 계정 비밀번호로 로그인하려 했습니다.`,
			en: `The server says this password cannot be used to log in (${replyCode(s)}). Gmail's 534 5.7.9 means "application-specific password required": the account has 2-Step Verification and the account password was used.`,
		}),
		todo: {
			ko: 'Google 계정 → 보안 → 2단계 인증 → 앱 비밀번호에서 16글자 앱 비밀번호를 만들어 EMAIL_HOST_PASSWORD에 넣으세요. 계정 비밀번호는 SMTP에 쓰지 않습니다.',
			en: 'Create a 16-letter app password (Google Account → Security → 2-Step Verification → App passwords) and put it in EMAIL_HOST_PASSWORD. The account password is never used for SMTP.',
		},
		settings: ['EMAIL_HOST_PASSWORD'],
		ref: 'RFC 4954 §6',
	},
	{
		id: 'starttls-required',
		match: { code: [530, 538], when: (s) => s.reply?.code === 538 || /starttls/i.test(`${s.reply?.text ?? ''} ${s.error?.message ?? ''}`) },
		kind: 'tls',
		what: (s) => ({
			ko: `서버가 암호화(STARTTLS)부터 하라고 답했습니다(${replyCode(s)}). 평문 연결에서는 로그인도 메일 전송도 받지 않습니다.`,
			en: `The server asks for encryption (STARTTLS) first (${replyCode(s)}); it takes neither a login nor mail over a plain connection.`,
		}),
		todo: {
			ko: 'EMAIL_USE_TLS=True, EMAIL_PORT=587로 두세요(또는 EMAIL_USE_SSL=True, EMAIL_PORT=465).',
			en: 'Set EMAIL_USE_TLS=True with EMAIL_PORT=587 (or EMAIL_USE_SSL=True with EMAIL_PORT=465).',
		},
		settings: ['EMAIL_USE_TLS', 'EMAIL_PORT'],
		ref: 'RFC 3207 §4',
	},
	{
		id: 'auth-required',
		match: { code: 530 },
		kind: 'auth',
		what: (s) => ({
			ko: `서버가 로그인부터 하라고 답했습니다(${replyCode(s)}). 로그인(AUTH) 없이 메일을 보내려 했습니다.`,
			en: `The server asks you to log in first (${replyCode(s)}); mail was sent without logging in (AUTH).`,
		}),
		todo: {
			ko: 'EMAIL_HOST_USER와 EMAIL_HOST_PASSWORD를 둘 다 쓰세요. Django는 둘 다 있을 때만 로그인합니다.',
			en: 'Set both EMAIL_HOST_USER and EMAIL_HOST_PASSWORD; Django logs in only when both are set.',
		},
		settings: ['EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD'],
		ref: 'RFC 4954 §6',
	},
	{
		id: 'daily-limit',
		// Gmail's 550 5.4.5 "Daily user sending limit exceeded" (RFC 3463 X.4.5, congestion, used by Gmail for its quota).
		match: { enhanced: '5.4.5' },
		kind: 'rejected',
		what: (s) => ({
			ko: `하루 보내기 한도에 닿았습니다(${replyCode(s)}). Gmail은 계정마다 하루(24시간)에 보낼 수 있는 메일 수를 제한하고, 한도를 넘으면 로그인은 받아도 메일은 받지 않습니다. 설정이 틀린 것이 아닙니다.`,
			en: `The daily sending limit has been reached (${replyCode(s)}). Gmail limits how many messages an account may send in a day (24 hours); past it, the login still works but mail is refused. Nothing is wrong with the settings.`,
		}),
		todo: {
			ko: '최대 24시간 뒤에 다시 보내세요. 연습과 테스트는 Postlab 샌드박스(EMAIL_HOST를 비움)로 하면 한도를 쓰지 않습니다.',
			en: 'Send again once up to 24 hours have passed. Practise and test against the Postlab sandbox (leave EMAIL_HOST empty) so you do not use up the limit.',
		},
		settings: [],
		ref: 'RFC 3463 §3.5',
	},
	{
		id: 'rate-limited',
		// 421 4.7.0 and 454 4.7.0: too many connections or logins for now; 550 5.4.5: Gmail's daily sending limit.
		match: { when: (s) => s.reply?.code === 421 || s.reply?.code === 454 || s.reply?.enhanced === '5.4.5' || (s.reply?.enhanced?.startsWith('4.7.') ?? false) },
		kind: 'rejected',
		what: (s) => ({
			ko: `서버가 지금은 받지 않겠다고 답했습니다(${replyCode(s)}). 너무 많이 보냈거나 로그인을 너무 자주 시도해 잠시 막힌 것입니다. Gmail은 하루 보내기 한도를 넘으면 550 5.4.5로 답합니다.`,
			en: `The server will not take mail right now (${replyCode(s)}): too many messages or login attempts, so it is holding you off for a while. Gmail answers 550 5.4.5 once the daily sending limit is reached.`,
		}),
		todo: TRY_LATER,
		settings: [],
		ref: 'RFC 3463 §3.8',
	},
	{
		id: 'server-busy',
		// Gmail's 451 4.3.0: a problem on the server's side; the same message goes through later.
		match: { code: 451 },
		kind: 'rejected',
		what: (s) => ({
			ko: `서버에 일시적인 문제가 있어 메일을 받지 않았습니다(${replyCode(s)}). 설정이 틀린 것이 아닙니다.`,
			en: `The server had a temporary problem and did not take the message (${replyCode(s)}). Nothing is wrong with the settings.`,
		}),
		todo: { ko: '몇 분 뒤 같은 메일을 다시 보내 보세요.', en: 'Send the same message again in a few minutes.' },
		settings: [],
		ref: 'RFC 5321 §4.2.1',
	},
	{
		id: 'message-too-large',
		// 552 at MAIL FROM (the SIZE= it announced) or after the data; Gmail says 552 5.3.4.
		match: { when: (s) => s.reply?.code === 552 || s.reply?.enhanced === '5.3.4' },
		kind: 'rejected',
		what: (s) => ({
			ko: `서버가 메일이 너무 커서 받지 않았습니다(${replyCode(s)}). 서버가 받는 크기는 EHLO 답의 SIZE에 나옵니다.`,
			en: `The server refused the message as too large (${replyCode(s)}). The largest size it takes is in its EHLO reply (SIZE).`,
		}),
		todo: { ko: '첨부 파일을 줄이거나, 큰 파일은 링크로 보내세요.', en: 'Attach less, or share large files as a link.' },
		settings: [],
		ref: 'RFC 1870 §6',
	},
	{
		id: 'recipient-unknown',
		// Gmail's 550 5.1.1 "The email account that you tried to reach does not exist."
		match: { enhanced: /^5\.1\.(1|10)$/ },
		kind: 'rejected',
		what: (s) => ({
			ko: `받는 사람 주소가 없습니다(${replyCode(s)}). 그 메일 서버에 이런 계정이 없습니다.`,
			en: `The recipient address does not exist (${replyCode(s)}): the mail server has no such account.`,
		}),
		todo: { ko: '받는 사람 주소(--to)의 철자를 확인하세요.', en: 'Check the spelling of the recipient address (--to).' },
		settings: [],
		ref: 'RFC 3463 §3.2',
	},
	{
		id: 'sender-rejected',
		// 503 at MAIL is a command out of order (MAIL before EHLO, twice in one transaction), not a refused sender.
		match: { codeClass: 5, when: (s) => (s.step === 'mail' && s.reply?.code !== 503) || s.reply?.code === 553 },
		kind: 'rejected',
		what: (s) => ({
			ko: `서버가 보낸 사람 주소를 거절했습니다(${replyCode(s)}). 로그인한 계정이 그 주소로 보낼 권한이 없습니다.`,
			en: `The server refused the sender address (${replyCode(s)}); the logged-in account may not send as that address.`,
		}),
		todo: {
			ko: "DEFAULT_FROM_EMAIL을 EMAIL_HOST_USER와 같은 주소로 바꾸세요(이름은 자유: 'ForumWithDjango <you@gmail.com>').",
			en: "Make DEFAULT_FROM_EMAIL the same address as EMAIL_HOST_USER (the display name is free: 'ForumWithDjango <you@gmail.com>').",
		},
		settings: ['DEFAULT_FROM_EMAIL', 'EMAIL_HOST_USER'],
		ref: 'RFC 5321 §4.2.2',
	},
	{
		id: 'recipient-rejected',
		// 503 at RCPT is RCPT before MAIL (bad sequence, reply-503 below), not a refused address.
		match: { codeClass: 5, step: 'rcpt', when: (s) => s.reply?.code !== 503 },
		kind: 'rejected',
		what: (s) => ({
			ko: `서버가 받는 사람 주소를 거절했습니다(${replyCode(s)}). 주소가 없거나 이 서버가 그 주소로 전달하지 않습니다.`,
			en: `The server refused the recipient address (${replyCode(s)}); the address does not exist or this server will not relay to it.`,
		}),
		todo: { ko: '받는 사람 주소(--to)의 철자를 확인하세요.', en: 'Check the spelling of the recipient address (--to).' },
		settings: [],
		ref: 'RFC 5321 §4.2.2',
	},
	{
		id: 'tls-wrong-version',
		match: { when: (s) => lowLevel(s) === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(s.error?.message ?? '') },
		kind: 'tls',
		what: (s) => ({
			ko: `${whereKo(s)}에 처음부터 TLS로 말했는데(EMAIL_USE_SSL=True), 서버는 평문 인사로 답했습니다("wrong version number"). 이 포트는 평문으로 시작해 STARTTLS로 바꾸는 포트(587 방식)입니다.`,
			en: `Postlab spoke TLS from the first byte to ${where(s)} (EMAIL_USE_SSL=True), but the server answered with a plain-text greeting ("wrong version number"). This port starts in plain text and upgrades with STARTTLS (the 587 way).`,
		}),
		todo: {
			ko: 'EMAIL_USE_SSL=False, EMAIL_USE_TLS=True로 바꾸세요. 또는 EMAIL_PORT=465로 바꾸세요.',
			en: 'Change to EMAIL_USE_SSL=False and EMAIL_USE_TLS=True, or change EMAIL_PORT to 465.',
		},
		settings: ['EMAIL_USE_SSL', 'EMAIL_USE_TLS', 'EMAIL_PORT'],
	},
	{
		id: 'certificate-name-mismatch',
		match: { error: ['ERR_TLS_CERT_ALTNAME_INVALID'] },
		kind: 'tls',
		what: (s) => ({
			ko: `서버 인증서의 이름이 EMAIL_HOST(${s.context.host ?? ''})와 맞지 않습니다. 주소가 아닌 IP를 썼거나 다른 이름을 썼을 때 이렇게 됩니다.`,
			en: `The server's certificate is not for EMAIL_HOST (${s.context.host ?? ''}); this happens with an IP address or another name for the server.`,
		}),
		todo: { ko: 'EMAIL_HOST에 인증서에 적힌 이름(예: smtp.gmail.com)을 쓰세요.', en: 'Use the name the certificate was made for in EMAIL_HOST (e.g. smtp.gmail.com).' },
		settings: ['EMAIL_HOST'],
	},
	{
		id: 'certificate-untrusted',
		match: { when: (s) => CERTIFICATE_CODES.includes(lowLevel(s)) || /certificate/i.test(s.error?.message ?? '') },
		kind: 'tls',
		what: (s) => ({
			ko: `서버 인증서를 믿을 수 없습니다(${lowLevel(s) || 'certificate'}). Gmail 같은 실제 서버라면 백신이나 학교·회사 네트워크가 연결을 가로채고 있을 수 있습니다. Postlab 샌드박스라면 자체 서명 인증서라서 그렇습니다.`,
			en: `The server's certificate is not trusted (${lowLevel(s) || 'certificate'}). With a real provider such as Gmail, antivirus software or a school/company network may be intercepting the connection; with the Postlab sandbox, its certificate is self-signed.`,
		}),
		todo: {
			ko: '인증서 확인을 끄지 마세요. 샌드박스라면 그 인증서를 NODE_EXTRA_CA_CERTS(Postlab)와 SSL_CERT_FILE(Django)에 지정하세요. 실제 서버라면 다른 네트워크에서 다시 시도하세요.',
			en: 'Do not turn certificate checks off. For the sandbox, point NODE_EXTRA_CA_CERTS (Postlab) and SSL_CERT_FILE (Django) at its certificate; for a real provider, try from another network.',
		},
		settings: ['EMAIL_HOST'],
	},
	{
		id: 'greeting-timeout',
		// With TLS from the first byte the handshake already worked, so a missing greeting is a slow server.
		match: { error: ['ETIMEDOUT'], text: /greeting/, when: (s) => s.context.security !== 'implicit' },
		kind: 'tls',
		what: (s) => ({
			ko: `${whereKo(s)}에 연결은 됐지만 서버가 인사(220)를 보내지 않았습니다. 처음부터 TLS로 말하는 포트(465 방식)에 평문이나 STARTTLS로 연결하면 양쪽이 서로를 기다리다 이렇게 끝납니다. 드물게는 서버가 너무 느리거나 방화벽이 연결을 붙잡고 있을 때도 그렇습니다.`,
			en: `The connection to ${where(s)} opened, but the server never sent its greeting (220). Connecting in plain text or for STARTTLS to a port that speaks TLS from the first byte (the 465 way) leaves both sides waiting like this. Less often, the server is too slow or a firewall holds the connection.`,
		}),
		todo: {
			ko: '포트 465라면 EMAIL_USE_SSL=True, EMAIL_USE_TLS=False로 바꾸세요. 아니면 EMAIL_PORT=587과 EMAIL_USE_TLS=True를 쓰세요. 설정이 맞다면 EMAIL_TIMEOUT을 늘려 보세요.',
			en: 'For port 465, set EMAIL_USE_SSL=True and EMAIL_USE_TLS=False; otherwise use EMAIL_PORT=587 with EMAIL_USE_TLS=True. If those are right, raise EMAIL_TIMEOUT.',
		},
		settings: ['EMAIL_USE_SSL', 'EMAIL_USE_TLS', 'EMAIL_PORT', 'EMAIL_TIMEOUT'],
	},
	{
		id: 'greeting-timeout',
		match: { error: ['ETIMEDOUT'], text: /greeting/ },
		kind: 'connection',
		what: (s) => ({
			ko: `${whereKo(s)}와 TLS 연결은 됐지만 서버가 제한 시간 안에 인사(220)를 보내지 않았습니다. 서버가 너무 느리거나 바쁩니다.`,
			en: `TLS with ${where(s)} worked, but the server did not send its greeting (220) in time: it is too slow or too busy.`,
		}),
		todo: { ko: '잠시 뒤 다시 시도하거나 EMAIL_TIMEOUT을 늘리세요.', en: 'Try again later, or raise EMAIL_TIMEOUT.' },
		settings: ['EMAIL_TIMEOUT'],
	},
	{
		id: 'connection-refused',
		match: { error: ['ECONNREFUSED'] },
		kind: 'connection',
		what: (s) => ({
			ko: `${whereKo(s)}에서 아무도 듣고 있지 않습니다(연결 거부). 포트 번호가 틀렸거나, 로컬 서버라면 꺼져 있습니다.`,
			en: `Nothing is listening at ${where(s)} (connection refused): the port is wrong, or a local server is not running.`,
		}),
		todo: {
			ko: 'EMAIL_HOST와 EMAIL_PORT를 확인하세요(Gmail: smtp.gmail.com, 587). Postlab 샌드박스라면 npm start가 실행 중인지 확인하세요.',
			en: 'Check EMAIL_HOST and EMAIL_PORT (Gmail: smtp.gmail.com, 587). For the Postlab sandbox, check that npm start is running.',
		},
		settings: ['EMAIL_PORT', 'EMAIL_HOST'],
	},
	{
		id: 'dns-unavailable',
		match: { error: ['EAI_AGAIN'] },
		kind: 'connection',
		what: (s) => ({
			ko: `서버 이름(${s.context.host ?? 'EMAIL_HOST'})을 지금 찾을 수 없습니다(EAI_AGAIN). 인터넷이나 DNS가 잠시 안 되는 상태입니다.`,
			en: `The server name (${s.context.host ?? 'EMAIL_HOST'}) cannot be looked up right now (EAI_AGAIN): the internet connection or DNS is down.`,
		}),
		todo: { ko: '인터넷 연결을 확인하고 다시 시도하세요.', en: 'Check the internet connection and try again.' },
		settings: ['EMAIL_HOST'],
	},
	{
		id: 'dns-not-found',
		match: { error: ['ENOTFOUND', 'EDNS'] },
		kind: 'connection',
		what: (s) => ({
			ko: `서버 이름(${s.context.host ?? 'EMAIL_HOST'})이 없습니다(ENOTFOUND). 철자가 틀렸을 가능성이 큽니다.`,
			en: `The server name (${s.context.host ?? 'EMAIL_HOST'}) does not exist (ENOTFOUND); most likely a typo.`,
		}),
		todo: { ko: 'EMAIL_HOST의 철자를 확인하세요(Gmail: smtp.gmail.com).', en: 'Check the spelling of EMAIL_HOST (Gmail: smtp.gmail.com).' },
		settings: ['EMAIL_HOST'],
	},
	{
		id: 'connection-timeout',
		match: { error: ['ETIMEDOUT'] },
		kind: 'connection',
		what: (s) => ({
			ko: `${whereKo(s)}에 제한 시간 안에 연결하지 못했습니다. 방화벽이나 학교·회사 네트워크가 이 포트를 막고 있거나, 주소가 틀렸습니다.`,
			en: `Could not connect to ${where(s)} in time: a firewall or the school/company network blocks this port, or the address is wrong.`,
		}),
		todo: {
			ko: '다른 포트(587 ↔ 465, 그에 맞는 EMAIL_USE_TLS/EMAIL_USE_SSL)나 다른 네트워크(휴대폰 테더링)로 시도하세요. 느린 네트워크라면 EMAIL_TIMEOUT을 늘리세요.',
			en: 'Try the other port (587 ↔ 465, with the matching EMAIL_USE_TLS/EMAIL_USE_SSL) or another network (phone tethering). On a slow network, raise EMAIL_TIMEOUT.',
		},
		settings: ['EMAIL_PORT', 'EMAIL_HOST', 'EMAIL_TIMEOUT'],
	},
	{
		id: 'starttls-failed',
		match: { error: ['ETLS'] },
		kind: 'tls',
		what: {
			ko: 'STARTTLS로 암호화를 시작하지 못했습니다. 서버가 STARTTLS를 제공하지 않거나 도중에 연결을 끊었습니다.',
			en: 'Encryption could not be started with STARTTLS: the server does not offer it, or closed the connection during the upgrade.',
		},
		todo: {
			ko: '서버 안내에서 TLS 방식을 확인하세요. 465 포트라면 EMAIL_USE_SSL=True, EMAIL_USE_TLS=False입니다.',
			en: "Check the provider's instructions for the TLS mode; for port 465 use EMAIL_USE_SSL=True and EMAIL_USE_TLS=False.",
		},
		settings: ['EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'EMAIL_PORT'],
	},
	{
		id: 'connection-closed',
		match: { error: ['ECONNECTION', 'ECONNRESET', 'ESOCKET'] },
		kind: 'connection',
		what: (s) => ({
			ko: `${whereKo(s)}와의 연결이 갑자기 끊겼습니다(${lowLevel(s)}).`,
			en: `The connection to ${where(s)} closed unexpectedly (${lowLevel(s)}).`,
		}),
		todo: {
			ko: 'EMAIL_PORT와 TLS 설정(EMAIL_USE_TLS/EMAIL_USE_SSL)이 서로 맞는지 확인하고 다시 시도하세요.',
			en: 'Check that EMAIL_PORT and the TLS setting (EMAIL_USE_TLS/EMAIL_USE_SSL) match, and try again.',
		},
		settings: ['EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL'],
	},
	{
		id: 'auth-failed',
		match: { error: ['EAUTH'] },
		kind: 'auth',
		what: (s) => ({ ko: `로그인에 실패했습니다: ${s.error?.message ?? ''}`, en: `Logging in failed: ${s.error?.message ?? ''}` }),
		todo: { ko: 'EMAIL_HOST_USER와 EMAIL_HOST_PASSWORD를 확인하세요.', en: 'Check EMAIL_HOST_USER and EMAIL_HOST_PASSWORD.' },
		settings: ['EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD'],
	},
];

/** What a reply means when nothing went wrong, or when no diagnosis above fits (RFC 5321 §4.2.2 and friends). */
const MEANINGS: readonly SmtpRule[] = [
	{ id: 'reply-220-starttls', match: { code: 220, step: 'starttls' }, what: { ko: 'TLS를 시작하세요: 이 답 다음부터 연결이 암호화됩니다.', en: 'Go ahead with TLS: from here on, the connection is encrypted.' }, ref: 'RFC 3207 §4' },
	{ id: 'reply-220', match: { code: 220 }, what: { ko: '서비스 준비 완료: 서버의 첫인사입니다.', en: 'Service ready: the server greets the client.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-221', match: { code: 221 }, what: { ko: '연결을 닫습니다. 안녕히 가세요.', en: 'Closing the connection. Goodbye.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-235', match: { code: 235 }, what: { ko: '인증 성공: 사용자와 비밀번호가 받아들여졌습니다.', en: 'Authentication succeeded: the user and password were accepted.' }, ref: 'RFC 4954 §6' },
	{ id: 'reply-250-message', match: { code: 250, step: 'message' }, what: { ko: '메일을 받았습니다: 이제 서버가 이 메일을 책임집니다.', en: 'Message accepted: the server has taken responsibility for it.' }, ref: 'RFC 5321 §4.1.1.4' },
	{ id: 'reply-250', match: { code: 250 }, what: { ko: '정상 처리: 명령이 성공했습니다.', en: 'OK: the command worked.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-251', match: { code: 251 }, what: { ko: '이 서버의 사용자가 아니지만 전달하겠습니다.', en: 'User not local; the server will forward the message.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-334', match: { code: 334 }, what: { ko: '인증을 이어갑니다: 서버가 다음 값(base64)을 요청합니다. 예: 사용자 이름, 비밀번호.', en: 'Authentication continues: the server asks for the next piece (base64), e.g. the user name or the password.' }, ref: 'RFC 4954 §4' },
	{ id: 'reply-354', match: { code: 354 }, what: { ko: '메일 본문을 보내세요. 점(.) 하나만 있는 줄로 끝내면 됩니다.', en: 'Start the message: send it now and end with a line holding a single dot.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-421', match: { code: 421 }, what: { ko: '서비스를 쓸 수 없어 연결을 닫습니다(대개 대기 시간 초과나 연결 과다). 나중에 다시 시도하세요.', en: 'Service not available: the server is closing the connection (often an idle timeout or too many connections). Try again later.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-450', match: { code: 450 }, what: { ko: '지금은 메일함을 쓸 수 없습니다. 나중에 다시 시도하세요.', en: 'Mailbox unavailable for now; try again later.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-451', match: { code: 451 }, what: { ko: '서버 내부 오류로 처리하지 못했습니다. 나중에 다시 시도하세요.', en: 'Local error in processing; the message was not taken. Try again later.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-452', match: { code: 452 }, what: { ko: '저장 공간이 부족하거나 받는 사람이 너무 많습니다.', en: 'Insufficient storage or too many recipients for now.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-500', match: { code: 500 }, what: { ko: '문법 오류: 서버가 명령을 이해하지 못했습니다.', en: 'Syntax error: the server did not understand the command.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-501', match: { code: 501 }, what: { ko: '인자 문법 오류입니다. 예: 주소 형식이 잘못됨.', en: 'Syntax error in the parameters, e.g. a malformed address.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-502', match: { code: 502 }, what: { ko: '이 서버가 지원하지 않는 명령입니다.', en: 'Command not implemented by this server.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-503', match: { code: 503 }, what: { ko: '명령 순서가 잘못되었습니다. 예: MAIL FROM 전에 RCPT TO.', en: 'Bad sequence of commands, e.g. RCPT TO before MAIL FROM.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-504', match: { code: 504 }, what: { ko: '지원하지 않는 인자입니다. 예: 모르는 AUTH 방식.', en: 'Command parameter not implemented, e.g. an unknown AUTH mechanism.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-550', match: { code: 550 }, what: { ko: '메일함을 쓸 수 없습니다. 주소가 없거나 메일이 거부되었습니다.', en: 'Mailbox unavailable: the address does not exist or the message was refused.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-553', match: { code: 553 }, what: { ko: '쓸 수 없는 메일 주소입니다. 예: 형식이 잘못된 주소.', en: 'Mailbox name not allowed, e.g. a malformed address.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'reply-554', match: { code: 554 }, what: { ko: '처리에 실패했습니다.', en: 'Transaction failed.' }, ref: 'RFC 5321 §4.2.2' },
	{ id: 'class-2', match: { codeClass: 2 }, what: { ko: '성공.', en: 'Success.' }, ref: 'RFC 5321 §4.2.1' },
	{ id: 'class-3', match: { codeClass: 3 }, what: { ko: '계속: 서버가 다음 내용을 기다립니다.', en: 'Go on: the server waits for more.' }, ref: 'RFC 5321 §4.2.1' },
	{ id: 'class-4', match: { codeClass: 4 }, what: { ko: '일시적 실패: 나중에 다시 시도하면 될 수 있습니다.', en: 'Temporary failure: trying again later may work.' }, ref: 'RFC 5321 §4.2.1' },
	{ id: 'class-5', match: { codeClass: 5 }, what: { ko: '영구적 실패: 같은 명령은 다시 실패합니다.', en: 'Permanent failure: the same command will fail again.' }, ref: 'RFC 5321 §4.2.1' },
];

/** Every row, diagnoses first; the first that matches a situation explains it. */
export const SMTP_REPLY_RULES: readonly SmtpRule[] = [...DIAGNOSES, ...MEANINGS];
