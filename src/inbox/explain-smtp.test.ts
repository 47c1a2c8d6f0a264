import { describe, expect, it } from 'vitest';
import { explainCommand, explainReply } from './explain-smtp';

describe('explainCommand', () => {
	it('recognises two-word commands before their first word', () => {
		expect(explainCommand('MAIL FROM:<a@example.com> SIZE=120', 'en')?.term).toBe('MAIL FROM');
		expect(explainCommand('rcpt to:<b@example.com>', 'ko')?.term).toBe('RCPT TO');
	});
	it('explains in the requested language', () => {
		const en = explainCommand('STARTTLS', 'en');
		const ko = explainCommand('STARTTLS', 'ko');
		expect(en?.text).toContain('TLS');
		expect(ko?.text).toMatch(/암호화/);
		expect(en?.ref).toBe('RFC 3207 §4');
	});
	it('does not mistake a longer word for a command', () => {
		expect(explainCommand('DATABASE', 'en')).toBeNull();
		expect(explainCommand('\u0000\u0001garbage', 'en')).toBeNull();
	});
});

describe('explainReply', () => {
	it('reads the code of single and multi-line replies', () => {
		expect(explainReply('250-SIZE 26214400', 'en')?.term).toBe('250');
		expect(explainReply('535 5.7.8 Username and Password not accepted', 'en')?.text).toMatch(/app password/);
	});
	it('falls back to the class digit for codes it has no entry for', () => {
		expect(explainReply('557 custom', 'en')?.text).toMatch(/Permanent/);
	});
	it('ignores lines that are not replies', () => {
		expect(explainReply('hello', 'en')).toBeNull();
		expect(explainReply('25', 'en')).toBeNull();
	});
});
