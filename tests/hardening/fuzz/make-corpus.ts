/**
 * The fuzz corpus for the capture server, made at test time from a seed (nothing is committed but this
 * script): malformed SMTP sessions, each a list of steps a broken client takes, and malformed MIME messages
 * that a correct client delivers. Every case has a name with its number and kind, so a failure can be
 * replayed with `makeCorpus(seed)` and looked at alone.
 */
import { Random } from './random.ts';

export type SessionStep =
	/** Write these bytes, cut into separate TCP writes at `cuts`. */
	| { do: 'send'; bytes: Buffer; cuts?: number[] }
	/** Read the next whole reply. `codes`: the reply must have one of them; `orClose`: the server may hang up instead. */
	| { do: 'reply'; codes?: number[]; orClose?: boolean }
	/** Upgrade to TLS (the previous reply was the 220 to STARTTLS). */
	| { do: 'starttls' };

/**
 * How the client leaves: `quit` (QUIT, then the server closes), `reset` (RST-like destroy), `half-close`
 * (FIN and stop talking; the server must close its side), `server-closes` (the server must hang up by itself).
 */
export type SessionEnding = 'quit' | 'reset' | 'half-close' | 'server-closes';

export interface SessionCase {
	kind: 'session';
	name: string;
	/** `plain` (STARTTLS offered), `tls` (implicit TLS, a real handshake), `tls-port-raw` (plain bytes at the TLS port). */
	port: 'plain' | 'tls' | 'tls-port-raw';
	/** Wait for the 220 greeting before the first step (false: an early talker). */
	awaitGreeting: boolean;
	steps: SessionStep[];
	ending: SessionEnding;
	/** Messages this session delivers for real: each must be stored with exactly these bytes. */
	expectStored: Buffer[];
}

export interface MimeCase {
	kind: 'mime';
	name: string;
	/** The message as the client means it; the stored form adds a final CRLF when it lacks one. */
	raw: Buffer;
}

export interface Corpus {
	sessions: SessionCase[];
	mime: MimeCase[];
}

export const DEFAULT_SEED = 0x5eed_2026;

/** `sessionCount` malformed sessions and `mimeCount` malformed messages, the same for the same seed. */
export function makeCorpus(seed: number = DEFAULT_SEED, sessionCount = 1000, mimeCount = 200): Corpus {
	const random = new Random(seed);
	const sessions: SessionCase[] = [];
	for (let i = 0; i < sessionCount; i += 1) {
		// Round-robin over the kinds so every kind is present in any corpus of a few dozen sessions.
		const [kind, make] = SESSION_KINDS[i % SESSION_KINDS.length]!;
		const made = make(random);
		sessions.push({
			kind: 'session',
			name: `session #${i} (${kind})`,
			port: made.port ?? 'plain',
			awaitGreeting: made.awaitGreeting ?? true,
			steps: made.steps,
			ending: made.ending ?? random.pick(['reset', 'half-close'] as const),
			expectStored: made.expectStored ?? [],
		});
	}
	const mime: MimeCase[] = [];
	for (let i = 0; i < mimeCount; i += 1) {
		const [kind, make] = MIME_KINDS[i % MIME_KINDS.length]!;
		mime.push({ kind: 'mime', name: `mime #${i} (${kind})`, raw: make(random, i) });
	}
	return { sessions, mime };
}

type MadeSession = Partial<Omit<SessionCase, 'kind' | 'name' | 'steps'>> & { steps: SessionStep[] };

const b = (text: string): Buffer => Buffer.from(text, 'latin1');
const send = (text: string | Buffer, cuts?: number[]): SessionStep => ({
	do: 'send',
	bytes: typeof text === 'string' ? b(text) : text,
	...(cuts ? { cuts } : {}),
});
const reply = (codes?: number[], orClose = false): SessionStep => ({ do: 'reply', ...(codes ? { codes } : {}), orClose });
const command = (line: string, codes?: number[], orClose = false): SessionStep[] => [send(`${line}\r\n`), reply(codes, orClose)];
/** Any refusal: every 5xx, and 421 (the server gives up on the connection). */
const FIVE_XX = [421, ...Array.from({ length: 100 }, (_, i) => 500 + i)];
/** A TLS record header announcing a 512-byte ClientHello, and then nothing more. */
const TRUNCATED_CLIENT_HELLO = b('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03');
const ehlo = (): SessionStep[] => command('EHLO fuzz.test', [250]);
const envelope = (): SessionStep[] => [...command('MAIL FROM:<fuzz@sender.test>', [250]), ...command('RCPT TO:<learner@example.com>', [250])];

/** A whole delivery with the body written exactly as given (already stuffed or deliberately not). */
function dataSteps(wire: Buffer, random: Random): SessionStep[] {
	return [...command('DATA', [354]), send(wire, random.cuts(wire.length, random.int(0, 6))), reply([250])];
}

const SESSION_KINDS: Array<[string, (random: Random) => MadeSession]> = [
	['binary garbage', (random) => ({ steps: [send(random.bytes(random.int(1, 4096)))] })],
	[
		'garbage lines',
		(random) => {
			const lines = Array.from({ length: random.int(1, 12) }, () => random.word(random.int(1, 80)));
			return { steps: [send(lines.join(random.pick(['\r\n', '\n', '\r'])) + '\r\n'), reply(undefined, true)] };
		},
	],
	['early talker', (random) => ({ awaitGreeting: false, steps: [send(random.pick(['EHLO early.test\r\n', 'MAIL FROM:<a@b.test>\r\n', random.bytes(64).toString('latin1')]))] })],
	[
		'over-long command line',
		(random) => ({ steps: [send(`EHLO ${'a'.repeat(random.int(5_000, 200_000))}\r\n`), reply(FIVE_XX, true)], ending: random.pick(['reset', 'half-close', 'quit'] as const) }),
	],
	['line without end', (random) => ({ steps: [send(`MAIL FROM:<${'x'.repeat(random.int(10_000, 300_000))}`)] })],
	[
		'bare LF and bare CR',
		(random) => ({
			steps: [send(random.pick(['EHLO lf.test\nMAIL FROM:<a@b.test>\nRCPT TO:<c@d.test>\nDATA\n', 'EHLO cr.test\rMAIL FROM:<a@b.test>\r\r\n', 'HELO x\n\n\n\r\r\r\n'])), reply(undefined, true)],
		}),
	],
	['RCPT before MAIL', () => ({ steps: [...ehlo(), ...command('RCPT TO:<learner@example.com>', [503])], ending: 'quit' })],
	['DATA before MAIL', () => ({ steps: [...ehlo(), ...command('DATA', [503])], ending: 'quit' })],
	['DATA without RCPT', () => ({ steps: [...ehlo(), ...command('MAIL FROM:<a@b.test>', [250]), ...command('DATA', [503])], ending: 'quit' })],
	['MAIL twice', () => ({ steps: [...ehlo(), ...command('MAIL FROM:<a@b.test>', [250]), ...command('MAIL FROM:<c@d.test>', [503])], ending: 'quit' })],
	[
		'MAIL before EHLO',
		(random) => ({ steps: [...command(random.pick(['MAIL FROM:<a@b.test>', 'RCPT TO:<a@b.test>', 'DATA', 'AUTH PLAIN AGEAYg==']), undefined, true)], ending: 'quit' }),
	],
	[
		'pipelined junk',
		(random) => {
			const parts = Array.from({ length: random.int(3, 30) }, () =>
				random.pick(['NOOP', 'RSET', 'MAIL FROM:<a@b.test>', 'RCPT TO:<c@d.test>', 'VRFY x', 'EXPN list', 'HELP', random.word(random.int(1, 40)), 'DATA', 'BDAT 10 LAST', 'ETRN x', 'TURN']),
			);
			const wire = `EHLO pipe.test\r\n${parts.join('\r\n')}\r\n`;
			return { steps: [send(wire, random.cuts(wire.length, 5))] };
		},
	],
	[
		'pipelined delivery with junk after it',
		(random) => {
			const body = b(`Subject: pipelined ${random.int(0, 1e9)}\r\n\r\nBody\r\n`);
			const wire = Buffer.concat([b('EHLO pipe.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\n'), body, b('.\r\n'), random.bytes(random.int(1, 300)), b('\r\n')]);
			return { steps: [send(wire, random.cuts(wire.length, 4)), reply([250]), reply([250]), reply([250]), reply([354]), reply([250])], expectStored: [body] };
		},
	],
	[
		'invalid base64 AUTH',
		(random) => ({
			steps: [...ehlo(), ...command(random.pick(['AUTH PLAIN %%%not-base64%%%', 'AUTH PLAIN ====', `AUTH PLAIN ${random.bytes(30).toString('base64')}`, 'AUTH PLAIN AAAA']), FIVE_XX, true)],
			ending: 'quit',
		}),
	],
	[
		'AUTH LOGIN with invalid base64',
		(random) => ({ steps: [...ehlo(), ...command('AUTH LOGIN', [334]), ...command(random.pick(['!!!', '*==*', 'dXNlcg=!']), [334, ...FIVE_XX], true)], ending: 'reset' }),
	],
	['AUTH cancel', () => ({ steps: [...ehlo(), ...command('AUTH LOGIN', [334]), ...command('*', [501]), ...command('NOOP', [250])], ending: 'quit' })],
	['AUTH unknown mechanism', () => ({ steps: [...ehlo(), ...command('AUTH CRAM-MD5-FAKE', FIVE_XX)], ending: 'quit' })],
	[
		'MAIL with a broken path',
		(random) => ({
			steps: [
				...ehlo(),
				...command(
					random.pick([
						'MAIL FROM:<<a@b.test>',
						'MAIL FROM:a@b@c',
						`MAIL FROM:<${'x'.repeat(2000)}@b.test>`,
						'MAIL FROM:<a@b.test> SIZE=abc',
						'MAIL FROM:<a@b.test> SIZE=99999999999',
						'MAIL FROM:<a@b.test> BODY=9BITMIME',
						'MAIL FROM:<a\u00ff@b.test>',
						'MAIL FROM:',
						'MAIL FROM:<@relay:a@b.test>',
						'MAIL TO:<a@b.test>',
					]),
					undefined,
					true,
				),
			],
			ending: 'quit',
		}),
	],
	[
		'RCPT with a broken path',
		(random) => ({
			steps: [
				...ehlo(),
				...command('MAIL FROM:<a@b.test>', [250]),
				...command(random.pick(['RCPT TO:<>', 'RCPT TO:<<c@d.test>>', 'RCPT TO:c', 'RCPT TO:<c@d.test> NOTIFY=BOGUS', 'RCPT TO:<\0@d.test>', `RCPT TO:<${'y'.repeat(3000)}>`]), undefined, true),
			],
			ending: 'quit',
		}),
	],
	[
		'dot-stuffing edge cases',
		(random) => {
			const marker = random.int(0, 1e9);
			const body = b(
				[`Subject: dots ${marker}`, '', '.', '..', '...', '.leading dot', 'a line', '. ', '.\tx', '.', `end ${marker}`].join(random.chance(0.5) ? '\r\n' : '\n') + '\r\n',
			);
			// Dots doubled after every LF, as smtp-server unstuffs them; cut right next to the dots.
			const stuffed = Buffer.from(body.toString('latin1').replace(/(^|\n)\./g, '$1..'), 'latin1');
			const wire = Buffer.concat([stuffed, b('.\r\n')]);
			const cuts = [...wire.keys()].filter((at) => wire[at] === 0x2e).flatMap((at) => [at, at + 1]).filter(() => random.chance(0.3));
			return { steps: [...ehlo(), ...envelope(), ...command('DATA', [354]), send(wire, cuts), reply([250])], ending: 'quit', expectStored: [body] };
		},
	],
	[
		'terminator split byte by byte',
		(random) => {
			const body = b(`Subject: split ${random.int(0, 1e9)}\r\n\r\nlast line\r\n`);
			const wire = Buffer.concat([body, b('.\r\n')]);
			const cuts = Array.from({ length: 6 }, (_, i) => wire.length - 1 - i);
			return { steps: [...ehlo(), ...envelope(), ...command('DATA', [354]), send(wire, cuts), reply([250])], ending: 'quit', expectStored: [body] };
		},
	],
	[
		'unstuffed dot ends DATA early',
		(random) => {
			const first = b(`Subject: early end ${random.int(0, 1e9)}\r\n\r\nbefore the lone dot\r\n`);
			const wire = Buffer.concat([first, b('.\r\nthis line is now a command\r\nand this one\r\n.\r\n')]);
			return { steps: [...ehlo(), ...envelope(), ...dataSteps(wire, random), reply(FIVE_XX), reply(FIVE_XX), reply(FIVE_XX)], ending: 'quit', expectStored: [first] };
		},
	],
	[
		'empty message',
		(random) => ({ steps: [...ehlo(), ...envelope(), ...dataSteps(b('.\r\n'), random)], ending: 'quit', expectStored: [b('')] }),
	],
	[
		'disconnect mid-DATA',
		(random) => ({
			steps: [...ehlo(), ...envelope(), ...command('DATA', [354]), send(Buffer.concat([b('Subject: cut off\r\n\r\n'), random.bytes(random.int(0, 20_000)), b(random.pick(['', '\r\n', '\r\n.', '\r\n.\r']))]))],
			ending: random.pick(['reset', 'half-close'] as const),
		}),
	],
	['disconnect mid-command', (random) => ({ steps: [...ehlo(), send(random.pick(['MAIL FROM:<a@', 'RCPT', 'DAT', 'AUTH PLAIN AGFh', 'STARTT']))], ending: random.pick(['reset', 'half-close'] as const) })],
	['STARTTLS then garbage', (random) => ({ steps: [...ehlo(), ...command('STARTTLS', [220]), send(random.pick([b('EHLO plain.test\r\n'), random.bytes(random.int(1, 2048)), b('\x16\x03\x01\x00\x05hello')]))], ending: 'server-closes' })],
	['STARTTLS then hang-up', (random) => ({ steps: [...ehlo(), send('STARTTLS\r\n'), ...(random.chance(0.5) ? [reply([220])] : [])], ending: random.pick(['reset', 'half-close'] as const) })],
	[
		'STARTTLS, then junk inside TLS',
		(random) => ({
			steps: [...ehlo(), ...command('STARTTLS', [220]), { do: 'starttls' }, ...command('STARTTLS', FIVE_XX), send(random.bytes(random.int(1, 1024))), ...command('NOOP', undefined, true)],
			ending: random.pick(['reset', 'half-close'] as const),
		}),
	],
	[
		'STARTTLS, then a proper delivery',
		(random) => {
			const body = b(`Subject: after starttls ${random.int(0, 1e9)}\r\n\r\n\u00e9\u00e8 8-bit\r\n`);
			return { steps: [...ehlo(), ...command('STARTTLS', [220]), { do: 'starttls' }, ...ehlo(), ...envelope(), ...dataSteps(Buffer.concat([body, b('.\r\n')]), random)], ending: 'quit', expectStored: [body] };
		},
	],
	[
		'plain bytes on the TLS port',
		(random) => {
			const bytes = random.pick([b('EHLO plain.test\r\n'), b('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), random.bytes(random.int(1, 4096)), TRUNCATED_CLIENT_HELLO]);
			// A handshake that stalls half-way is a silent client: the server waits for it up to its idle
			// timeout (60 s), so only a client that leaves is expected to be gone at once.
			const endings = bytes === TRUNCATED_CLIENT_HELLO ? (['reset', 'half-close'] as const) : (['server-closes', 'reset', 'half-close'] as const);
			return { port: 'tls-port-raw', awaitGreeting: false, steps: [send(bytes)], ending: random.pick(endings) };
		},
	],
	[
		'junk over implicit TLS',
		(random) => ({ port: 'tls', steps: [send(random.bytes(random.int(1, 2048))), send('\r\nNOOP\r\n')], ending: random.pick(['reset', 'half-close'] as const) }),
	],
	['half-open, silent', (random) => ({ awaitGreeting: random.chance(0.5), steps: [], ending: 'half-close' })],
	['half-open after a command', () => ({ steps: [send('EHLO half.test\r\nMAIL FROM:<a@b.test>\r\n')], ending: 'half-close' })],
	['unknown commands until cut off', () => ({ steps: [send(Array.from({ length: 12 }, (_, i) => `XYZZY${i}\r\n`).join(''))], ending: 'server-closes' })],
	['NUL bytes in commands', (random) => ({ steps: [send(`EHLO a\0b\r\nMAIL FROM:<a\0@b.test>\r\n${'\0'.repeat(random.int(1, 100))}\r\n`)] })],
	[
		'8-bit and invalid UTF-8 in commands',
		() => ({ steps: [...ehlo(), ...command('MAIL FROM:<\xc3\x28@b.test> SMTPUTF8', undefined, true), ...command('RCPT TO:<\xff\xfe@d.test>', undefined, true)], ending: 'quit' }),
	],
	['SIZE over the limit', () => ({ steps: [...ehlo(), ...command('MAIL FROM:<a@b.test> SIZE=999999999', [552])], ending: 'quit' })],
	['RSET storm', (random) => ({ steps: [send('EHLO r.test\r\n' + 'RSET\r\nMAIL FROM:<a@b.test>\r\n'.repeat(random.int(10, 300)))] })],
	[
		'commands without reading replies',
		(random) => ({ steps: [send('EHLO flood.test\r\n' + 'NOOP\r\n'.repeat(random.int(1_000, 20_000)))], ending: 'reset' }),
	],
	[
		'implicit TLS, proper delivery with an odd body',
		(random) => {
			const body = Buffer.concat([b(`Subject: tls ${random.int(0, 1e9)}\r\n\r\n`), b('\r'), b('bare CR\rand bare LF\nand NUL\0 here\r\n')]);
			return { port: 'tls', steps: [...ehlo(), ...envelope(), ...dataSteps(Buffer.concat([body, b('.\r\n')]), random)], ending: 'quit', expectStored: [body] };
		},
	],
];

/** A multipart wrapper; `boundary` may be anything, including nothing. */
function multipart(boundary: string, parts: string[], close = true): string {
	return parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('') + (close ? `--${boundary}--\r\n` : '');
}

function headers(random: Random, index: number, extra: string[] = []): string {
	return [`From: Fuzz <fuzz@sender.test>`, `To: learner@example.com`, `Subject: mime fuzz ${index} ${random.int(0, 1e9)}`, 'MIME-Version: 1.0', ...extra].join('\r\n');
}

const MIME_KINDS: Array<[string, (random: Random, index: number) => Buffer]> = [
	[
		'boundary never used',
		(random, i) => b(`${headers(random, i, ['Content-Type: multipart/mixed; boundary="never"'])}\r\n\r\nno parts here at all\r\n`),
	],
	[
		'missing boundary parameter',
		(random, i) => b(`${headers(random, i, ['Content-Type: multipart/alternative'])}\r\n\r\n${multipart('x', ['Content-Type: text/plain\r\n\r\nhello'])}`),
	],
	[
		'unclosed final boundary',
		(random, i) => b(`${headers(random, i, ['Content-Type: multipart/mixed; boundary=abc'])}\r\n\r\n${multipart('abc', ['Content-Type: text/plain\r\n\r\none', 'Content-Type: text/html\r\n\r\n<p>two'], false)}`),
	],
	[
		'boundary with unbalanced quotes',
		(random, i) => b(`${headers(random, i, ['Content-Type: multipart/mixed; boundary="abc'])}\r\n\r\n${multipart('"abc', ['\r\nbody'])}`),
	],
	[
		'bad base64',
		(random, i) =>
			b(
				`${headers(random, i, ['Content-Type: multipart/mixed; boundary=b64'])}\r\n\r\n${multipart('b64', [
					'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!not base64 at all@@@@\r\nSGVsbG8=====\r\nSGV',
					'Content-Type: application/pdf; name="x.pdf"\r\nContent-Disposition: attachment; filename="x.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n' + random.bytes(300).toString('latin1'),
				])}`,
			),
	],
	[
		'bad quoted-printable',
		(random, i) => b(`${headers(random, i, ['Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'])}\r\n\r\n<p>=ZZ =4 =\r\n=E2=82 =\r\n<a href=3D"http://x.test/=\r\n`),
	],
	[
		'unknown charsets',
		(random, i) =>
			b(
				`${headers(random, i, ['Content-Type: multipart/alternative; boundary=cs'])}\r\n\r\n${multipart('cs', [
					'Content-Type: text/plain; charset="x-unknown-zz"\r\n\r\n\xe4\xf6\xfc',
					'Content-Type: text/html; charset=utf-7\r\n\r\n+ADw-b+AD4-hi',
					'Content-Type: text/plain; charset=""\r\n\r\nempty charset',
				])}`,
			).subarray(0),
	],
	[
		'encoded words gone wrong',
		(random, i) => b(`From: =?x-bogus?B?!!!?= <a@b.test>\r\nTo: =?utf-8?Q?=ZZ?= <learner@example.com>\r\nSubject: =?utf-8?B?${random.bytes(20).toString('base64')}?= =?unknown?Q?x?= =?utf-8?X?y?= ${i}\r\n\r\nbody\r\n`),
	],
	[
		'8-bit headers',
		(_random, i) => Buffer.concat([b(`From: `), Buffer.from('김철수', 'utf8'), b(' <a@b.test>\r\nTo: learner@example.com\r\nSubject: '), Buffer.from([0xc7, 0xd1, 0xb1, 0xdb, 0xff, 0xfe, 0xc3, 0x28]), b(` ${i}\r\nX-Latin1: caf\xe9\r\n\r\nbody \xe9\r\n`)]),
	],
	[
		'enormous header line',
		(random, i) => b(`${headers(random, i, [`X-Huge: ${'h'.repeat(random.int(100_000, 1_000_000))}`, `References: ${Array.from({ length: 2000 }, (_, n) => `<${n}@x.test>`).join(' ')}`])}\r\n\r\nbody\r\n`),
	],
	[
		'thousands of headers',
		(random, i) => b(`${headers(random, i, Array.from({ length: random.int(2_000, 10_000) }, (_, n) => `X-Many-${n % 7}: value ${n}`))}\r\n\r\nbody\r\n`),
	],
	[
		'header folded into thousands of lines',
		(random, i) => b(`${headers(random, i, [`Subject: folded${'\r\n\tmore'.repeat(random.int(1_000, 10_000))}`])}\r\n\r\nbody\r\n`),
	],
	[
		'deeply nested multiparts',
		(random, i) => {
			const depth = random.int(50, 400);
			let inner = 'Content-Type: text/plain\r\n\r\nthe bottom';
			for (let level = depth; level > 0; level -= 1) inner = `Content-Type: multipart/mixed; boundary=n${level}\r\n\r\n${multipart(`n${level}`, [inner])}`;
			return b(`${headers(random, i)}\r\n${inner}`);
		},
	],
	[
		'nested message/rfc822 with garbage',
		(random, i) => b(`${headers(random, i, ['Content-Type: message/rfc822'])}\r\n\r\n${random.bytes(500).toString('latin1')}\r\n`),
	],
	['no headers at all', (random) => Buffer.concat([b('\r\n'), random.bytes(random.int(0, 500))])],
	['no blank line after headers', (_random, i) => b(`Subject: no separator ${i}\r\nFrom: a@b.test\r\nthis is not a header\r\nnor this`)],
	['headers only', (random, i) => b(`${headers(random, i)}\r\n`)],
	['garbage address headers', (random, i) => b(`From: <<<@@>>> ,,, "unclosed\r\nTo: ;;;:@\r\nCc: ${random.word(200)}\r\nReply-To: <>\r\nDate: ${random.word(30)}\r\nSubject: addresses ${i}\r\n\r\nbody\r\n`)],
	['NUL bytes', (_random, i) => b(`Subject: nul\0here ${i}\r\nFrom: a\0@b.test\r\nContent-Type: multipart/mixed; boundary=nu\0ll\r\n\r\n--nu\0ll\r\n\r\nbody\0with\0nuls\r\n--nu\0ll--\r\n`)],
	[
		'truncated parts',
		(random, i) =>
			b(
				`${headers(random, i, ['Content-Type: multipart/mixed; boundary=t'])}\r\n\r\n--t\r\nContent-Type: text/plain\r\n\r\nstart of a part\r\n--t\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename*=utf-8''%ZZbroken%\r\n\r\niVBORw0KGgoAAAANSUhEUgAA`,
			),
	],
	[
		'unknown transfer encoding and bad content types',
		(random, i) =>
			b(
				`${headers(random, i, ['Content-Type: multipart/mixed; boundary=u'])}\r\n\r\n${multipart('u', [
					'Content-Type: text\r\nContent-Transfer-Encoding: x-foo\r\n\r\nodd',
					'Content-Type: /\r\n\r\nslash only',
					'Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n<html><body><script>alert(1)</script><img src="cid:missing@x" onerror="x()"><a href="javascript:alert(1)">x</a><p><b><i>unclosed',
					`Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="${'a'.repeat(5000)}.bin"\r\n\r\n${random.bytes(100).toString('latin1')}`,
				])}`,
			),
	],
	[
		'huge single-line HTML body',
		(random, i) => b(`${headers(random, i, ['Content-Type: text/html'])}\r\n\r\n<div>${'<span>x</span>'.repeat(random.int(2_000, 8_000))}</div>\r\n`),
	],
	['bare LF message', (_random, i) => b(`Subject: bare lf ${i}\nFrom: a@b.test\nContent-Type: multipart/mixed; boundary=lf\n\n--lf\nContent-Type: text/plain\n\nline\n.\n..\n--lf--\n`)],
	['random bytes message', (random) => random.bytes(random.int(1, 20_000))],
];
