/**
 * Draws the lessons' illustrations as SVG, once per language, into public/illustrations/{ko,en}/.
 *
 * The source chapter shows screenshots of Google's account pages (28_01–28_06) and of its own forum
 * (28_07–28_10). We may not copy Google's screens, so the lessons use these simplified drawings for
 * them (and for diagrams): wireframes that show where to click and what to expect, each stamped
 * "Illustration" so nobody mistakes it for a real screen. The forum screens are real screenshots of
 * the sandbox instead, taken by `npm run screenshots` (tests/browser/harness/take-screenshots.ts). Labels follow
 * the wording of the real pages as far as a learner needs it to find the way.
 *
 * Run: `npx node src/illustrations/make-illustrations.ts` (or `node_modules/.bin/node src/illustrations/…`). The SVG files are
 * committed; run this again after changing a drawing or a label.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Lang = 'ko' | 'en';
const LANGS: readonly Lang[] = ['ko', 'en'];
const OUT = new URL('../../public/illustrations/', import.meta.url).pathname;

const W = 800;
const H = 450;
const FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif";
// Our own palette, deliberately not Google's: greys for the page, one teal for "look here".
const INK = '#1f2933';
const MUTED = '#61707f';
const LINE = '#c5ced6';
const PAPER = '#ffffff';
const CHROME = '#eef1f4';
const ACCENT = '#0f766e';
const ACCENT_SOFT = '#d5f0ec';

function esc(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface TextOptions {
	size?: number;
	weight?: number;
	color?: string;
	anchor?: 'start' | 'middle' | 'end';
	mono?: boolean;
}

function text(x: number, y: number, content: string, options: TextOptions = {}): string {
	const { size = 16, weight = 400, color = INK, anchor = 'start', mono = false } = options;
	const family = mono ? "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace" : FONT;
	return `<text x="${x}" y="${y}" font-family="${family}" font-size="${size}" font-weight="${weight}" fill="${color}" text-anchor="${anchor}">${esc(content)}</text>`;
}

function box(x: number, y: number, w: number, h: number, fill = PAPER, stroke = LINE, radius = 8): string {
	return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${radius}" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>`;
}

/** A ring around the thing the learner should click or read. */
function highlight(x: number, y: number, w: number, h: number): string {
	return `<rect x="${x - 5}" y="${y - 5}" width="${w + 10}" height="${h + 10}" rx="10" fill="none" stroke="${ACCENT}" stroke-width="3.5" stroke-dasharray="8 5"/>`;
}

/** A numbered marker that the caption refers to. */
function marker(x: number, y: number, n: number): string {
	return `<circle cx="${x}" cy="${y}" r="14" fill="${ACCENT}"/>${text(x, y + 5, String(n), { size: 15, weight: 700, color: PAPER, anchor: 'middle' })}`;
}

function button(x: number, y: number, w: number, label: string, primary = true): string {
	const fill = primary ? ACCENT : PAPER;
	const color = primary ? PAPER : ACCENT;
	return `${box(x, y, w, 36, fill, ACCENT, 18)}${text(x + w / 2, y + 23, label, { size: 15, weight: 600, color, anchor: 'middle' })}`;
}

function field(x: number, y: number, w: number, label: string, value: string, mono = false): string {
	return `${text(x, y - 14, label, { size: 13, color: MUTED })}${box(x, y, w, 38, PAPER, MUTED, 6)}${text(x + 12, y + 25, value, { size: 15, mono })}`;
}

const STAMP: Record<Lang, string> = { ko: '그림 · 실제 화면이 아닙니다', en: 'Illustration · not a real screen' };

/** A browser window with an address bar, the page drawn inside, and the "illustration" stamp. */
function browser(lang: Lang, title: string, description: string, address: string, page: string): string {
	const stamp = STAMP[lang];
	const stampWidth = stamp.length * (lang === 'ko' ? 13 : 7.4) + 24;
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="t d" lang="${lang}">
<title id="t">${esc(title)}</title>
<desc id="d">${esc(description)}</desc>
<rect x="0" y="0" width="${W}" height="${H}" fill="#f7f9fa"/>
${box(12, 12, W - 24, H - 24, PAPER, LINE, 12)}
<path d="M12 24 a12 12 0 0 1 12 -12 h${W - 48} a12 12 0 0 1 12 12 v28 h-${W - 24} z" fill="${CHROME}"/>
<circle cx="34" cy="32" r="6" fill="${LINE}"/><circle cx="54" cy="32" r="6" fill="${LINE}"/><circle cx="74" cy="32" r="6" fill="${LINE}"/>
${box(100, 20, 480, 24, PAPER, LINE, 12)}${text(114, 37, address, { size: 13, color: MUTED })}
${page}
<g>${box(W - 24 - stampWidth, H - 50, stampWidth, 26, '#fff8e6', '#d4a72c', 13)}${text(W - 24 - stampWidth / 2, H - 32, stamp, { size: 13, weight: 600, color: '#7a5b00', anchor: 'middle' })}</g>
</svg>
`;
}

/** A diagram (no browser chrome) with the same stamp-free frame; diagrams are not screens. */
function diagram(lang: Lang, title: string, description: string, height: number, body: string): string {
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-labelledby="t d" lang="${lang}">
<title id="t">${esc(title)}</title>
<desc id="d">${esc(description)}</desc>
<rect x="0" y="0" width="${W}" height="${height}" rx="12" fill="#f7f9fa"/>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${INK}"/></marker></defs>
${body}
</svg>
`;
}

/** The left navigation of an account page, with one item highlighted. */
function accountNav(items: readonly string[], active: number): string {
	return items
		.map((item, i) => {
			const y = 90 + i * 40;
			const on = i === active;
			return `${on ? box(28, y - 22, 190, 34, ACCENT_SOFT, ACCENT_SOFT, 17) : ''}${text(48, y, item, { size: 15, weight: on ? 700 : 400, color: on ? ACCENT : INK })}`;
		})
		.join('');
}

interface Strings {
	nav: readonly string[];
	security: { title: string; desc: string; heading: string; rows: readonly [string, string][] };
	twoStep: { title: string; desc: string; heading: string; status: string; intro: string; steps: readonly string[]; note: readonly string[] };
	find: { title: string; desc: string; search: string; result: string; resultHint: string; orLink: string; heading: string };
	name: { title: string; desc: string; heading: string; intro: string; label: string; value: string; create: string };
	created: { title: string; desc: string; heading: string; forDevice: string; code: string; once: string; done: string };
	list: { title: string; desc: string; heading: string; rows: readonly [string, string][]; remove: string };
	journey: { title: string; desc: string; nodes: readonly [string, string][]; hops: readonly [string, string][]; legend: readonly [string, string] };
	envelope: { title: string; desc: string; envelope: string; envLines: readonly string[]; letter: string; headers: readonly string[]; body: readonly string[]; envNote: string; letterNote: string };
	/** The home page's picture: the three parts of the course on one email's way. */
	hero: { title: string; desc: string; nodes: readonly [string, string][]; hops: readonly [string, string][]; env: readonly [string, string] };
}

const STRINGS: Record<Lang, Strings> = {
	en: {
		nav: ['Home', 'Personal info', 'Data & privacy', 'Security', 'People & sharing'],
		security: {
			title: 'Illustration: the Security page of a Google Account',
			desc: 'A simplified drawing of an account page. In the left menu, Security is highlighted (marker 1). On the right, under "How you sign in to Google", the row "2-Step Verification: Off" is highlighted (marker 2).',
			heading: 'How you sign in to Google',
			rows: [
				['2-Step Verification', 'Off'],
				['Password', 'Last changed May 3'],
				['Recovery email', 'me@example.com'],
			],
		},
		twoStep: {
			title: 'Illustration: 2-Step Verification turned on',
			desc: 'A simplified drawing of the 2-Step Verification page. Its status reads "On" (marker 1). Below it are second steps such as a phone prompt, an authenticator app and a phone number. A note says app passwords only become available once this is on.',
			heading: '2-Step Verification',
			status: 'On',
			intro: 'Your second steps',
			steps: ['Phone prompt', 'Authenticator app', 'Phone number (SMS)'],
			note: ['App passwords only appear', 'once this is on.'],
		},
		find: {
			title: 'Illustration: finding the App passwords page',
			desc: 'A simplified drawing of the account page with "app passwords" typed into its search box (marker 1) and the result "App passwords" shown below it (marker 2). The address bar shows myaccount.google.com/apppasswords, the direct address of the same page.',
			search: 'app passwords',
			result: 'App passwords',
			resultHint: 'Security',
			orLink: 'or open myaccount.google.com/apppasswords directly',
			heading: 'Search your Google Account',
		},
		name: {
			title: 'Illustration: naming a new app password',
			desc: 'A simplified drawing of the App passwords page. The App name field contains "forum-with-django" (marker 1) and the Create button is highlighted (marker 2).',
			heading: 'App passwords',
			intro: 'Give the app password a name that says where it is used.',
			label: 'App name',
			value: 'forum-with-django',
			create: 'Create',
		},
		created: {
			title: 'Illustration: the new 16-letter app password',
			desc: 'A simplified drawing of the dialog that shows a new app password: sixteen letters in four groups, here the made-up "abcd efgh ijkl mnop" (marker 1). A note says it is shown only once. A Done button closes the dialog.',
			heading: 'Generated app password',
			forDevice: 'Your app password for forum-with-django',
			code: 'abcd efgh ijkl mnop',
			once: 'It is shown only this once. Copy it now.',
			done: 'Done',
		},
		list: {
			title: 'Illustration: the list of app passwords, with the delete button',
			desc: 'A simplified drawing of the App passwords page after creating one: a list with "forum-with-django, created just now" and "old-laptop-mail, created last year". The delete (trash) button next to an entry is highlighted (marker 1); pressing it revokes that app password.',
			heading: 'Your app passwords',
			rows: [
				['forum-with-django', 'Created just now'],
				['old-laptop-mail', 'Created last year'],
			],
			remove: 'Delete',
		},
		journey: {
			title: 'Diagram: the journey of a password-reset email',
			desc: 'Five stops from left to right: your Django server; Gmail\'s SMTP server smtp.gmail.com; the recipient\'s mail server; the recipient\'s mailbox; the reader\'s mail app. Arrows: Django to Gmail is SMTP submission on port 587 with STARTTLS and AUTH; Gmail to the recipient\'s server is SMTP relay on port 25, found through the DNS MX record; the reader\'s app fetches the message from the mailbox with POP3 (port 995) or IMAP (port 993).',
			nodes: [
				['Django server', 'your project'],
				['smtp.gmail.com', 'Gmail\'s SMTP server'],
				['Recipient\'s server', 'found by MX lookup'],
				['Mailbox', 'message stored'],
				['Reader', 'mail app or webmail'],
			],
			hops: [
				['SMTP', '587 · STARTTLS · AUTH'],
				['SMTP', '25 · server to server'],
				['', 'delivered'],
				['POP3 / IMAP', '995 / 993'],
			],
			legend: ['Sending is SMTP: each server pushes the message on to the next.', 'Reading is POP3 or IMAP: the reader\'s app pulls it from the mailbox.'],
		},
		hero: {
			title: 'Diagram: the way of one email, and what the course covers on it',
			desc: 'Your Django project sends the email over SMTP (port 587, STARTTLS, a login) to a mail server: Gmail, or the Postlab sandbox while you practise. The reader\'s mail app fetches it from the mailbox with POP3 or IMAP. The password for the login stays in .env, beside the project.',
			nodes: [
				['Your Django project', 'a password reset email'],
				['Mail server', 'Gmail · or the Postlab sandbox'],
				['The reader\'s inbox', 'a mail app or webmail'],
			],
			hops: [
				['SMTP', '587 · STARTTLS · login'],
				['POP3 · IMAP', '995 · 993'],
			],
			env: ['.env', 'the app password'],
		},
		envelope: {
			title: 'Diagram: the envelope and the letter of an email',
			desc: 'Left, an envelope with the SMTP commands MAIL FROM:<bounce@fwd.example> and RCPT TO:<me@example.com>; servers deliver by these. Right, the letter inside, with the headers From: Forum <admin@fwd.example>, To: everyone@fwd.example, Subject: Envelope and letter, then the body; the reader sees these.',
			envelope: 'Envelope (SMTP commands)',
			envLines: ['MAIL FROM:<bounce@fwd.example>', 'RCPT TO:<me@example.com>'],
			letter: 'Letter (sent after DATA)',
			headers: ['From: Forum <admin@fwd.example>', 'To: everyone@fwd.example', 'Subject: Envelope and letter'],
			body: ['The To header says everyone;', 'the envelope says only me.'],
			envNote: 'Servers deliver by this',
			letterNote: 'The reader sees this',
		},
	},
	ko: {
		nav: ['홈', '개인 정보', '데이터 및 개인 정보 보호', '보안', '사용자 및 공유'],
		security: {
			title: '그림: Google 계정의 보안 페이지',
			desc: '계정 페이지를 단순하게 그린 그림입니다. 왼쪽 메뉴에서 "보안"이 강조되어 있고(표시 1), 오른쪽 "Google에 로그인하는 방법" 아래의 "2단계 인증: 사용 안함" 줄이 강조되어 있습니다(표시 2).',
			heading: 'Google에 로그인하는 방법',
			rows: [
				['2단계 인증', '사용 안함'],
				['비밀번호', '최종 변경일: 5월 3일'],
				['복구 이메일', 'me@example.com'],
			],
		},
		twoStep: {
			title: '그림: 2단계 인증이 켜진 상태',
			desc: '2단계 인증 페이지를 단순하게 그린 그림입니다. 상태가 "사용"으로 표시되어 있고(표시 1), 그 아래에 휴대전화 알림, OTP 앱, 전화번호 같은 두 번째 단계가 나열되어 있습니다. 이 기능을 켜야 앱 비밀번호가 나타난다는 메모가 있습니다.',
			heading: '2단계 인증',
			status: '사용',
			intro: '두 번째 단계',
			steps: ['휴대전화 알림', 'OTP 앱(Authenticator)', '전화번호(문자 메시지)'],
			note: ['2단계 인증을 켜야', '앱 비밀번호 메뉴가 나타납니다.'],
		},
		find: {
			title: '그림: 앱 비밀번호 페이지 찾기',
			desc: '계정 페이지의 검색창에 "앱 비밀번호"를 입력하고(표시 1), 그 아래 결과 "앱 비밀번호"가 보이는(표시 2) 모습을 단순하게 그린 그림입니다. 주소창에는 같은 페이지의 직접 주소 myaccount.google.com/apppasswords가 보입니다.',
			search: '앱 비밀번호',
			result: '앱 비밀번호',
			resultHint: '보안',
			orLink: '또는 myaccount.google.com/apppasswords 로 바로 이동',
			heading: 'Google 계정 검색',
		},
		name: {
			title: '그림: 새 앱 비밀번호에 이름 붙이기',
			desc: '앱 비밀번호 페이지를 단순하게 그린 그림입니다. 앱 이름 칸에 "forum-with-django"가 입력되어 있고(표시 1), "만들기" 버튼이 강조되어 있습니다(표시 2).',
			heading: '앱 비밀번호',
			intro: '어디에 쓰는 비밀번호인지 알 수 있는 이름을 붙이세요.',
			label: '앱 이름',
			value: 'forum-with-django',
			create: '만들기',
		},
		created: {
			title: '그림: 새로 만든 16자리 앱 비밀번호',
			desc: '새 앱 비밀번호를 보여 주는 창을 단순하게 그린 그림입니다. 네 자씩 네 묶음, 모두 16자의 영문자가 보입니다. 여기서는 지어낸 값 "abcd efgh ijkl mnop"입니다(표시 1). 이번 한 번만 보여 준다는 안내와 "완료" 버튼이 있습니다.',
			heading: '생성된 앱 비밀번호',
			forDevice: 'forum-with-django의 앱 비밀번호',
			code: 'abcd efgh ijkl mnop',
			once: '지금 한 번만 보여 줍니다. 바로 복사해 두세요.',
			done: '완료',
		},
		list: {
			title: '그림: 앱 비밀번호 목록과 삭제 버튼',
			desc: '앱 비밀번호를 만든 뒤의 페이지를 단순하게 그린 그림입니다. "forum-with-django, 방금 생성됨"과 "old-laptop-mail, 작년에 생성됨"이 목록에 있고, 항목 옆의 삭제(휴지통) 버튼이 강조되어 있습니다(표시 1). 이 버튼을 누르면 그 앱 비밀번호가 취소됩니다.',
			heading: '내 앱 비밀번호',
			rows: [
				['forum-with-django', '방금 생성됨'],
				['old-laptop-mail', '작년에 생성됨'],
			],
			remove: '삭제',
		},
		journey: {
			title: '도식: 비밀번호 재설정 메일의 여정',
			desc: '왼쪽에서 오른쪽으로 다섯 정거장이 있습니다. 장고 서버, Gmail의 SMTP 서버 smtp.gmail.com, 받는 사람의 메일 서버, 받는 사람의 메일함, 메일을 읽는 사람의 메일 앱입니다. 화살표: 장고에서 Gmail까지는 587번 포트의 SMTP 제출(STARTTLS와 AUTH), Gmail에서 받는 사람의 서버까지는 DNS의 MX 레코드로 찾은 25번 포트의 SMTP 중계, 메일 앱은 메일함에서 POP3(995번) 또는 IMAP(993번)으로 메일을 가져옵니다.',
			nodes: [
				['장고 서버', '우리 프로젝트'],
				['smtp.gmail.com', 'Gmail SMTP 서버'],
				['받는 사람의 서버', 'MX 조회로 찾음'],
				['메일함', '메일이 보관됨'],
				['읽는 사람', '메일 앱·웹메일'],
			],
			hops: [
				['SMTP', '587 · STARTTLS · AUTH'],
				['SMTP', '25 · 서버 간 중계'],
				['', '배달'],
				['POP3 / IMAP', '995 / 993'],
			],
			legend: ['보내기는 SMTP: 서버가 다음 서버로 메일을 밀어 보냅니다.', '읽기는 POP3 또는 IMAP: 읽는 사람의 앱이 메일함에서 가져옵니다.'],
		},
		hero: {
			title: '도식: 메일 한 통이 가는 길과 이 과정에서 배우는 것',
			desc: '장고 프로젝트가 SMTP(587번 포트, STARTTLS, 로그인)로 메일 서버에 메일을 보냅니다. 실제로는 Gmail, 연습할 때는 Postlab 샌드박스입니다. 읽는 사람의 메일 앱은 POP3나 IMAP으로 메일함에서 메일을 가져옵니다. 로그인에 쓰는 비밀번호는 프로젝트 옆의 .env에 둡니다.',
			nodes: [
				['장고 프로젝트', '비밀번호 재설정 메일'],
				['메일 서버', 'Gmail · 또는 Postlab 샌드박스'],
				['읽는 사람의 받은편지함', '메일 앱·웹메일'],
			],
			hops: [
				['SMTP', '587 · STARTTLS · 로그인'],
				['POP3 · IMAP', '995 · 993'],
			],
			env: ['.env', '앱 비밀번호'],
		},
		envelope: {
			title: '도식: 이메일의 봉투와 편지',
			desc: '왼쪽은 SMTP 명령 MAIL FROM:<bounce@fwd.example>과 RCPT TO:<me@example.com>이 적힌 봉투로, 서버는 이것을 보고 배달합니다. 오른쪽은 그 안의 편지로, 헤더 From: Forum <admin@fwd.example>, To: everyone@fwd.example, Subject: Envelope and letter와 본문이 있으며, 읽는 사람은 이것을 봅니다.',
			envelope: '봉투 (SMTP 명령)',
			envLines: ['MAIL FROM:<bounce@fwd.example>', 'RCPT TO:<me@example.com>'],
			letter: '편지 (DATA 다음에 보냄)',
			headers: ['From: Forum <admin@fwd.example>', 'To: everyone@fwd.example', 'Subject: Envelope and letter'],
			body: ['To 헤더에는 모두에게라고 쓰여 있지만', '봉투에는 나 한 사람뿐입니다.'],
			envNote: '서버는 이것을 보고 배달합니다',
			letterNote: '읽는 사람은 이것을 봅니다',
		},
	},
};

const ACCOUNT = 'myaccount.google.com';

function security(lang: Lang, s: Strings): string {
	const { security: p } = s;
	const rows = p.rows
		.map(([label, value], i) => {
			const y = 150 + i * 62;
			return `${text(270, y, label, { size: 16, weight: 600 })}${text(270, y + 22, value, { size: 14, color: i === 0 ? '#b42318' : MUTED })}${i < p.rows.length - 1 ? `<line x1="260" y1="${y + 38}" x2="750" y2="${y + 38}" stroke="${LINE}"/>` : ''}`;
		})
		.join('');
	const page = `${accountNav(s.nav, 3)}${highlight(28, 188, 190, 34)}${marker(232, 205, 1)}
${box(250, 80, 510, 250)}${text(270, 114, p.heading, { size: 19, weight: 700 })}${rows}
${highlight(262, 130, 490, 50)}${marker(740, 124, 2)}`;
	return browser(lang, p.title, p.desc, `${ACCOUNT}/security`, page);
}

function twoStep(lang: Lang, s: Strings): string {
	const p = s.twoStep;
	const steps = p.steps.map((step, i) => `${box(60, 214 + i * 46, 420, 36, CHROME, CHROME, 6)}${text(78, 238 + i * 46, step, { size: 15 })}`).join('');
	const page = `${text(60, 100, p.heading, { size: 24, weight: 700 })}
${box(560, 78, 120, 36, ACCENT_SOFT, ACCENT, 18)}<circle cx="585" cy="96" r="9" fill="${ACCENT}"/>${text(630, 102, p.status, { size: 16, weight: 700, color: ACCENT, anchor: 'middle' })}
${highlight(560, 78, 120, 36)}${marker(704, 96, 1)}
${text(60, 190, p.intro, { size: 16, weight: 600 })}${steps}
${box(510, 214, 250, 82, '#fff8e6', '#d4a72c', 8)}${p.note.map((line, i) => text(526, 248 + i * 24, line, { size: 14 })).join('')}`;
	return browser(lang, p.title, p.desc, `${ACCOUNT}/signinoptions/twosv`, page);
}

function find(lang: Lang, s: Strings): string {
	const p = s.find;
	const page = `${text(400, 104, p.heading, { size: 20, weight: 700, anchor: 'middle' })}
${box(170, 124, 460, 44, PAPER, MUTED, 22)}<circle cx="198" cy="144" r="8" fill="none" stroke="${MUTED}" stroke-width="2"/><line x1="204" y1="150" x2="211" y2="157" stroke="${MUTED}" stroke-width="2"/>${text(224, 152, p.search, { size: 16 })}
${highlight(170, 124, 460, 44)}${marker(656, 146, 1)}
${box(170, 178, 460, 64, PAPER, LINE, 8)}${text(196, 206, p.result, { size: 16, weight: 700 })}${text(196, 228, p.resultHint, { size: 13, color: MUTED })}
${highlight(176, 184, 448, 52)}${marker(656, 210, 2)}
${text(400, 300, p.orLink, { size: 15, color: ACCENT, anchor: 'middle' })}`;
	return browser(lang, p.title, p.desc, `${ACCOUNT}/apppasswords`, page);
}

function name(lang: Lang, s: Strings): string {
	const p = s.name;
	const page = `${text(60, 100, p.heading, { size: 24, weight: 700 })}${text(60, 134, p.intro, { size: 15, color: MUTED })}
${field(60, 190, 420, p.label, p.value)}${highlight(60, 190, 420, 38)}${marker(504, 209, 1)}
${button(60, 256, 120, p.create)}${highlight(60, 256, 120, 36)}${marker(204, 274, 2)}`;
	return browser(lang, p.title, p.desc, `${ACCOUNT}/apppasswords`, page);
}

function created(lang: Lang, s: Strings): string {
	const p = s.created;
	const page = `<rect x="13" y="53" width="${W - 26}" height="${H - 66}" fill="#1f2933" opacity="0.35"/>
${box(170, 86, 460, 280, PAPER, LINE, 12)}${text(400, 126, p.heading, { size: 20, weight: 700, anchor: 'middle' })}
${text(400, 160, p.forDevice, { size: 14, color: MUTED, anchor: 'middle' })}
${box(210, 178, 380, 60, '#fff8e6', '#d4a72c', 8)}${text(400, 217, p.code, { size: 26, weight: 700, anchor: 'middle', mono: true })}
${highlight(210, 178, 380, 60)}${marker(618, 208, 1)}
${text(400, 272, p.once, { size: 14, anchor: 'middle' })}
${button(340, 306, 120, p.done)}`;
	return browser(lang, p.title, p.desc, `${ACCOUNT}/apppasswords`, page);
}

function list(lang: Lang, s: Strings): string {
	const p = s.list;
	const rows = p.rows
		.map(([label, when], i) => {
			const y = 140 + i * 70;
			const trash = `<g transform="translate(690 ${y - 2})"><rect x="-2" y="4" width="20" height="22" rx="3" fill="none" stroke="${INK}" stroke-width="2"/><line x1="-6" y1="4" x2="22" y2="4" stroke="${INK}" stroke-width="2"/><line x1="4" y1="0" x2="12" y2="0" stroke="${INK}" stroke-width="2"/></g>`;
			return `${box(60, y - 20, 680, 58)}${text(84, y + 4, label, { size: 16, weight: 600 })}${text(84, y + 26, when, { size: 13, color: MUTED })}${trash}`;
		})
		.join('');
	const page = `${text(60, 100, p.heading, { size: 24, weight: 700 })}${rows}
${highlight(682, 134, 36, 34)}${marker(762, 151, 1)}${text(700, 110, p.remove, { size: 12, color: ACCENT, weight: 600, anchor: 'middle' })}`;
	return browser(lang, p.title, p.desc, `${ACCOUNT}/apppasswords`, page);
}

function journey(lang: Lang, s: Strings): string {
	const p = s.journey;
	// Two rows: sending runs left to right along the top; the mailbox sits under the recipient's
	// server, and the reader, bottom middle, pulls from it.
	const nodeW = 150;
	const nodeH = 78;
	const at: readonly [number, number][] = [
		[30, 90],
		[325, 90],
		[620, 90],
		[620, 262],
		[325, 262],
	];
	const nodes = p.nodes
		.map(([label, sub], i) => {
			const [x, y] = at[i]!;
			const ends = i === 0 || i === 4;
			return `${box(x, y, nodeW, nodeH, ends ? ACCENT_SOFT : PAPER, ends ? ACCENT : MUTED, 10)}${text(x + nodeW / 2, y + 33, label, { size: 15, weight: 700, anchor: 'middle' })}${text(x + nodeW / 2, y + 57, sub, { size: 13, color: MUTED, anchor: 'middle' })}`;
		})
		.join('');
	const arrow = (x1: number, y1: number, x2: number, y2: number) =>
		`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${INK}" stroke-width="2.5" marker-end="url(#arrow)"/>`;
	const [hop1, hop2, delivered, hop3] = p.hops;
	const rowY = 90 + nodeH / 2;
	// Protocol above the arrow, details below it, the hop's number above both.
	const hopLabel = (x: number, arrowY: number, n: number, [protocol, detail]: readonly [string, string]) =>
		`${marker(x, arrowY - 42, n)}${text(x, arrowY - 10, protocol, { size: 15, weight: 700, color: ACCENT, anchor: 'middle' })}${text(x, arrowY + 22, detail, { size: 12, color: MUTED, anchor: 'middle' })}`;
	const body = `${nodes}
${arrow(184, rowY, 321, rowY)}${hopLabel(252, rowY, 1, hop1!)}
${arrow(479, rowY, 616, rowY)}${hopLabel(547, rowY, 2, hop2!)}
${arrow(695, 172, 695, 258)}${text(707, 220, delivered![1], { size: 12.5, color: MUTED })}
${arrow(616, 301, 479, 301)}${hopLabel(547, 301, 3, hop3!)}
${text(W / 2, 405, p.legend[0], { size: 13.5, color: MUTED, anchor: 'middle' })}${text(W / 2, 426, p.legend[1], { size: 13.5, color: MUTED, anchor: 'middle' })}`;
	return diagram(lang, p.title, p.desc, 450, body);
}

function envelope(lang: Lang, s: Strings): string {
	const p = s.envelope;
	const env = `${box(30, 60, 340, 200, '#fdf6e3', '#b08d3c', 6)}<path d="M30 66 L200 170 L370 66" fill="none" stroke="#b08d3c" stroke-width="1.5"/>
${text(200, 46, p.envelope, { size: 15, weight: 700, anchor: 'middle' })}
${p.envLines.map((line, i) => `${box(50, 184 + i * 32, 300, 26, PAPER, '#b08d3c', 4)}${text(60, 202 + i * 32, line, { size: 13, mono: true })}`).join('')}
${text(200, 286, p.envNote, { size: 13, color: ACCENT, weight: 600, anchor: 'middle' })}`;
	const letter = `${box(430, 60, 340, 200, PAPER, MUTED, 4)}${text(600, 46, p.letter, { size: 15, weight: 700, anchor: 'middle' })}
${p.headers.map((line, i) => text(448, 90 + i * 24, line, { size: 13, mono: true })).join('')}
<line x1="448" y1="156" x2="752" y2="156" stroke="${LINE}"/>
${p.body.map((line, i) => text(448, 184 + i * 24, line, { size: 14 })).join('')}
${text(600, 286, p.letterNote, { size: 13, color: ACCENT, weight: 600, anchor: 'middle' })}`;
	return diagram(lang, p.title, p.desc, 310, `${env}${letter}`);
}

/**
 * The home page's picture, beside its title: sending (SMTP), reading (POP3/IMAP) and the secret in .env,
 * top to bottom, narrow enough for the hero's column.
 */
function hero(lang: Lang, s: Strings): string {
	const p = s.hero;
	const width = 460;
	const height = 420;
	const nodeX = 20;
	const nodeW = 280;
	const nodeH = 74;
	const rows = [16, 173, 330];
	const nodes = p.nodes
		.map(([label, sub], i) => {
			const y = rows[i]!;
			const ends = i !== 1;
			return `${box(nodeX, y, nodeW, nodeH, ends ? ACCENT_SOFT : PAPER, ends ? ACCENT : MUTED, 10)}${text(nodeX + nodeW / 2, y + 32, label, { size: 17, weight: 700, anchor: 'middle' })}${text(nodeX + nodeW / 2, y + 56, sub, { size: 13.5, color: MUTED, anchor: 'middle' })}`;
		})
		.join('');
	const arrowX = nodeX + 70;
	const hop = (top: number, [protocol, detail]: readonly [string, string]) =>
		`<line x1="${arrowX}" y1="${top + 4}" x2="${arrowX}" y2="${top + 74}" stroke="${INK}" stroke-width="2.5" marker-end="url(#arrow)"/>${text(arrowX + 18, top + 38, protocol, { size: 16, weight: 700, color: ACCENT })}${text(arrowX + 18, top + 60, detail, { size: 13, color: MUTED })}`;
	const [send, read] = p.hops;
	// The secret sits beside the project, tied to it: the login the SMTP arrow needs comes from there.
	const [envName, envWhat] = p.env;
	const envX = 318;
	const envW = 126;
	const env = `<line x1="${nodeX + nodeW}" y1="${rows[0]! + nodeH / 2}" x2="${envX}" y2="${rows[0]! + nodeH / 2}" stroke="#b08d3c" stroke-width="1.5" stroke-dasharray="5 4"/>${box(envX, rows[0]! + 10, envW, 54, '#fdf6e3', '#b08d3c', 8)}${text(envX + envW / 2, rows[0]! + 33, envName, { size: 15, weight: 700, anchor: 'middle', mono: true })}${text(envX + envW / 2, rows[0]! + 53, envWhat, { size: 12.5, color: '#7a5b00', anchor: 'middle' })}`;
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="t d" lang="${lang}">
<title id="t">${esc(p.title)}</title>
<desc id="d">${esc(p.desc)}</desc>
<rect x="0" y="0" width="${width}" height="${height}" rx="12" fill="#f7f9fa"/>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${INK}"/></marker></defs>
${nodes}
${hop(rows[0]! + nodeH, send!)}
${hop(rows[1]! + nodeH, read!)}
${env}
</svg>
`;
}

const DRAWINGS: Record<string, (lang: Lang, s: Strings) => string> = {
	'app-password-1-security': security,
	'app-password-2-two-step': twoStep,
	'app-password-3-find': find,
	'app-password-4-name': name,
	'app-password-5-created': created,
	'app-password-6-list': list,
	'journey-of-a-reset-email': journey,
	'envelope-and-letter': envelope,
	'home-hero': hero,
};

for (const lang of LANGS) {
	const dir = join(OUT, lang);
	mkdirSync(dir, { recursive: true });
	for (const [file, draw] of Object.entries(DRAWINGS)) {
		writeFileSync(join(dir, `${file}.svg`), draw(lang, STRINGS[lang]));
	}
}
console.log(`Wrote ${Object.keys(DRAWINGS).length * LANGS.length} illustrations to ${OUT}`);
