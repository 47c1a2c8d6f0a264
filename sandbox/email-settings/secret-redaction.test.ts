import { describe, expect, it } from 'vitest';
import { describeSecret, redactSecrets, secretForms } from './secret-redaction.ts';

describe('secret redaction', () => {
	const password = 'abcdefghijklmnop';
	const forms = secretForms([password, 'abcd efgh ijkl mnop']);

	it('describes a secret by its length only', () => {
		expect(describeSecret(password)).toEqual({ ko: '16글자, 숨김', en: '16 characters, hidden' });
		expect(describeSecret('')).toEqual({ ko: '(비어 있음)', en: '(empty)' });
	});

	it('removes the password with and without spaces', () => {
		expect(redactSecrets(`pw=${password}; shown as abcd efgh ijkl mnop`, forms)).toBe('pw=[redacted]; shown as [redacted]');
	});

	it('removes the grouped form Google displays even when only the compact one is known', () => {
		expect(redactSecrets('typed abcd efgh ijkl mnop', secretForms([password]))).toBe('typed [redacted]');
	});

	it.each([0, 1, 2, 3, 4, 5])('removes it from base64 blobs with %i bytes before it', (before) => {
		const blob = Buffer.from(`${'x'.repeat(before)}${password}\0tail`).toString('base64');
		const redacted = redactSecrets(`AUTH PLAIN ${blob}`, forms);
		expect(redacted).toContain('[redacted]');
		// No run of 8 base64 characters from the password's own encoding survives.
		for (const form of forms) expect(redacted).not.toContain(form);
	});
});
