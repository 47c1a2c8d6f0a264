import { describe, expect, it } from 'vitest';
import { composePasswordChangedEmail, composeResetEmail } from './reset-email.ts';

const link = 'http://127.0.0.1:4321/en/sandbox/forum/reset/MQ/diwml7-ac0dbb69577716a622be709383cc0000/';

describe("the reset email (Django's registration/password_reset_email.html)", () => {
	it("has Django's subject and sentences in English, with the link in both parts", () => {
		const mail = composeResetEmail({ lang: 'en', siteName: 'Postlab', resetUrl: link, username: 'minji' });
		expect(mail.subject).toBe('Password reset on Postlab');
		expect(mail.text).toBe(
			[
				"You're receiving this email because you requested a password reset for your user account at Postlab.",
				'Please go to the following page and choose a new password:',
				link,
				'Your username, in case you’ve forgotten: minji',
				'Thanks for using our site!',
				'The Postlab team',
			].join('\n\n') + '\n',
		);
		expect(mail.html).toContain(`<a href="${link}">${link}</a>`);
	});

	it('is written in Korean for Korean pages', () => {
		const mail = composeResetEmail({ lang: 'ko', siteName: 'Postlab', resetUrl: link, username: '민지' });
		expect(mail.subject).toBe('Postlab 비밀번호 재설정');
		expect(mail.text).toContain('사용자 이름을 잊으셨을 경우: 민지');
		expect(mail.html).toContain('<html lang="ko">');
	});

	it('escapes what users typed in the HTML part and keeps subjects on one line', () => {
		const mail = composeResetEmail({ lang: 'en', siteName: 'Site\r\nBcc: x@example.com', resetUrl: link, username: '<img src=x onerror=alert(1)>' });
		expect(mail.subject).not.toMatch(/[\r\n]/);
		expect(mail.html).not.toContain('<img');
		expect(mail.html).toContain('&#60;img src=x onerror=alert(1)&#62;');
	});
});

describe('the password-changed notice', () => {
	it('names the account and the way back in, in both languages', () => {
		const en = composePasswordChangedEmail({ lang: 'en', siteName: 'Postlab', username: 'minji', passwordResetUrl: 'http://x/en/sandbox/forum/password_reset/' });
		expect(en.subject).toBe('Your password on Postlab was changed');
		expect(en.text).toContain('minji');
		expect(en.text).toContain('http://x/en/sandbox/forum/password_reset/');
		const ko = composePasswordChangedEmail({ lang: 'ko', siteName: 'Postlab', username: 'minji', passwordResetUrl: 'http://x/ko/' });
		expect(ko.subject).toBe('Postlab 비밀번호가 변경되었습니다');
	});
});
