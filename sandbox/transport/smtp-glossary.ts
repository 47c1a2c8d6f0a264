/**
 * What the client's SMTP commands and the EHLO keywords of a server's reply mean, for the transcript views (the
 * inbox, the SMTP player). Commands follow RFC 5321 §4.1 (plus STARTTLS, RFC 3207, and AUTH, RFC 4954); each
 * keyword names the RFC of its extension. Replies are explained by smtp-reply-explainer.ts. Browser-safe: data only.
 */
import type { Lang } from '../email-settings/problem.ts';
import type { LineExplanation } from './smtp-reply-explainer.ts';

interface Explanation {
	ko: string;
	en: string;
	/** The section of the RFC that defines it. */
	ref: string;
}

const COMMANDS: Record<string, Explanation> = {
	EHLO: {
		en: 'The client says hello and gives its name; the server answers with the extensions it supports (STARTTLS, AUTH, SIZE…).',
		ko: '클라이언트가 인사하며 자기 이름을 알립니다. 서버는 지원하는 확장 기능(STARTTLS, AUTH, SIZE 등)을 목록으로 답합니다.',
		ref: 'RFC 5321 §4.1.1.1',
	},
	HELO: {
		en: 'The old hello, without extensions. Modern clients use EHLO.',
		ko: '확장 기능 없이 인사하는 옛 방식입니다. 요즘 클라이언트는 EHLO를 씁니다.',
		ref: 'RFC 5321 §4.1.1.1',
	},
	STARTTLS: {
		en: 'The client asks to switch this same connection to TLS. After the handshake everything, including the password, is encrypted. This is what EMAIL_USE_TLS = True does on port 587.',
		ko: '지금 연결을 그대로 TLS 암호화 연결로 바꾸자고 요청합니다. 핸드셰이크 후에는 비밀번호를 포함한 모든 내용이 암호화됩니다. 587 포트에서 EMAIL_USE_TLS = True가 하는 일입니다.',
		ref: 'RFC 3207 §4',
	},
	AUTH: {
		en: 'The client logs in (EMAIL_HOST_USER and EMAIL_HOST_PASSWORD). PLAIN and LOGIN only base64-encode the password, which is why TLS must come first. Postlab never shows the payload.',
		ko: '클라이언트가 로그인합니다(EMAIL_HOST_USER, EMAIL_HOST_PASSWORD). PLAIN과 LOGIN은 비밀번호를 base64로 바꿀 뿐 암호화하지 않으므로 TLS가 먼저여야 합니다. Postlab은 이 내용을 보여 주지 않습니다.',
		ref: 'RFC 4954 §4',
	},
	'MAIL FROM': {
		en: 'Starts a message and gives the envelope sender: where bounces go. It can differ from the From: header the reader sees.',
		ko: '메일 한 통을 시작하며 봉투의 보내는 사람(반송 주소)을 알립니다. 읽는 사람이 보는 From: 헤더와 다를 수 있습니다.',
		ref: 'RFC 5321 §4.1.1.2',
	},
	'RCPT TO': {
		en: 'Names one envelope recipient. One RCPT TO per recipient, Cc and Bcc included; Bcc exists only here, never in the headers.',
		ko: '봉투의 받는 사람 한 명을 알립니다. 받는 사람마다(참조, 숨은참조 포함) 한 번씩 보냅니다. 숨은참조는 헤더에는 없고 여기에만 있습니다.',
		ref: 'RFC 5321 §4.1.1.3',
	},
	DATA: {
		en: 'The client is ready to send the message itself: headers, a blank line, the body, and a line with a single dot to finish.',
		ko: '이제 메일 본문을 보내겠다는 뜻입니다. 헤더, 빈 줄, 본문을 보내고 점(.) 하나만 있는 줄로 끝냅니다.',
		ref: 'RFC 5321 §4.1.1.4',
	},
	BDAT: {
		en: 'Sends the message in sized chunks instead of DATA (CHUNKING).',
		ko: 'DATA 대신 크기를 정한 조각으로 메일을 보냅니다(CHUNKING).',
		ref: 'RFC 3030 §2',
	},
	RSET: {
		en: 'Forget the message in progress and start over on the same connection.',
		ko: '진행 중이던 메일을 버리고 같은 연결에서 처음부터 다시 시작합니다.',
		ref: 'RFC 5321 §4.1.1.5',
	},
	NOOP: {
		en: 'Does nothing; clients use it to check the connection is still alive.',
		ko: '아무 일도 하지 않습니다. 연결이 살아 있는지 확인할 때 씁니다.',
		ref: 'RFC 5321 §4.1.1.9',
	},
	VRFY: {
		en: 'Asks whether an address exists. Most servers refuse to say, to stop address harvesting.',
		ko: '주소가 있는지 묻습니다. 주소 수집을 막으려고 대부분의 서버는 답하지 않습니다.',
		ref: 'RFC 5321 §4.1.1.6',
	},
	QUIT: {
		en: 'The client says goodbye; the server answers 221 and closes the connection.',
		ko: '클라이언트가 작별 인사를 합니다. 서버는 221로 답하고 연결을 닫습니다.',
		ref: 'RFC 5321 §4.1.1.10',
	},
};

/** Explains a client command line, or returns null when it is not one we know (e.g. garbage). */
export function explainCommand(line: string, lang: Lang): LineExplanation | null {
	const upper = line.trimStart().toUpperCase();
	// Two-word commands first, so "MAIL FROM" is not read as an unknown "MAIL".
	const term = Object.keys(COMMANDS)
		.sort((a, b) => b.length - a.length)
		.find((name) => upper === name || upper.startsWith(`${name} `) || upper.startsWith(`${name}:`));
	if (!term) return null;
	const entry = COMMANDS[term]!;
	return { term, text: entry[lang], ref: entry.ref };
}

/** What each EHLO keyword the server lists offers (RFC 5321 §4.1.1.1 lists one per `250-` line). */
const EXTENSIONS: Record<string, Explanation> = {
	STARTTLS: {
		en: 'The server offers to switch this connection to TLS. Django with EMAIL_USE_TLS = True asks for it next.',
		ko: '서버가 이 연결을 TLS로 바꿀 수 있다고 알립니다. EMAIL_USE_TLS = True인 Django는 다음에 이것을 요청합니다.',
		ref: 'RFC 3207 §4',
	},
	AUTH: {
		en: 'The login methods the server accepts (PLAIN, LOGIN…). Gmail lists them only after STARTTLS.',
		ko: '서버가 받는 로그인 방식(PLAIN, LOGIN 등)입니다. Gmail은 STARTTLS 뒤에만 이 목록을 보여 줍니다.',
		ref: 'RFC 4954 §3',
	},
	SIZE: {
		en: 'The largest message the server accepts, in bytes.',
		ko: '서버가 받는 가장 큰 메일 크기(바이트)입니다.',
		ref: 'RFC 1870 §4',
	},
	PIPELINING: {
		en: 'The client may send several commands without waiting for each reply.',
		ko: '클라이언트가 답을 하나하나 기다리지 않고 명령 여러 개를 이어 보내도 됩니다.',
		ref: 'RFC 2920 §3',
	},
	'8BITMIME': {
		en: 'The server accepts 8-bit message bodies (e.g. UTF-8 text without encoding).',
		ko: '서버가 8비트 본문(예: 인코딩하지 않은 UTF-8 글)을 받습니다.',
		ref: 'RFC 6152 §2',
	},
	SMTPUTF8: {
		en: 'Addresses may contain non-ASCII characters, such as Korean letters.',
		ko: '주소에 한글 같은 ASCII 밖의 글자를 써도 됩니다.',
		ref: 'RFC 6531 §3.1',
	},
	ENHANCEDSTATUSCODES: {
		en: 'Replies carry a second, finer code such as 2.1.0 or 5.7.8.',
		ko: '답에 2.1.0, 5.7.8 같은 더 자세한 두 번째 코드를 붙입니다.',
		ref: 'RFC 2034 §3',
	},
	CHUNKING: {
		en: 'The client may send the message with BDAT in chunks instead of DATA.',
		ko: '클라이언트가 DATA 대신 BDAT로 메일을 조각내 보낼 수 있습니다.',
		ref: 'RFC 3030 §2',
	},
	DSN: {
		en: 'The client may ask for delivery status notifications.',
		ko: '클라이언트가 배달 상태 알림을 요청할 수 있습니다.',
		ref: 'RFC 3461 §4',
	},
};

/**
 * Explains one keyword line of a multi-line EHLO reply, e.g. `250-STARTTLS` or `250-AUTH PLAIN LOGIN`.
 * The first line of that reply (the greeting back) is not a keyword and gives null.
 */
export function explainExtension(line: string, lang: Lang): LineExplanation | null {
	const keyword = /^250[ -]([A-Z0-9][A-Z0-9-]*)(?:[ =]|$)/i.exec(line)?.[1]?.toUpperCase();
	if (!keyword) return null;
	const entry = EXTENSIONS[keyword];
	if (!entry) return null;
	return { term: keyword, text: entry[lang], ref: entry.ref };
}
