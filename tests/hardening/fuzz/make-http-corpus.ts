/**
 * The fuzz corpus for Postlab's web server, made at test time from a seed (nothing is committed but this
 * script), like the SMTP one in make-corpus.ts: raw requests a broken or hostile client sends, each as the
 * bytes it writes (cut into separate TCP writes) and how it then leaves. Kinds: odd request targets (`//`,
 * percent-escapes, absolute-form, `*`, authority-form), odd methods and versions, huge request lines and
 * headers, broken and chunked bodies, pipelining, and bytes that are not HTTP at all. Every case is named
 * with its number and kind so a failure can be replayed with `makeHttpCorpus(seed)`.
 */
import { Random } from './random.ts';

export interface HttpCase {
	name: string;
	bytes: Buffer;
	/** Offsets at which `bytes` is cut into separate writes. */
	cuts: number[];
	/** `half-close`: FIN after writing and wait for the server to close; `reset`: destroy once written. */
	ending: 'half-close' | 'reset';
}

export const DEFAULT_HTTP_SEED = 0x4854_7470;

/** The requests from the bug reports, first in every corpus. */
const KNOWN = ['GET //', 'GET ///', 'HEAD //', 'GET //api/v1/health', 'GET ///ko/sandbox/inbox/', 'OPTIONS *', 'GET *'];

/** `count` cases (after the known ones), the same for the same seed. */
export function makeHttpCorpus(seed: number = DEFAULT_HTTP_SEED, count = 500): HttpCase[] {
	const random = new Random(seed);
	const cases: HttpCase[] = KNOWN.map((line, i) => ({ name: `http #${i} (known: ${line})`, bytes: request(line), cuts: [], ending: 'half-close' }));
	for (let i = 0; i < count; i += 1) {
		const [kind, make] = KINDS[i % KINDS.length]!;
		const bytes = make(random);
		const n = cases.length;
		cases.push({
			name: `http #${n} (${kind})`,
			bytes,
			cuts: random.chance(0.3) ? random.cuts(bytes.length, random.int(1, 5)) : [],
			ending: random.chance(0.85) ? 'half-close' : 'reset',
		});
	}
	return cases;
}

const b = (text: string): Buffer => Buffer.from(text, 'latin1');

/** `METHOD target` as a whole HTTP/1.1 request with a good Host header and no body. */
function request(line: string, headers: string[] = [], body: Buffer = Buffer.alloc(0)): Buffer {
	return Buffer.concat([b(`${line} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`), body]);
}

/** Paths the site and the API really have, for the odd parts to be added to. */
const ROUTES = [
	'/',
	'/ko/',
	'/en/',
	'/ko/sandbox/inbox/',
	'/en/sandbox/inbox/0mfxyz000000a1b2c3/',
	'/ko/sandbox/forum/',
	'/en/sandbox/forum/login/',
	'/ko/sandbox/forum/password_reset/',
	'/en/sandbox/forum/reset/MQ/abc-123/',
	'/ko/sandbox/settings/',
	'/ko/classroom/',
	'/en/labs/env/',
	'/api/v1/health',
	'/api/v1/messages',
	'/api/v1/messages/0mfxyz000000a1b2c3',
	'/api/v1/messages/0mfxyz000000a1b2c3/html',
	'/api/v1/messages/0mfxyz000000a1b2c3/attachments/0',
	'/api/v1/events',
	'/api/v1/mailread/sessions',
	'/api/v1/labs/port-tls',
	'/favicon.svg',
	'/_astro/',
	'/pagefind/pagefind.js',
];

const ESCAPES = ['%', '%z', '%zz', '%00', '%2e%2e/', '%2f', '%5c', '%c0%af', '%ed%a0%80', '%ff%fe', '%25', '%u0041', '%0d%0a', '%e2%80%ae', '%EA%B0%80'];

function oddPath(random: Random): string {
	const route = random.pick(ROUTES);
	switch (random.int(0, 9)) {
		case 0:
			return '/'.repeat(random.int(2, 6)) + route.slice(1);
		case 1:
			return route + random.pick(ESCAPES) + random.pick(ESCAPES);
		case 2:
			return route.replace(/\//g, () => (random.chance(0.3) ? '//' : '/'));
		case 3:
			return `${route}${random.pick(['../', '..%2f', '%2e%2e%2f', '..\\', './'])}`.repeat(random.int(1, 8));
		case 4:
			return `${route}?${random.pick(['%', 'a=%zz', 'limit=-1', 'limit=99999999999999999999', 'start=1e9', 'query=%00', 'images=remote&images=x', 'mailbox=../../etc', 'q=' + 'x'.repeat(random.int(100, 4000))])}`;
		case 5:
			// Raw bytes no client should send in a path: controls, DEL, latin1 above ASCII.
			return route + random.bytes(random.int(1, 12)).toString('latin1').replace(/[\r\n ]/g, '_');
		case 6:
			return `/${'a'.repeat(random.int(1000, 12000))}`;
		case 7:
			return `${route}#${random.word(random.int(1, 30))}`;
		case 8:
			return `/api/v1/messages/${random.pick([random.word(18), '..', '.', '%2e', 'x'.repeat(200), '0mfxyz000000a1b2c3/../../health', '0mfxyz000000a1b2c3/attachments/99999999999'])}`;
		default:
			return `/${random.pick(['ko', 'en', 'xx', 'KO', '..', '%6b%6f'])}/${random.word(random.int(1, 20))}/`;
	}
}

const KINDS: Array<[string, (random: Random) => Buffer]> = [
	['odd path', (random) => request(`${random.pick(['GET', 'GET', 'HEAD', 'DELETE', 'POST'])} ${oddPath(random)}`)],
	[
		'odd method',
		(random) =>
			request(
				`${random.pick(['PROPFIND', 'M-SEARCH', 'get', 'TRACE', 'QUERY', 'PURGE', 'BREW', 'SEARCH', 'LINK', 'X'.repeat(random.int(20, 300)), 'GE\u00c9T', 'PATCH', 'PUT', 'DELETE'])} ${random.pick(ROUTES)}`,
			),
	],
	[
		'absolute-form target',
		(random) =>
			request(
				`${random.pick(['GET', 'HEAD', 'POST'])} ${random.pick(['http://', 'https://', 'HTTP://', 'ftp://', 'http:', 'http:/', 'javascript:'])}${random.pick(['127.0.0.1', 'evil.example', '[::1]:1', 'user:pass@evil.example', '%zz', '', 'localhost:0', '[', '127.0.0.1:99999'])}${random.pick([...ROUTES, '', '//', '/%'])}`,
			),
	],
	['asterisk and authority-form', (random) => request(random.pick(['OPTIONS *', 'GET *', 'HEAD *', 'POST *', 'CONNECT 127.0.0.1:2525', 'CONNECT evil.example:443', 'GET example.com:80', 'OPTIONS *?x', 'DELETE *']))],
	[
		'odd version',
		(random) =>
			b(
				random.pick([
					`GET ${random.pick(ROUTES)}\r\n`,
					`GET ${random.pick(ROUTES)} HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n`,
					`GET ${random.pick(ROUTES)} HTTP/1.1x\r\nHost: 127.0.0.1\r\n\r\n`,
					`GET ${random.pick(ROUTES)} HTTP/1.0\r\n\r\n`,
					`GET ${random.pick(ROUTES)} http/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
					'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
					`GET  ${random.pick(ROUTES)}  HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
				]),
			),
	],
	['huge request line', (random) => request(`GET /${'x'.repeat(random.int(16_000, 120_000))}`)],
	[
		'huge or many headers',
		(random) =>
			random.chance(0.5)
				? request(`GET ${random.pick(ROUTES)}`, [`X-Big: ${'y'.repeat(random.int(8_000, 100_000))}`])
				: request(
						`GET ${random.pick(ROUTES)}`,
						Array.from({ length: random.int(100, 3000) }, (_, i) => `X-H${i}: ${random.word(random.int(1, 20))}`),
					),
	],
	[
		'broken headers',
		(random) =>
			request(`GET ${random.pick(ROUTES)}`, [
				random.pick([
					'NoColonHere',
					': empty name',
					'X-Null: a\u0000b',
					'X-Fold: a\r\n  folded',
					'Host: evil.example',
					'Host: ',
					'Host: 127.0.0.1:1\r\nHost: 127.0.0.2',
					`Cookie: ${'postlab_learner=x; '.repeat(random.int(10, 400))}`,
					'Cookie: postlab_learner=%zz; postlab_instructor="',
					'Origin: null',
					'Content-Type: multipart/form-data; boundary=',
					'Accept-Language: ' + 'ko-KR;q=0.9,'.repeat(random.int(10, 500)),
					'Range: bytes=0-1,2-3,' + '4-5,'.repeat(random.int(10, 1000)),
					'Expect: 100-continue',
					'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x\r\nSec-WebSocket-Version: 13',
					'Transfer-Encoding: chunked',
				]),
			]),
	],
	[
		'broken body',
		(random) => {
			const target = random.pick(['/api/v1/labs/port-tls', '/api/v1/messages/0mfxyz000000a1b2c3', '/en/sandbox/forum/login/', '/ko/sandbox/forum/password_reset/', '/ko/classroom/', '/en/sandbox/forum/signup/', '/api/v1/messages']);
			const method = random.pick(['POST', 'PATCH', 'PUT', 'DELETE']);
			const type = random.pick(['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'text/plain', 'application/json; charset=utf-99']);
			const body = b(
				random.pick([
					'{"port": 2525, "useTls": ',
					'['.repeat(random.int(1000, 50_000)),
					'{"read": true}'.repeat(random.int(1, 3000)),
					'email=%zz&csrfmiddlewaretoken=%',
					'--zz\r\nContent-Disposition: form-data; name="email"\r\n\r\n' + 'a'.repeat(random.int(0, 5000)),
					random.bytes(random.int(1, 20_000)).toString('latin1'),
				]),
			);
			const length = random.pick([body.length, body.length + random.int(1, 1000), Math.max(0, body.length - 3), -1, 'abc', '1e3', `${body.length}, ${body.length + 1}`]);
			return request(`${method} ${target}`, [`Content-Type: ${type}`, `Content-Length: ${length}`, 'Origin: http://127.0.0.1'], body);
		},
	],
	[
		'broken chunked body',
		(random) => {
			const chunks = random.pick([
				'5\r\nhello\r\n0\r\n\r\n',
				'zz\r\nhello\r\n0\r\n\r\n',
				'fffffffffffffffff\r\nx\r\n',
				'5;ext=' + 'e'.repeat(random.int(10, 20_000)) + '\r\nhello\r\n0\r\n\r\n',
				'5\r\nhel',
				'3\r\nhello\r\n0\r\n\r\n',
				'0\r\nX-Trailer: ' + 'x'.repeat(random.int(10, 30_000)) + '\r\n\r\n',
				'-1\r\nx\r\n0\r\n\r\n',
				'5\nhello\n0\n\n',
			]);
			const extra = random.pick(['Transfer-Encoding: chunked', 'Transfer-Encoding: gzip, chunked', 'Transfer-Encoding: chunked\r\nContent-Length: 5', 'Transfer-Encoding: chunked, identity', 'Transfer-Encoding:  chunked ']);
			return request(`${random.pick(['POST', 'PATCH'])} ${random.pick(['/api/v1/labs/port-tls', '/api/v1/messages/0mfxyz000000a1b2c3', '/en/sandbox/forum/login/'])}`, [extra, 'Content-Type: application/json', 'Origin: http://127.0.0.1'], b(chunks));
		},
	],
	[
		'pipelined requests',
		(random) => Buffer.concat(Array.from({ length: random.int(2, 60) }, () => request(`${random.pick(['GET', 'HEAD', 'OPTIONS'])} ${random.chance(0.5) ? oddPath(random) : random.pick(ROUTES)}`))),
	],
	[
		'not HTTP',
		(random) =>
			random.pick([
				random.bytes(random.int(1, 8000)),
				b('\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003'),
				b('EHLO fuzz.test\r\nMAIL FROM:<a@b.test>\r\n'),
				b('GET / HTTP/1.1\nHost: 127.0.0.1\n\n'),
				b('GET / HTTP/1.1\rHost: 127.0.0.1\r\r'),
				b('\r\n\r\n\r\n'.repeat(random.int(1, 1000))),
				b(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n${'X: y\r\n'.repeat(random.int(1, 50))}`),
			]),
	],
];
