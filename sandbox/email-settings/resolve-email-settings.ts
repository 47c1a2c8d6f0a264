/**
 * Turns the raw variable values into effective settings and a list of problems, following Django's
 * EmailBackend (django/core/mail/backends/smtp.py): EMAIL_PORT defaults to 25, EMAIL_USE_TLS and EMAIL_USE_SSL
 * are mutually exclusive, and a login happens only when both EMAIL_HOST_USER and EMAIL_HOST_PASSWORD are set.
 */
import { inspect } from 'node:util';
import addressparser from 'nodemailer/lib/addressparser';
import { problem, type Problem } from './problem.ts';
import { readBoolean } from './boolean-setting.ts';
import { isGmailHost, looksLikeAppPassword, stripAppPasswordSpaces, APP_PASSWORD_LENGTH } from './gmail-account.ts';
import { describeSecret } from './secret-redaction.ts';
import type { EmailVariable } from './email-variables.ts';
import type { EmailSettings, RealEmailSettings, SmtpSecurity, ValueSource } from './email-settings-types.ts';

/** Django's EMAIL_PORT default. */
const DJANGO_DEFAULT_PORT = 25;
/** Django's DEFAULT_FROM_EMAIL default. */
const DJANGO_DEFAULT_FROM = 'webmaster@localhost';
/**
 * Django's EMAIL_TIMEOUT default is None (wait for ever). A check that never ends teaches nothing, so Postlab
 * gives up after 15 s, long enough for a slow network, short enough to see the explanation.
 */
export const DEFAULT_TIMEOUT_MS = 15_000;

export type RawValues = Partial<Record<EmailVariable, string>>;

/** Defines a property that JSON, spread and util.inspect do not see. */
function hide<T extends object>(target: T, key: string, value: string): void {
	Object.defineProperty(target, key, { value, enumerable: false, writable: false, configurable: false });
}

/** Makes the settings safe to print: toJSON and util.inspect show the redacted password description only. */
function protect<T extends EmailSettings>(settings: T, password: string | null, secretKey: string): T {
	hide(settings, 'secretKey', secretKey);
	if (password !== null) hide(settings, 'password', password);
	const view = (): Record<string, unknown> => {
		const out: Record<string, unknown> = { ...settings };
		if (password !== null) out['password'] = describeSecret(password).en;
		return out;
	};
	Object.defineProperty(settings, 'toJSON', { value: view, enumerable: false });
	Object.defineProperty(settings, inspect.custom, { value: () => view(), enumerable: false });
	return settings;
}

function parsePort(raw: string | undefined, problems: Problem[]): number {
	if (raw === undefined || raw.trim() === '') return DJANGO_DEFAULT_PORT;
	const text = raw.trim();
	const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
	if (!Number.isInteger(port) || port < 1 || port > 65_535) {
		problems.push(
			problem(
				'bad-port',
				'EMAIL_PORT',
				'error',
				{
					ko: `EMAIL_PORT "${text}"는 포트 번호가 아닙니다. Django는 이 값으로 연결하지 못합니다.`,
					en: `EMAIL_PORT "${text}" is not a port number; Django cannot connect with it.`,
				},
				{
					ko: 'EMAIL_PORT=587 (STARTTLS, EMAIL_USE_TLS=True와 함께) 또는 EMAIL_PORT=465 (EMAIL_USE_SSL=True와 함께)로 쓰세요.',
					en: 'Use EMAIL_PORT=587 (STARTTLS, with EMAIL_USE_TLS=True) or EMAIL_PORT=465 (with EMAIL_USE_SSL=True).',
				},
			),
		);
		return DJANGO_DEFAULT_PORT;
	}
	return port;
}

function parseBoolean(variable: 'EMAIL_USE_TLS' | 'EMAIL_USE_SSL', raw: string | undefined, problems: Problem[]): boolean {
	const reading = readBoolean(raw);
	if (reading.kind === 'unset') return false;
	if (reading.kind === 'valid') return reading.value;
	const text = (raw ?? '').trim();
	const environReads = reading.djangoEnvironReads ? 'True' : 'False';
	problems.push(
		problem(
			'not-a-boolean',
			variable,
			'error',
			{
				ko: `${variable}="${text}"는 True/False가 아닙니다. django-environ의 env.bool()은 이것을 ${environReads}로 읽고, env.bool 없이 env('${variable}')나 os.environ으로 읽으면 Django는 문자열 "${text}"를 받는데 Python에서는 비어 있지 않은 문자열이 모두 참이라 True처럼 동작합니다.`,
				en: `${variable}="${text}" is not True or False. django-environ's env.bool() reads it as ${environReads}; read with a plain env('${variable}') or os.environ, Django gets the string "${text}", and Python treats every non-empty string as true.`,
			},
			{
				ko: `${variable}=True 또는 ${variable}=False로 쓰고, settings.py에서는 env.bool('${variable}', default=False)로 읽으세요.`,
				en: `Write ${variable}=True or ${variable}=False, and read it in settings.py with env.bool('${variable}', default=False).`,
			},
		),
	);
	return reading.djangoEnvironReads;
}

function parseTimeout(raw: string | undefined, problems: Problem[]): number {
	if (raw === undefined || raw.trim() === '') return DEFAULT_TIMEOUT_MS;
	const seconds = Number(raw.trim());
	if (!Number.isFinite(seconds) || seconds <= 0) {
		problems.push(
			problem(
				'bad-timeout',
				'EMAIL_TIMEOUT',
				'error',
				{
					ko: `EMAIL_TIMEOUT "${raw.trim()}"는 초 단위의 양수가 아닙니다.`,
					en: `EMAIL_TIMEOUT "${raw.trim()}" is not a positive number of seconds.`,
				},
				{ ko: 'EMAIL_TIMEOUT=10 처럼 초 단위 숫자로 쓰세요.', en: 'Write a number of seconds, e.g. EMAIL_TIMEOUT=10.' },
			),
		);
		return DEFAULT_TIMEOUT_MS;
	}
	return Math.round(seconds * 1000);
}

function checkSecurity(security: { tls: boolean; ssl: boolean }, port: number, gmail: boolean, problems: Problem[]): SmtpSecurity {
	if (security.tls && security.ssl) {
		problems.push(
			problem(
				'tls-and-ssl',
				'EMAIL_USE_TLS',
				'error',
				{
					ko: 'EMAIL_USE_TLS와 EMAIL_USE_SSL이 둘 다 True입니다. 둘은 함께 쓸 수 없고, Django도 "EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive" 오류를 냅니다.',
					en: 'EMAIL_USE_TLS and EMAIL_USE_SSL are both True. They exclude each other, and Django refuses too ("EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive").',
				},
				{
					ko: '하나만 True로 두세요: 포트 587이면 EMAIL_USE_TLS=True와 EMAIL_USE_SSL=False, 포트 465면 그 반대입니다.',
					en: 'Keep one True: for port 587, EMAIL_USE_TLS=True and EMAIL_USE_SSL=False; for port 465, the other way round.',
				},
			),
		);
		return port === 465 ? 'implicit' : 'starttls';
	}
	const securityMode: SmtpSecurity = security.ssl ? 'implicit' : security.tls ? 'starttls' : 'none';
	if (port === 465 && securityMode === 'starttls') {
		problems.push(
			problem(
				'port-465-starttls',
				'EMAIL_PORT',
				'error',
				{
					ko: '포트 465는 연결하자마자 TLS로 말하는 포트인데, EMAIL_USE_TLS=True는 평문으로 시작해 STARTTLS로 바꾸는 방식입니다. 서버가 TLS 인사를 기다리는 동안 클라이언트는 평문 인사를 기다려서 시간 초과로 끝납니다.',
					en: 'Port 465 speaks TLS from the first byte, but EMAIL_USE_TLS=True starts in plain text and upgrades with STARTTLS. The server waits for a TLS hello while the client waits for a greeting, so it ends in a timeout.',
				},
				{
					ko: 'EMAIL_PORT=587로 바꾸거나, 465를 유지하려면 EMAIL_USE_TLS=False, EMAIL_USE_SSL=True로 바꾸세요.',
					en: 'Change to EMAIL_PORT=587, or keep 465 with EMAIL_USE_TLS=False and EMAIL_USE_SSL=True.',
				},
			),
		);
	} else if (port === 465 && securityMode === 'none') {
		problems.push(
			problem(
				'port-465-plain',
				'EMAIL_USE_SSL',
				'error',
				{
					ko: '포트 465는 연결하자마자 TLS로 말하는 포트인데, EMAIL_USE_SSL이 꺼져 있어 평문으로 연결합니다. 서버 인사를 기다리다 시간 초과로 끝납니다.',
					en: 'Port 465 speaks TLS from the first byte, but EMAIL_USE_SSL is off, so the client connects in plain text and times out waiting for the greeting.',
				},
				{ ko: 'EMAIL_USE_SSL=True로 두거나, EMAIL_PORT=587과 EMAIL_USE_TLS=True를 쓰세요.', en: 'Set EMAIL_USE_SSL=True, or use EMAIL_PORT=587 with EMAIL_USE_TLS=True.' },
			),
		);
	} else if ((port === 587 || port === 25) && securityMode === 'implicit') {
		problems.push(
			problem(
				port === 587 ? 'port-587-implicit' : 'port-25-implicit',
				'EMAIL_PORT',
				'error',
				{
					ko: `포트 ${port}는 평문으로 시작해 STARTTLS로 바꾸는 포트인데, EMAIL_USE_SSL=True는 처음부터 TLS로 말합니다. 서버는 평문 인사를 보내고, TLS는 "wrong version number" 오류로 실패합니다.`,
					en: `Port ${port} starts in plain text and upgrades with STARTTLS, but EMAIL_USE_SSL=True speaks TLS from the first byte. The server answers with a plain-text greeting and TLS fails with "wrong version number".`,
				},
				{
					ko: 'EMAIL_USE_SSL=False, EMAIL_USE_TLS=True로 바꾸거나, EMAIL_PORT=465로 바꾸세요.',
					en: 'Change to EMAIL_USE_SSL=False and EMAIL_USE_TLS=True, or change to EMAIL_PORT=465.',
				},
			),
		);
	} else if (securityMode === 'none' && gmail) {
		problems.push(
			problem(
				'gmail-needs-tls',
				'EMAIL_USE_TLS',
				'error',
				{
					ko: 'Gmail은 암호화되지 않은 연결에서는 로그인을 받지 않고 "530 5.7.0 Must issue a STARTTLS command first"로 답합니다. EMAIL_USE_TLS와 EMAIL_USE_SSL이 모두 꺼져 있습니다.',
					en: 'Gmail does not accept a login over an unencrypted connection; it answers "530 5.7.0 Must issue a STARTTLS command first". EMAIL_USE_TLS and EMAIL_USE_SSL are both off.',
				},
				{ ko: 'EMAIL_PORT=587과 EMAIL_USE_TLS=True를 쓰세요.', en: 'Use EMAIL_PORT=587 with EMAIL_USE_TLS=True.' },
			),
		);
	} else if (securityMode === 'none' && port === 587) {
		problems.push(
			problem(
				'no-tls',
				'EMAIL_USE_TLS',
				'warning',
				{
					ko: '포트 587인데 EMAIL_USE_TLS가 꺼져 있어, 아이디와 비밀번호가 암호화되지 않은 채 전송됩니다. 대부분의 서버는 이런 로그인을 거절합니다(530).',
					en: 'Port 587 with EMAIL_USE_TLS off sends the user name and password unencrypted; most servers refuse such a login (530).',
				},
				{ ko: 'EMAIL_USE_TLS=True로 두세요.', en: 'Set EMAIL_USE_TLS=True.' },
			),
		);
	}
	return securityMode;
}

function checkHost(host: string, problems: Problem[]): void {
	if (/^[a-z]+:\/\//i.test(host) || /[\s/]/.test(host) || /:\d+$/.test(host)) {
		problems.push(
			problem(
				'bad-host',
				'EMAIL_HOST',
				'error',
				{
					ko: `EMAIL_HOST "${host}"는 서버 이름만이어야 합니다. "smtp://", 경로, ":포트", 공백은 넣지 않습니다.`,
					en: `EMAIL_HOST "${host}" must be the server name alone, without "smtp://", a path, ":port" or spaces.`,
				},
				{ ko: 'EMAIL_HOST=smtp.gmail.com 처럼 쓰고, 포트는 EMAIL_PORT에 쓰세요.', en: 'Write e.g. EMAIL_HOST=smtp.gmail.com and put the port in EMAIL_PORT.' },
			),
		);
	}
}

function checkCredentials(user: string, rawPassword: string, gmail: boolean, problems: Problem[]): string {
	if (user === '' && rawPassword === '') {
		problems.push(
			problem(
				'missing-credentials',
				'EMAIL_HOST_USER',
				gmail ? 'error' : 'warning',
				{
					ko: gmail
						? 'EMAIL_HOST_USER와 EMAIL_HOST_PASSWORD가 없습니다. Gmail은 로그인하지 않은 클라이언트의 메일을 받지 않습니다(530 5.7.0 Authentication Required).'
						: 'EMAIL_HOST_USER와 EMAIL_HOST_PASSWORD가 없어 로그인(AUTH) 없이 보냅니다. 로그인이 필요한 서버라면 530으로 거절합니다.',
					en: gmail
						? 'EMAIL_HOST_USER and EMAIL_HOST_PASSWORD are missing. Gmail does not take mail from a client that has not logged in (530 5.7.0 Authentication Required).'
						: 'EMAIL_HOST_USER and EMAIL_HOST_PASSWORD are missing, so mail is sent without logging in (AUTH). A server that requires a login answers 530.',
				},
				{
					ko: 'EMAIL_HOST_USER=계정 주소와 EMAIL_HOST_PASSWORD=비밀번호(Gmail이면 앱 비밀번호)를 .env에 쓰세요.',
					en: 'Add EMAIL_HOST_USER=your address and EMAIL_HOST_PASSWORD=your password (for Gmail, an app password) to .env.',
				},
			),
		);
		return '';
	}
	if (user === '') {
		problems.push(
			problem(
				'missing-user',
				'EMAIL_HOST_USER',
				'error',
				{
					ko: 'EMAIL_HOST_PASSWORD는 있는데 EMAIL_HOST_USER가 없습니다. Django는 둘 다 있을 때만 로그인하므로, 로그인 없이 보내다 거절됩니다.',
					en: 'EMAIL_HOST_PASSWORD is set but EMAIL_HOST_USER is not. Django logs in only when both are set, so it sends without logging in and is refused.',
				},
				{
					ko: `EMAIL_HOST_USER=계정 주소${gmail ? '(예: yourname@gmail.com, 전체 주소)' : ''}를 쓰세요.`,
					en: `Add EMAIL_HOST_USER=your account address${gmail ? ' (the full address, e.g. yourname@gmail.com)' : ''}.`,
				},
			),
		);
	}
	if (rawPassword === '') {
		problems.push(
			problem(
				'missing-password',
				'EMAIL_HOST_PASSWORD',
				'error',
				{
					ko: 'EMAIL_HOST_USER는 있는데 EMAIL_HOST_PASSWORD가 없습니다. Django는 둘 다 있을 때만 로그인하므로, 로그인 없이 보내다 거절됩니다.',
					en: 'EMAIL_HOST_USER is set but EMAIL_HOST_PASSWORD is not. Django logs in only when both are set, so it sends without logging in and is refused.',
				},
				{
					ko: gmail
						? "Google 계정 → 보안 → 2단계 인증 → 앱 비밀번호에서 만든 16글자를 EMAIL_HOST_PASSWORD='abcd efgh ijkl mnop' 형태로 쓰세요."
						: 'EMAIL_HOST_PASSWORD=비밀번호를 쓰세요.',
					en: gmail
						? "Create an app password (Google Account → Security → 2-Step Verification → App passwords) and write its 16 letters as EMAIL_HOST_PASSWORD='abcd efgh ijkl mnop'."
						: 'Add EMAIL_HOST_PASSWORD=your password.',
				},
			),
		);
	}
	if (!gmail || rawPassword === '') return rawPassword;

	const password = stripAppPasswordSpaces(rawPassword);
	if (password !== rawPassword) {
		problems.push(
			problem(
				'app-password-spaces',
				'EMAIL_HOST_PASSWORD',
				'warning',
				{
					ko: 'EMAIL_HOST_PASSWORD에 공백이 있습니다. Google은 앱 비밀번호를 읽기 쉽게 4글자씩 띄어 보여 줄 뿐이라, Postlab은 공백을 지우고 보냅니다.',
					en: 'EMAIL_HOST_PASSWORD contains spaces. Google only shows app passwords in groups of four for reading, so Postlab removes the spaces before sending it.',
				},
				{
					ko: 'Django도 같은 값을 보내도록 .env에서 공백을 지워 16글자를 붙여 쓰세요.',
					en: 'Remove the spaces in .env too, so Django sends exactly the same 16 letters.',
				},
			),
		);
	}
	if (!looksLikeAppPassword(password)) {
		const shape = describeSecret(password);
		problems.push(
			problem(
				'app-password-shape',
				'EMAIL_HOST_PASSWORD',
				'error',
				{
					ko: `Gmail 앱 비밀번호는 공백을 빼면 영문자 ${APP_PASSWORD_LENGTH}글자인데, EMAIL_HOST_PASSWORD는 ${shape.ko}${/^[A-Za-z]*$/.test(password) ? '' : '이고 영문자가 아닌 문자가 있습니다'}. 계정 비밀번호를 넣었다면 Gmail은 "535 5.7.8 Username and Password not accepted"로 거절합니다.`,
					en: `A Gmail app password is ${APP_PASSWORD_LENGTH} letters once the spaces are removed, but EMAIL_HOST_PASSWORD is ${shape.en}${/^[A-Za-z]*$/.test(password) ? '' : ' and contains characters that are not letters'}. If it is your account password, Gmail refuses it with "535 5.7.8 Username and Password not accepted".`,
				},
				{
					ko: 'Google 계정 → 보안 → 2단계 인증을 켠 뒤 → 앱 비밀번호에서 새 비밀번호를 만들어 16글자를 EMAIL_HOST_PASSWORD에 넣으세요.',
					en: 'Turn on Google Account → Security → 2-Step Verification, then create one under App passwords and put its 16 letters in EMAIL_HOST_PASSWORD.',
				},
			),
		);
	}
	return password;
}

function checkFrom(rawFrom: string | undefined, user: string, gmail: boolean, problems: Problem[]): { from: string; fromAddress: string } {
	if (rawFrom === undefined || rawFrom.trim() === '') {
		problems.push(
			problem(
				'default-from-missing',
				'DEFAULT_FROM_EMAIL',
				'warning',
				{
					ko: `DEFAULT_FROM_EMAIL이 없어 Django는 "${DJANGO_DEFAULT_FROM}"을 보낸 사람으로 씁니다. 실제 메일 서버는 이 주소를 거절하거나 바꿉니다.`,
					en: `DEFAULT_FROM_EMAIL is not set, so Django uses "${DJANGO_DEFAULT_FROM}" as the sender; real mail servers refuse or rewrite that address.`,
				},
				{
					ko: `DEFAULT_FROM_EMAIL='사이트 이름 <${user || 'you@example.com'}>'을 쓰세요.`,
					en: `Add DEFAULT_FROM_EMAIL='Site name <${user || 'you@example.com'}>'.`,
				},
			),
		);
		return { from: DJANGO_DEFAULT_FROM, fromAddress: DJANGO_DEFAULT_FROM };
	}
	const from = rawFrom.trim();
	const parsed = addressparser(from, { flatten: true });
	const fromAddress = parsed[0]?.address ?? '';
	if (parsed.length !== 1 || !/^[^@\s]+@[^@\s]+$/.test(fromAddress)) {
		problems.push(
			problem(
				'bad-from',
				'DEFAULT_FROM_EMAIL',
				'error',
				{
					ko: `DEFAULT_FROM_EMAIL "${from}"에서 주소 하나를 찾을 수 없습니다.`,
					en: `DEFAULT_FROM_EMAIL "${from}" does not hold exactly one address.`,
				},
				{
					ko: "DEFAULT_FROM_EMAIL='ForumWithDjango <you@gmail.com>' 또는 주소만 쓰세요. 이름에 #이나 공백이 있으면 따옴표로 감싸야 합니다.",
					en: "Write DEFAULT_FROM_EMAIL='ForumWithDjango <you@gmail.com>' or the address alone; quote it when it has spaces or #.",
				},
			),
		);
		return { from, fromAddress };
	}
	if (gmail && user.includes('@') && fromAddress.toLowerCase() !== user.toLowerCase()) {
		problems.push(
			problem(
				'gmail-from-rewrite',
				'DEFAULT_FROM_EMAIL',
				'warning',
				{
					ko: `DEFAULT_FROM_EMAIL의 주소(${fromAddress})가 EMAIL_HOST_USER(${user})와 다릅니다. Gmail은 보낸 사람을 로그인한 계정(${user})으로 바꿉니다. 그 주소가 Gmail의 "다른 주소에서 메일 보내기"로 인증한 별칭일 때만 그대로 갑니다.`,
					en: `The address in DEFAULT_FROM_EMAIL (${fromAddress}) differs from EMAIL_HOST_USER (${user}). Gmail rewrites the sender to the logged-in account (${user}) unless that address is a verified "Send mail as" alias.`,
				},
				{
					ko: `DEFAULT_FROM_EMAIL='사이트 이름 <${user}>'처럼 계정 주소를 쓰거나, Gmail 설정 → 계정 → "다른 주소에서 메일 보내기"에서 ${fromAddress}를 인증하세요.`,
					en: `Use the account address, e.g. DEFAULT_FROM_EMAIL='Site name <${user}>', or verify ${fromAddress} in Gmail Settings → Accounts → "Send mail as".`,
				},
			),
		);
	}
	return { from, fromAddress };
}

function checkDollarProxy(values: RawValues, problems: Problem[]): void {
	for (const variable of ['EMAIL_HOST_PASSWORD', 'SECRET_KEY'] as const) {
		if (values[variable]?.startsWith('$')) {
			problems.push(
				problem(
					'dollar-proxy',
					variable,
					'warning',
					{
						ko: `${variable} 값이 $로 시작합니다. django-environ은 $로 시작하는 값을 다른 변수 이름으로 보고 그 변수의 값을 찾습니다(프록시 값). 그래서 Django는 다른 값을 받거나 오류를 냅니다.`,
						en: `${variable} starts with $. django-environ takes a value that starts with $ as the name of another variable and looks that one up (a proxied value), so Django gets something else or fails.`,
					},
					{
						ko: '$로 시작하지 않는 새 값을 만들거나, settings.py에서 env = environ.Env() 다음 줄에 env.escape_proxy = True를 쓰고 .env에서는 맨 앞의 $를 \\$로 쓰세요.',
						en: 'Generate a new value that does not start with $, or in settings.py add env.escape_proxy = True after env = environ.Env() and write the leading $ as \\$ in .env.',
					},
				),
			);
		}
	}
}

/**
 * Resolves raw values (already read from `.env` and the environment) into settings and problems.
 * `sources` is passed through for display.
 */
export function resolveEmailSettings(values: RawValues, sources: Partial<Record<EmailVariable, ValueSource>> = {}): EmailSettings {
	const problems: Problem[] = [];
	const secretKey = values.SECRET_KEY ?? '';
	const host = (values.EMAIL_HOST ?? '').trim();
	checkDollarProxy(values, problems);
	if (host === '') {
		const sandbox: EmailSettings = { mode: 'sandbox', problems, sources, secretKey };
		return protect(sandbox, null, secretKey);
	}
	checkHost(host, problems);
	const gmail = isGmailHost(host);
	const port = parsePort(values.EMAIL_PORT, problems);
	const tls = parseBoolean('EMAIL_USE_TLS', values.EMAIL_USE_TLS, problems);
	const ssl = parseBoolean('EMAIL_USE_SSL', values.EMAIL_USE_SSL, problems);
	const security = checkSecurity({ tls, ssl }, port, gmail, problems);
	const user = (values.EMAIL_HOST_USER ?? '').trim();
	const password = checkCredentials(user, values.EMAIL_HOST_PASSWORD ?? '', gmail, problems);
	if (gmail && user !== '' && !user.includes('@')) {
		problems.push(
			problem(
				'gmail-user-not-address',
				'EMAIL_HOST_USER',
				'error',
				{
					ko: `Gmail의 EMAIL_HOST_USER는 전체 주소여야 하는데 "${user}"에는 @가 없습니다.`,
					en: `For Gmail, EMAIL_HOST_USER must be the full address, but "${user}" has no @.`,
				},
				{ ko: `EMAIL_HOST_USER=${user}@gmail.com 처럼 전체 주소를 쓰세요.`, en: `Write the full address, e.g. EMAIL_HOST_USER=${user}@gmail.com.` },
			),
		);
	}
	const timeoutMs = parseTimeout(values.EMAIL_TIMEOUT, problems);
	const { from, fromAddress } = checkFrom(values.DEFAULT_FROM_EMAIL, user, gmail, problems);
	const real = { mode: 'real', host, port, security, useTls: tls, useSsl: ssl, user, timeoutMs, from, fromAddress, gmail, problems, sources } as Omit<
		RealEmailSettings,
		'password' | 'secretKey'
	>;
	return protect(real as RealEmailSettings, password, secretKey);
}
