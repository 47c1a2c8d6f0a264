/**
 * Explains why talking to a real SMTP server failed, in Korean and English: what happened, what to do, and
 * which `.env` setting to change. Input is the error nodemailer gives (`code`, `originalCode`, `responseCode`,
 * `response`, `command`); replies are matched by their RFC 5321 code and RFC 3463 enhanced status code, with
 * Gmail's wording (535 5.7.8, 534 5.7.9, 530 5.7.0, 421/454 4.7.0, 550 5.4.5) in mind.
 */
import type { Bilingual } from '../email-settings/problem.ts';
import type { SmtpSecurity } from '../email-settings/email-settings-types.ts';

/** Decides the CLI's exit code: settings that cannot work, a server we could not talk to, a login refused, a message refused. */
export type FailureKind = 'config' | 'connection' | 'tls' | 'auth' | 'rejected';

export interface SmtpExplanation {
	/** Stable id, e.g. `auth-rejected`. */
	id: string;
	kind: FailureKind;
	what: Bilingual;
	todo: Bilingual;
	/** The `.env` variables to look at, most likely first. */
	settings: string[];
	/** The server's reply line, when there was one. */
	reply?: string;
}

/** What the explainer knows about the attempt, to make the advice concrete. */
export interface AttemptContext {
	host?: string;
	port?: number;
	security?: SmtpSecurity;
	gmail?: boolean;
}

/** The fields of a nodemailer error that matter here. */
export interface SmtpErrorFacts {
	code?: string;
	originalCode?: string;
	responseCode?: number;
	response?: string;
	command?: string;
	message: string;
}

export function smtpErrorFacts(error: unknown): SmtpErrorFacts {
	const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
	const text = (key: string): string | undefined => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
	const message = typeof record['message'] === 'string' ? record['message'] : String(error);
	const facts: SmtpErrorFacts = { message };
	const code = text('code');
	const originalCode = text('originalCode');
	const response = text('response');
	const command = text('command');
	if (code !== undefined) facts.code = code;
	if (originalCode !== undefined) facts.originalCode = originalCode;
	if (response !== undefined) facts.response = response.trim();
	if (command !== undefined) facts.command = command;
	const responseCode = typeof record['responseCode'] === 'number' ? record['responseCode'] : Number(/^(\d{3})/.exec(response ?? '')?.[1]);
	if (Number.isInteger(responseCode) && responseCode > 0) facts.responseCode = responseCode;
	return facts;
}

const CERTIFICATE_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_GET_ISSUER_CERT',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function where(context: AttemptContext): string {
	return context.host ? `${context.host}:${context.port ?? '?'}` : 'the server';
}

function whereKo(context: AttemptContext): string {
	return context.host ? `${context.host}:${context.port ?? '?'}` : '서버';
}

/** Maps a nodemailer error to an explanation. Never returns the password: nodemailer's errors do not hold it, and replies are only copied. */
export function explainSmtpError(error: unknown, context: AttemptContext = {}): SmtpExplanation {
	const facts = smtpErrorFacts(error);
	const reply = facts.response;
	const withReply = (explanation: Omit<SmtpExplanation, 'reply'>): SmtpExplanation => (reply ? { ...explanation, reply } : explanation);
	const status = facts.responseCode;
	const enhanced = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})/.exec(reply ?? '')?.[1];
	const lowered = `${facts.message} ${reply ?? ''}`.toLowerCase();
	const low = facts.originalCode ?? facts.code ?? '';

	if (status === 535) {
		return withReply({
			id: 'auth-rejected',
			kind: 'auth',
			what: {
				ko: `서버가 아이디나 비밀번호를 거절했습니다(535${enhanced ? ` ${enhanced}` : ''}). Gmail에서는 앱 비밀번호가 틀렸거나, 삭제(취소)됐거나, 앱 비밀번호 대신 계정 비밀번호를 넣었을 때 이렇게 답합니다.`,
				en: `The server refused the user name or password (535${enhanced ? ` ${enhanced}` : ''}). Gmail answers this when the app password is wrong or was revoked, or when the account password was used instead of an app password.`,
			},
			todo: {
				ko: 'Google 계정 → 보안 → 2단계 인증 → 앱 비밀번호에서 새 앱 비밀번호를 만들어 EMAIL_HOST_PASSWORD에 넣고, EMAIL_HOST_USER가 그 계정의 전체 주소인지 확인하세요.',
				en: 'Create a new app password (Google Account → Security → 2-Step Verification → App passwords), put it in EMAIL_HOST_PASSWORD, and check that EMAIL_HOST_USER is that account\'s full address.',
			},
			settings: ['EMAIL_HOST_PASSWORD', 'EMAIL_HOST_USER'],
		});
	}
	if (status === 534) {
		return withReply({
			id: 'app-password-required',
			kind: 'auth',
			what: {
				ko: `서버가 이 비밀번호로는 로그인할 수 없다고 답했습니다(534${enhanced ? ` ${enhanced}` : ''}). Gmail의 534 5.7.9는 "앱 비밀번호가 필요합니다"라는 뜻입니다. 2단계 인증이 켜진 계정에 계정 비밀번호로 로그인하려 했습니다.`,
				en: `The server says this password cannot be used to log in (534${enhanced ? ` ${enhanced}` : ''}). Gmail's 534 5.7.9 means "application-specific password required": the account has 2-Step Verification and the account password was used.`,
			},
			todo: {
				ko: 'Google 계정 → 보안 → 2단계 인증 → 앱 비밀번호에서 16글자 앱 비밀번호를 만들어 EMAIL_HOST_PASSWORD에 넣으세요. 계정 비밀번호는 SMTP에 쓰지 않습니다.',
				en: 'Create a 16-letter app password (Google Account → Security → 2-Step Verification → App passwords) and put it in EMAIL_HOST_PASSWORD. The account password is never used for SMTP.',
			},
			settings: ['EMAIL_HOST_PASSWORD'],
		});
	}
	if (status === 530 || status === 538) {
		if (lowered.includes('starttls') || status === 538) {
			return withReply({
				id: 'starttls-required',
				kind: 'tls',
				what: {
					ko: `서버가 암호화(STARTTLS)부터 하라고 답했습니다(${status}). 평문 연결에서는 로그인도 메일 전송도 받지 않습니다.`,
					en: `The server asks for encryption (STARTTLS) first (${status}); it takes neither a login nor mail over a plain connection.`,
				},
				todo: {
					ko: 'EMAIL_USE_TLS=True, EMAIL_PORT=587로 두세요(또는 EMAIL_USE_SSL=True, EMAIL_PORT=465).',
					en: 'Set EMAIL_USE_TLS=True with EMAIL_PORT=587 (or EMAIL_USE_SSL=True with EMAIL_PORT=465).',
				},
				settings: ['EMAIL_USE_TLS', 'EMAIL_PORT'],
			});
		}
		return withReply({
			id: 'auth-required',
			kind: 'auth',
			what: {
				ko: `서버가 로그인부터 하라고 답했습니다(530${enhanced ? ` ${enhanced}` : ''}). 로그인(AUTH) 없이 메일을 보내려 했습니다.`,
				en: `The server asks you to log in first (530${enhanced ? ` ${enhanced}` : ''}); mail was sent without logging in (AUTH).`,
			},
			todo: {
				ko: 'EMAIL_HOST_USER와 EMAIL_HOST_PASSWORD를 둘 다 쓰세요. Django는 둘 다 있을 때만 로그인합니다.',
				en: 'Set both EMAIL_HOST_USER and EMAIL_HOST_PASSWORD; Django logs in only when both are set.',
			},
			settings: ['EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD'],
		});
	}
	if (status === 421 || status === 454 || enhanced === '5.4.5' || (enhanced?.startsWith('4.7.') ?? false)) {
		return withReply({
			id: 'rate-limited',
			kind: 'rejected',
			what: {
				ko: `서버가 지금은 받지 않겠다고 답했습니다(${status ?? ''}${enhanced ? ` ${enhanced}` : ''}). 너무 많이 보냈거나 로그인을 너무 자주 시도해 잠시 막힌 것입니다. Gmail은 하루 보내기 한도를 넘으면 550 5.4.5로 답합니다.`,
				en: `The server will not take mail right now (${status ?? ''}${enhanced ? ` ${enhanced}` : ''}): too many messages or login attempts, so it is holding you off for a while. Gmail answers 550 5.4.5 once the daily sending limit is reached.`,
			},
			todo: {
				ko: '설정은 그대로 두고 시간이 지난 뒤 다시 시도하세요. 테스트는 Postlab 샌드박스(EMAIL_HOST를 비움)로 하면 한도를 쓰지 않습니다.',
				en: 'Leave the settings as they are and try again later. Test against the Postlab sandbox (leave EMAIL_HOST empty) so you do not use up the limit.',
			},
			settings: [],
		});
	}
	if (status !== undefined && status >= 500 && (facts.command === 'MAIL FROM' || status === 553)) {
		return withReply({
			id: 'sender-rejected',
			kind: 'rejected',
			what: {
				ko: `서버가 보낸 사람 주소를 거절했습니다(${status}${enhanced ? ` ${enhanced}` : ''}). 로그인한 계정이 그 주소로 보낼 권한이 없습니다.`,
				en: `The server refused the sender address (${status}${enhanced ? ` ${enhanced}` : ''}); the logged-in account may not send as that address.`,
			},
			todo: {
				ko: 'DEFAULT_FROM_EMAIL을 EMAIL_HOST_USER와 같은 주소로 바꾸세요(이름은 자유: \'ForumWithDjango <you@gmail.com>\').',
				en: "Make DEFAULT_FROM_EMAIL the same address as EMAIL_HOST_USER (the display name is free: 'ForumWithDjango <you@gmail.com>').",
			},
			settings: ['DEFAULT_FROM_EMAIL', 'EMAIL_HOST_USER'],
		});
	}
	if (status !== undefined && status >= 500 && facts.command === 'RCPT TO') {
		return withReply({
			id: 'recipient-rejected',
			kind: 'rejected',
			what: {
				ko: `서버가 받는 사람 주소를 거절했습니다(${status}${enhanced ? ` ${enhanced}` : ''}). 주소가 없거나 이 서버가 그 주소로 전달하지 않습니다.`,
				en: `The server refused the recipient address (${status}${enhanced ? ` ${enhanced}` : ''}); the address does not exist or this server will not relay to it.`,
			},
			todo: { ko: '받는 사람 주소(--to)의 철자를 확인하세요.', en: 'Check the spelling of the recipient address (--to).' },
			settings: [],
		});
	}
	if (low === 'ERR_SSL_WRONG_VERSION_NUMBER' || lowered.includes('wrong version number')) {
		return withReply({
			id: 'tls-wrong-version',
			kind: 'tls',
			what: {
				ko: `${whereKo(context)}에 처음부터 TLS로 말했는데(EMAIL_USE_SSL=True), 서버는 평문 인사로 답했습니다("wrong version number"). 이 포트는 평문으로 시작해 STARTTLS로 바꾸는 포트(587 방식)입니다.`,
				en: `Postlab spoke TLS from the first byte to ${where(context)} (EMAIL_USE_SSL=True), but the server answered with a plain-text greeting ("wrong version number"). This port starts in plain text and upgrades with STARTTLS (the 587 way).`,
			},
			todo: {
				ko: 'EMAIL_USE_SSL=False, EMAIL_USE_TLS=True로 바꾸세요. 또는 EMAIL_PORT=465로 바꾸세요.',
				en: 'Change to EMAIL_USE_SSL=False and EMAIL_USE_TLS=True, or change EMAIL_PORT to 465.',
			},
			settings: ['EMAIL_USE_SSL', 'EMAIL_USE_TLS', 'EMAIL_PORT'],
		});
	}
	if (CERTIFICATE_CODES.has(low) || /certificate/.test(lowered)) {
		const altName = low === 'ERR_TLS_CERT_ALTNAME_INVALID';
		return withReply({
			id: altName ? 'certificate-name-mismatch' : 'certificate-untrusted',
			kind: 'tls',
			what: altName
				? {
						ko: `서버 인증서의 이름이 EMAIL_HOST(${context.host ?? ''})와 맞지 않습니다. 주소가 아닌 IP를 썼거나 다른 이름을 썼을 때 이렇게 됩니다.`,
						en: `The server's certificate is not for EMAIL_HOST (${context.host ?? ''}); this happens with an IP address or another name for the server.`,
					}
				: {
						ko: `서버 인증서를 믿을 수 없습니다(${low || 'certificate'}). Gmail 같은 실제 서버라면 백신이나 학교·회사 네트워크가 연결을 가로채고 있을 수 있습니다. Postlab 샌드박스라면 자체 서명 인증서라서 그렇습니다.`,
						en: `The server's certificate is not trusted (${low || 'certificate'}). With a real provider such as Gmail, antivirus software or a school/company network may be intercepting the connection; with the Postlab sandbox, its certificate is self-signed.`,
					},
			todo: altName
				? {
						ko: 'EMAIL_HOST에 인증서에 적힌 이름(예: smtp.gmail.com)을 쓰세요.',
						en: 'Use the name the certificate was made for in EMAIL_HOST (e.g. smtp.gmail.com).',
					}
				: {
						ko: '인증서 확인을 끄지 마세요. 샌드박스라면 그 인증서를 NODE_EXTRA_CA_CERTS(Postlab)와 SSL_CERT_FILE(Django)에 지정하세요. 실제 서버라면 다른 네트워크에서 다시 시도하세요.',
						en: 'Do not turn certificate checks off. For the sandbox, point NODE_EXTRA_CA_CERTS (Postlab) and SSL_CERT_FILE (Django) at its certificate; for a real provider, try from another network.',
					},
			settings: ['EMAIL_HOST'],
		});
	}
	if (facts.code === 'ETIMEDOUT' && /greeting/i.test(facts.message)) {
		// With TLS from the first byte the handshake already worked, so a missing greeting is a slow server.
		const mismatch = context.security !== 'implicit';
		return withReply({
			id: 'greeting-timeout',
			kind: mismatch ? 'tls' : 'connection',
			what: mismatch
				? {
						ko: `${whereKo(context)}에 연결은 됐지만 서버가 인사(220)를 보내지 않았습니다. 처음부터 TLS로 말하는 포트(465 방식)에 평문이나 STARTTLS로 연결하면 양쪽이 서로를 기다리다 이렇게 끝납니다. 드물게는 서버가 너무 느리거나 방화벽이 연결을 붙잡고 있을 때도 그렇습니다.`,
						en: `The connection to ${where(context)} opened, but the server never sent its greeting (220). Connecting in plain text or for STARTTLS to a port that speaks TLS from the first byte (the 465 way) leaves both sides waiting like this. Less often, the server is too slow or a firewall holds the connection.`,
					}
				: {
						ko: `${whereKo(context)}와 TLS 연결은 됐지만 서버가 제한 시간 안에 인사(220)를 보내지 않았습니다. 서버가 너무 느리거나 바쁩니다.`,
						en: `TLS with ${where(context)} worked, but the server did not send its greeting (220) in time: it is too slow or too busy.`,
					},
			todo: mismatch
				? {
						ko: '포트 465라면 EMAIL_USE_SSL=True, EMAIL_USE_TLS=False로 바꾸세요. 아니면 EMAIL_PORT=587과 EMAIL_USE_TLS=True를 쓰세요. 설정이 맞다면 EMAIL_TIMEOUT을 늘려 보세요.',
						en: 'For port 465, set EMAIL_USE_SSL=True and EMAIL_USE_TLS=False; otherwise use EMAIL_PORT=587 with EMAIL_USE_TLS=True. If those are right, raise EMAIL_TIMEOUT.',
					}
				: { ko: '잠시 뒤 다시 시도하거나 EMAIL_TIMEOUT을 늘리세요.', en: 'Try again later, or raise EMAIL_TIMEOUT.' },
			settings: mismatch ? ['EMAIL_USE_SSL', 'EMAIL_USE_TLS', 'EMAIL_PORT', 'EMAIL_TIMEOUT'] : ['EMAIL_TIMEOUT'],
		});
	}
	if (low === 'ECONNREFUSED') {
		return withReply({
			id: 'connection-refused',
			kind: 'connection',
			what: {
				ko: `${whereKo(context)}에서 아무도 듣고 있지 않습니다(연결 거부). 포트 번호가 틀렸거나, 로컬 서버라면 꺼져 있습니다.`,
				en: `Nothing is listening at ${where(context)} (connection refused): the port is wrong, or a local server is not running.`,
			},
			todo: {
				ko: 'EMAIL_HOST와 EMAIL_PORT를 확인하세요(Gmail: smtp.gmail.com, 587). Postlab 샌드박스라면 npm start가 실행 중인지 확인하세요.',
				en: 'Check EMAIL_HOST and EMAIL_PORT (Gmail: smtp.gmail.com, 587). For the Postlab sandbox, check that npm start is running.',
			},
			settings: ['EMAIL_PORT', 'EMAIL_HOST'],
		});
	}
	if (low === 'ENOTFOUND' || low === 'EAI_AGAIN' || facts.code === 'EDNS') {
		const temporary = low === 'EAI_AGAIN';
		return withReply({
			id: temporary ? 'dns-unavailable' : 'dns-not-found',
			kind: 'connection',
			what: temporary
				? {
						ko: `서버 이름(${context.host ?? 'EMAIL_HOST'})을 지금 찾을 수 없습니다(EAI_AGAIN). 인터넷이나 DNS가 잠시 안 되는 상태입니다.`,
						en: `The server name (${context.host ?? 'EMAIL_HOST'}) cannot be looked up right now (EAI_AGAIN): the internet connection or DNS is down.`,
					}
				: {
						ko: `서버 이름(${context.host ?? 'EMAIL_HOST'})이 없습니다(ENOTFOUND). 철자가 틀렸을 가능성이 큽니다.`,
						en: `The server name (${context.host ?? 'EMAIL_HOST'}) does not exist (ENOTFOUND); most likely a typo.`,
					},
			todo: temporary
				? { ko: '인터넷 연결을 확인하고 다시 시도하세요.', en: 'Check the internet connection and try again.' }
				: { ko: 'EMAIL_HOST의 철자를 확인하세요(Gmail: smtp.gmail.com).', en: 'Check the spelling of EMAIL_HOST (Gmail: smtp.gmail.com).' },
			settings: ['EMAIL_HOST'],
		});
	}
	if (facts.code === 'ETIMEDOUT' || low === 'ETIMEDOUT') {
		return withReply({
			id: 'connection-timeout',
			kind: 'connection',
			what: {
				ko: `${whereKo(context)}에 제한 시간 안에 연결하지 못했습니다. 방화벽이나 학교·회사 네트워크가 이 포트를 막고 있거나, 주소가 틀렸습니다.`,
				en: `Could not connect to ${where(context)} in time: a firewall or the school/company network blocks this port, or the address is wrong.`,
			},
			todo: {
				ko: '다른 포트(587 ↔ 465, 그에 맞는 EMAIL_USE_TLS/EMAIL_USE_SSL)나 다른 네트워크(휴대폰 테더링)로 시도하세요. 느린 네트워크라면 EMAIL_TIMEOUT을 늘리세요.',
				en: 'Try the other port (587 ↔ 465, with the matching EMAIL_USE_TLS/EMAIL_USE_SSL) or another network (phone tethering). On a slow network, raise EMAIL_TIMEOUT.',
			},
			settings: ['EMAIL_PORT', 'EMAIL_HOST', 'EMAIL_TIMEOUT'],
		});
	}
	if (facts.code === 'ETLS') {
		return withReply({
			id: 'starttls-failed',
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
		});
	}
	if (facts.code === 'ECONNECTION' || low === 'ECONNRESET' || facts.code === 'ESOCKET') {
		return withReply({
			id: 'connection-closed',
			kind: 'connection',
			what: {
				ko: `${whereKo(context)}와의 연결이 갑자기 끊겼습니다(${low || facts.code}).`,
				en: `The connection to ${where(context)} closed unexpectedly (${low || facts.code}).`,
			},
			todo: {
				ko: 'EMAIL_PORT와 TLS 설정(EMAIL_USE_TLS/EMAIL_USE_SSL)이 서로 맞는지 확인하고 다시 시도하세요.',
				en: 'Check that EMAIL_PORT and the TLS setting (EMAIL_USE_TLS/EMAIL_USE_SSL) match, and try again.',
			},
			settings: ['EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL'],
		});
	}
	if (facts.code === 'EAUTH') {
		return withReply({
			id: 'auth-failed',
			kind: 'auth',
			what: { ko: `로그인에 실패했습니다: ${facts.message}`, en: `Logging in failed: ${facts.message}` },
			todo: {
				ko: 'EMAIL_HOST_USER와 EMAIL_HOST_PASSWORD를 확인하세요.',
				en: 'Check EMAIL_HOST_USER and EMAIL_HOST_PASSWORD.',
			},
			settings: ['EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD'],
		});
	}
	return withReply({
		id: 'unknown',
		kind: status !== undefined ? 'rejected' : 'connection',
		what: { ko: `알 수 없는 오류입니다: ${facts.message}`, en: `Unexpected error: ${facts.message}` },
		todo: {
			ko: '위의 SMTP 대화에서 서버의 마지막 답을 확인하세요.',
			en: "Look at the server's last reply in the SMTP dialogue above.",
		},
		settings: [],
	});
}
