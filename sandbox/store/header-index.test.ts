/**
 * The header summary's shortcuts give what the libraries give: plain mailboxes are read without
 * nodemailer's addressparser, and text without an encoded word skips libmime, so for every such input the
 * answer must be the library's own, compared here on the forms mail really carries and their near misses.
 */
import libmime from 'libmime';
import addressparser from 'nodemailer/lib/addressparser';
import { describe, expect, it } from 'vitest';
import { decodeText, parseAddresses, summarizeHeaders } from './header-index.ts';

const libraryAddresses = (value: string) =>
	addressparser(value, { flatten: true }).map((entry) => ({ name: entry.name ? libmime.decodeWords(entry.name).trim() : '', address: entry.address ?? '' }));

const ADDRESSES = [
	'learner@example.com',
	'  learner@example.com  ',
	'Learner.Name+tag@mail.example.co.kr',
	"o'brien@example.com",
	'a-b_c@sub-domain.example',
	'Postlab Forum <noreply@forum.example>',
	'Postlab Forum<noreply@forum.example>',
	'Postlab  Forum <noreply@forum.example>',
	'Postlab\tForum <noreply@forum.example>',
	'Postlab Forum\t<noreply@forum.example>',
	' Forum 2 <noreply@forum.example> ',
	'ForumWithDjango <admin@FWD.com>',
	'<bare@example.com>',
	'"Quoted, Name" <q@example.com>',
	'"Postlab Forum" <noreply@forum.example>',
	'=?utf-8?b?7Y+s65+8?= <forum@example.com>',
	'John Q. Public <jqp@example.com>',
	'Name (comment) <c@example.com>',
	'a@example.com, b@example.com',
	'Friends: a@example.com, b@example.com;',
	'undisclosed-recipients:;',
	'not an address',
	'two@at@example.com',
	'dot.@example.com',
	'.dot@example.com',
	'x@example.com.',
	'',
];

describe('parseAddresses', () => {
	it.each(ADDRESSES.map((value) => [JSON.stringify(value), value]))('%s reads as addressparser reads it', (_label, value) => {
		expect(parseAddresses(value)).toEqual(libraryAddresses(value));
	});
});

describe('decodeText', () => {
	it.each(['Password reset on forum.example', '  padded  ', '비밀번호 재설정', 'a = b ? c', '=?utf-8?q?caf=C3=A9?=', '=?utf-8?b?7J6s7ISk7KCV?= on forum'])(
		'%j reads as libmime reads it',
		(value) => {
			expect(decodeText(value)).toBe(libmime.decodeWords(value).trim());
		},
	);
});

describe('summarizeHeaders', () => {
	it('reads the bench message the way the inbox lists it', () => {
		const raw = Buffer.from(
			'From: Postlab Forum <noreply@forum.example>\r\nTo: learner@example.com\r\nSubject: Password reset on forum.example\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n\r\nbody\r\n',
		);
		expect(summarizeHeaders(raw)).toEqual({
			subject: 'Password reset on forum.example',
			from: { name: 'Postlab Forum', address: 'noreply@forum.example' },
			to: [{ name: '', address: 'learner@example.com' }],
			date: '2026-12-01T10:00:00.000Z',
			attachmentHint: 0,
		});
	});
});
