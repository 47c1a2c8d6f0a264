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

	it.each([
		['upper case', 'ABCDEFGHIJKLMNOP'],
		['mixed case, spaced', 'Abcd Efgh Ijkl Mnop'],
		['spaced oddly', 'ab cdefghij klmnop'],
		['a tab', 'abcdefgh\tijklmnop'],
		['URL-encoded spaces', 'abcd%20efgh%20ijkl%20mnop'],
		['form-encoded spaces', 'abcd+efgh+ijkl+mnop'],
		['percent-encoded letters', '%61%62%63%64efghijklmnop'],
		['percent-encoded, upper hex and case', '%41%42CDEFGHIJKLMNOP'],
	])('removes it when a server echoes it with %s', (_, echoed) => {
		const redacted = redactSecrets(`535 5.7.8 bad password "${echoed}" for user`, forms);
		expect(redacted).toBe('535 5.7.8 bad password "[redacted]" for user');
	});

	it('removes base64 forms that were URL-encoded or upper-cased', () => {
		const blob = Buffer.from(`\0user\0${password}`).toString('base64');
		for (const echoed of [encodeURIComponent(blob), blob.toUpperCase(), blob.toLowerCase()]) {
			const redacted = redactSecrets(`AUTH PLAIN ${echoed}`, forms);
			expect(redacted).toContain('[redacted]');
			for (const form of forms) expect(redacted.toLowerCase()).not.toContain(form.toLowerCase());
		}
	});

	it('leaves text without the secret alone, and handles characters that mean something in patterns', () => {
		expect(redactSecrets('250 2.0.0 OK abcdefg', forms)).toBe('250 2.0.0 OK abcdefg');
		const special = secretForms(['a.b*c+d(e)f[g]h?i|j^k$l\\m/n-o']);
		expect(redactSecrets('x a.b*c+d(e)f[g]h?i|j^k$l\\m/n-o y', special)).toBe('x [redacted] y');
		expect(redactSecrets('x aXb*c+d(e)f[g]h?i|j^k$l\\m/n-o y', special)).toContain('aXb');
	});
});
