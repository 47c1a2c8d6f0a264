/**
 * The two message shapes the benchmark sends: a password-reset-sized mail (~1 KB, like the forum's)
 * and a heavy one (~50 KB HTML + a 200 KB attachment, ~335 KB on the wire). Both are built once,
 * CRLF-terminated and dot-stuffed, so the load generator only copies bytes.
 */
import { randomBytes } from 'node:crypto';

export type MessageKind = 'small' | 'heavy';

/** A template with a marker that is replaced per message, so each one can be told apart. */
export interface MessageTemplate {
	kind: MessageKind;
	/** Builds the wire form of message `n`, ending with the CRLF before the final dot. */
	build(n: number, marker: string): Buffer;
	approximateSize: number;
}

const crlf = (lines: string[]): string => lines.join('\r\n') + '\r\n';

function headers(n: number, marker: string, contentType: string): string[] {
	return [
		'From: Postlab Forum <noreply@forum.example>',
		'To: learner@example.com',
		`Subject: Password reset on forum.example [${marker} #${n}]`,
		`Message-ID: <${marker}.${n}@bench.postlab>`,
		'Date: Tue, 01 Dec 2026 10:00:00 +0000',
		'MIME-Version: 1.0',
		contentType,
	];
}

const resetText = crlf([
	"You're receiving this email because you requested a password reset for your user account at forum.example.",
	'',
	'Please go to the following page and choose a new password:',
	'',
	'http://127.0.0.1:4321/en/sandbox/forum/reset/MQ/cbk4nz-0123456789abcdef0123456789abcdef/',
	'',
	"Your username, in case you've forgotten: learner",
	'',
	'Thanks for using our site!',
	'',
	'The forum.example team',
	'',
	'-- ',
	'This padding keeps the message near the size of a real reset email, which carries a few more',
	'headers (DKIM, Received) than this one. Lorem ipsum dolor sit amet, consectetur adipiscing elit,',
	'sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.',
]);

export const smallMessage: MessageTemplate = {
	kind: 'small',
	approximateSize: 1024,
	build(n, marker) {
		return Buffer.from(crlf(headers(n, marker, 'Content-Type: text/plain; charset=utf-8')) + '\r\n' + resetText);
	},
};

function base64Lines(data: Buffer): string {
	const encoded = data.toString('base64');
	const lines: string[] = [];
	for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
	return crlf(lines);
}

function heavyBody(): string {
	const rows: string[] = [];
	// ~50 KB of HTML with links, the way newsletters look; link detection is part of the cost.
	for (let i = 0; rows.join('').length < 50_000; i++) {
		rows.push(`<tr><td><a href="https://forum.example/topic/${i}">Topic ${i}</a></td><td>Reply ${i} from learner${i}@example.com</td></tr>`);
	}
	const html = `<!doctype html><html><body><h1>Weekly digest</h1><table>${rows.join('\r\n')}</table></body></html>`;
	// Deterministic "random" bytes so every run sends the same attachment.
	const attachment = Buffer.alloc(200 * 1024);
	let seed = 0x2f6b_1d3a;
	for (let i = 0; i < attachment.length; i++) {
		seed = (seed * 1_103_515_245 + 12_345) >>> 0;
		attachment[i] = seed >>> 24;
	}
	const boundary = 'postlab-bench-boundary';
	return (
		'\r\n' +
		crlf([`--${boundary}`, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '']) +
		html
			.split('\r\n')
			.map((line) => (line.startsWith('.') ? '.' + line : line))
			.join('\r\n') +
		'\r\n' +
		crlf([`--${boundary}`, 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', 'Content-Disposition: attachment; filename="digest.bin"', '']) +
		base64Lines(attachment) +
		crlf([`--${boundary}--`])
	);
}

let heavyBodyCache: string | undefined;

export const heavyMessage: MessageTemplate = {
	kind: 'heavy',
	approximateSize: 335 * 1024,
	build(n, marker) {
		heavyBodyCache ??= heavyBody();
		const head = crlf(headers(n, marker, 'Content-Type: multipart/mixed; boundary="postlab-bench-boundary"'));
		return Buffer.from(head + heavyBodyCache);
	},
};

/** A run id that is unique enough to tell this run's messages from any other's. */
export function runMarker(): string {
	return `bench-${randomBytes(4).toString('hex')}`;
}
