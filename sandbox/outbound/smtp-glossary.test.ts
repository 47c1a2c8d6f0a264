import { describe, expect, it } from 'vitest';
import { explainCommand } from './smtp-glossary.ts';

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
