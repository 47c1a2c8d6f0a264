/**
 * What POP3 (RFC 1939, STLS RFC 2595, CAPA RFC 2449) and IMAP (RFC 3501) commands and status replies mean,
 * for the protocol console, as smtp-glossary.ts and smtp-reply-explainer.ts do for SMTP. Browser-safe: data
 * and a lookup.
 */
import type { Lang } from '../email-settings/problem.ts';
import type { LineExplanation } from '../transport/smtp-reply-explainer.ts';

interface Explanation {
	ko: string;
	en: string;
	ref: string;
}

const POP3_COMMANDS: Record<string, Explanation> = {
	CAPA: { en: 'Asks which extensions the server has (STLS, USER, TOP, UIDL…).', ko: '서버가 가진 확장 기능(STLS, USER, TOP, UIDL 등)을 묻습니다.', ref: 'RFC 2449 §5' },
	STLS: { en: 'Switches this connection to TLS before logging in, like SMTP\'s STARTTLS.', ko: '로그인 전에 이 연결을 TLS로 바꿉니다. SMTP의 STARTTLS와 같습니다.', ref: 'RFC 2595 §4' },
	USER: { en: 'Gives the user name; PASS follows with the password, both as plain text, which is why TLS comes first.', ko: '사용자 이름을 보냅니다. 이어서 PASS로 비밀번호를 보내는데 둘 다 평문이라 TLS가 먼저입니다.', ref: 'RFC 1939 §7' },
	PASS: { en: 'Gives the password. Postlab never shows it: the dialogue says [redacted].', ko: '비밀번호를 보냅니다. Postlab은 보여 주지 않고 [redacted]로 표시합니다.', ref: 'RFC 1939 §7' },
	AUTH: { en: 'Logs in with a SASL mechanism, as in SMTP.', ko: 'SMTP처럼 SASL 방식으로 로그인합니다.', ref: 'RFC 5034 §4' },
	STAT: { en: 'How many messages the mailbox has and their total size in octets.', ko: '메일함의 메일 개수와 전체 크기(옥텟)를 묻습니다.', ref: 'RFC 1939 §5' },
	LIST: { en: 'Lists each message\'s number and size. Numbers go from the oldest (1) to the newest.', ko: '메일마다 번호와 크기를 보여 줍니다. 번호는 가장 오래된 메일(1)부터 가장 새 메일까지입니다.', ref: 'RFC 1939 §5' },
	UIDL: { en: 'Lists each message\'s unique id, which stays the same across sessions.', ko: '메일마다 세션이 바뀌어도 그대로인 고유 id를 보여 줍니다.', ref: 'RFC 1939 §7' },
	RETR: { en: 'Downloads one whole message: headers, a blank line, the body, and a line with a single dot.', ko: '메일 한 통을 통째로 내려받습니다: 헤더, 빈 줄, 본문, 점(.) 하나만 있는 줄.', ref: 'RFC 1939 §5' },
	TOP: { en: 'Downloads a message\'s headers and the first n lines of its body.', ko: '메일의 헤더와 본문 앞 n줄만 내려받습니다.', ref: 'RFC 1939 §7' },
	DELE: { en: 'Marks a message for deletion; it goes only when QUIT ends the session normally.', ko: '메일에 삭제 표시를 합니다. QUIT로 세션을 정상 종료할 때 실제로 지워집니다.', ref: 'RFC 1939 §5' },
	RSET: { en: 'Takes back every deletion mark of this session.', ko: '이 세션의 삭제 표시를 모두 취소합니다.', ref: 'RFC 1939 §5' },
	NOOP: { en: 'Does nothing; checks the connection is alive.', ko: '아무 일도 하지 않습니다. 연결이 살아 있는지 확인합니다.', ref: 'RFC 1939 §5' },
	QUIT: { en: 'Ends the session; messages marked with DELE are removed now (the UPDATE state).', ko: '세션을 끝냅니다. DELE로 표시한 메일은 이때 지워집니다(UPDATE 상태).', ref: 'RFC 1939 §6' },
};

const IMAP_COMMANDS: Record<string, Explanation> = {
	CAPABILITY: { en: 'Asks what the server supports (STARTTLS, IDLE, AUTH=…).', ko: '서버가 지원하는 기능(STARTTLS, IDLE, AUTH= 등)을 묻습니다.', ref: 'RFC 3501 §6.1.1' },
	STARTTLS: { en: 'Switches this connection to TLS before logging in.', ko: '로그인 전에 이 연결을 TLS로 바꿉니다.', ref: 'RFC 3501 §6.2.1' },
	LOGIN: { en: 'Logs in with a user name and password. Postlab shows it as [redacted].', ko: '사용자 이름과 비밀번호로 로그인합니다. Postlab은 [redacted]로 표시합니다.', ref: 'RFC 3501 §6.2.3' },
	AUTHENTICATE: { en: 'Logs in with a SASL mechanism.', ko: 'SASL 방식으로 로그인합니다.', ref: 'RFC 3501 §6.2.2' },
	LIST: { en: 'Lists the mailboxes (folders).', ko: '메일함(폴더) 목록을 봅니다.', ref: 'RFC 3501 §6.3.8' },
	SELECT: { en: 'Opens a mailbox to read and change; the server says how many messages EXISTS.', ko: '읽고 바꿀 메일함을 엽니다. 서버가 메일 개수(EXISTS)를 알려 줍니다.', ref: 'RFC 3501 §6.3.1' },
	EXAMINE: { en: 'Opens a mailbox read-only: nothing you do changes it.', ko: '메일함을 읽기 전용으로 엽니다. 아무것도 바뀌지 않습니다.', ref: 'RFC 3501 §6.3.2' },
	FETCH: { en: 'Fetches parts of messages. BODY[…] marks the message read (\\Seen); BODY.PEEK[…] reads without marking.', ko: '메일의 일부를 가져옵니다. BODY[…]는 메일을 읽음(\\Seen)으로 표시하고, BODY.PEEK[…]는 표시하지 않고 읽습니다.', ref: 'RFC 3501 §6.4.5' },
	STORE: { en: 'Changes flags: +FLAGS (\\Seen) marks a message read, -FLAGS (\\Seen) unread.', ko: '플래그를 바꿉니다. +FLAGS (\\Seen)은 읽음, -FLAGS (\\Seen)은 안 읽음으로 표시합니다.', ref: 'RFC 3501 §6.4.6' },
	SEARCH: { en: 'Finds message numbers by criteria (UNSEEN, FROM, SUBJECT…).', ko: '조건(UNSEEN, FROM, SUBJECT 등)으로 메일 번호를 찾습니다.', ref: 'RFC 3501 §6.4.4' },
	UID: { en: 'The same command addressed by unique ids instead of message numbers.', ko: '메일 번호 대신 고유 id(UID)로 같은 명령을 보냅니다.', ref: 'RFC 3501 §6.4.8' },
	NOOP: { en: 'Does nothing; the server reports news (new messages) in its answer.', ko: '아무 일도 하지 않습니다. 서버는 답하면서 새 소식(새 메일)을 알려 줍니다.', ref: 'RFC 3501 §6.1.2' },
	IDLE: { en: 'Waits for the server to push news; DONE ends it.', ko: '서버가 새 소식을 알려 줄 때까지 기다립니다. DONE으로 끝냅니다.', ref: 'RFC 2177 §3' },
	CLOSE: { en: 'Closes the mailbox (removing \\Deleted messages where the server allows it).', ko: '메일함을 닫습니다(서버가 허락하면 \\Deleted 메일을 지웁니다).', ref: 'RFC 3501 §6.4.2' },
	LOGOUT: { en: 'Ends the session; the server says BYE.', ko: '세션을 끝냅니다. 서버가 BYE로 답합니다.', ref: 'RFC 3501 §6.1.3' },
};

const POP3_REPLIES: Array<{ pattern: RegExp; term: string } & Explanation> = [
	{ pattern: /^\+OK/, term: '+OK', en: 'Done: the command worked.', ko: '성공: 명령이 처리되었습니다.', ref: 'RFC 1939 §3' },
	{ pattern: /^-ERR/, term: '-ERR', en: 'Refused: the text after -ERR says why.', ko: '거절: -ERR 뒤의 글이 이유입니다.', ref: 'RFC 1939 §3' },
	{ pattern: /^\.$/, term: '.', en: 'The end of a multi-line answer.', ko: '여러 줄 답의 끝입니다.', ref: 'RFC 1939 §3' },
];

const IMAP_REPLIES: Array<{ pattern: RegExp; term: string } & Explanation> = [
	{ pattern: /^\* \d+ EXISTS/i, term: 'EXISTS', en: 'How many messages the mailbox holds; the newest has this number.', ko: '메일함의 메일 개수입니다. 가장 새 메일의 번호이기도 합니다.', ref: 'RFC 3501 §7.3.1' },
	{ pattern: /^\* \d+ FETCH .*\\Seen/i, term: 'FETCH', en: 'The message\'s data; its flags now include \\Seen (read).', ko: '메일 데이터입니다. 이제 플래그에 \\Seen(읽음)이 있습니다.', ref: 'RFC 3501 §7.4.2' },
	{ pattern: /^\* \d+ FETCH/i, term: 'FETCH', en: 'The message data you asked for.', ko: '요청한 메일 데이터입니다.', ref: 'RFC 3501 §7.4.2' },
	{ pattern: /^\* BYE/i, term: 'BYE', en: 'The server is closing the connection.', ko: '서버가 연결을 닫습니다.', ref: 'RFC 3501 §7.1.5' },
	{ pattern: /^\* (OK|PREAUTH)/i, term: 'OK', en: 'A note from the server (the greeting, or news about the mailbox).', ko: '서버의 알림입니다(첫인사, 메일함 소식).', ref: 'RFC 3501 §7.1.1' },
	{ pattern: /^\+/, term: '+', en: 'The server waits for more from you (a literal, or the next SASL step).', ko: '서버가 다음 내용을 기다립니다(리터럴, SASL 다음 단계).', ref: 'RFC 3501 §7.5' },
	{ pattern: /^\S+ OK/i, term: 'OK', en: 'The command with this tag worked.', ko: '이 태그의 명령이 성공했습니다.', ref: 'RFC 3501 §7.1.1' },
	{ pattern: /^\S+ NO/i, term: 'NO', en: 'The command with this tag was refused; the text says why.', ko: '이 태그의 명령이 거절되었습니다. 이유는 뒤의 글에 있습니다.', ref: 'RFC 3501 §7.1.2' },
	{ pattern: /^\S+ BAD/i, term: 'BAD', en: 'The server could not understand the command (a typo, a missing tag or argument).', ko: '서버가 명령을 이해하지 못했습니다(오타, 빠진 태그나 인자).', ref: 'RFC 3501 §7.1.3' },
];

/** Explains a line of a POP3 or IMAP dialogue; null for lines with nothing to add (message text, list rows). */
export function explainMailreadLine(protocol: 'pop3' | 'imap', from: 'client' | 'server', line: string, lang: Lang): LineExplanation | null {
	if (from === 'client') {
		const tokens = line.trim().split(/\s+/);
		const verb = ((protocol === 'imap' ? tokens[1] : tokens[0]) ?? '').toUpperCase();
		const entry = (protocol === 'imap' ? IMAP_COMMANDS : POP3_COMMANDS)[verb];
		return entry ? { term: verb, text: entry[lang], ref: entry.ref } : null;
	}
	const reply = (protocol === 'imap' ? IMAP_REPLIES : POP3_REPLIES).find((r) => r.pattern.test(line));
	return reply ? { term: reply.term, text: reply[lang], ref: reply.ref } : null;
}
