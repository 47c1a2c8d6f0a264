/**
 * AUTH PLAIN (RFC 4616) in the browser, to show that it only *encodes* the password: the client sends
 * base64 of `authzid NUL user NUL password`, which anyone who sees the line can decode. The player uses it
 * on a made-up user and password the learner types; the real password is never shown or sent anywhere.
 */

export interface AuthPlainParts {
	/** Authorization identity; clients such as Django's smtplib leave it empty. */
	authzid: string;
	user: string;
	password: string;
}

/** base64 of the UTF-8 bytes of `authzid \0 user \0 password` (RFC 4616 §2). */
export function encodeAuthPlain(user: string, password: string, authzid = ''): string {
	const bytes = new TextEncoder().encode(`${authzid}\0${user}\0${password}`);
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary);
}

/** Reads an AUTH PLAIN blob back, or returns null when it is not valid base64 of three NUL-separated parts. */
export function decodeAuthPlain(blob: string): AuthPlainParts | null {
	let binary: string;
	try {
		binary = atob(blob.trim());
	} catch (error) {
		// InvalidCharacterError: not base64.
		if (!(error instanceof DOMException)) throw error;
		return null;
	}
	const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch (error) {
		// The fatal decoder's TypeError: the bytes are not UTF-8.
		if (!(error instanceof TypeError)) throw error;
		return null;
	}
	const parts = text.split('\0');
	if (parts.length !== 3) return null;
	const [authzid = '', user = '', password = ''] = parts;
	return { authzid, user, password };
}

/** The bytes before encoding, with NUL made visible, for the "what base64 hides" row. */
export function visibleNul(text: string): string {
	return text.replace(/\0/g, '␀');
}
