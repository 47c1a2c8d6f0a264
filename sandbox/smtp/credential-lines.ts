/**
 * Which client lines carry credentials, decided by the command verb alone (POP3 `PASS`, RFC 1939; IMAP
 * `LOGIN` and `AUTHENTICATE`, RFC 3501; SMTP and POP3 `AUTH`, RFC 4954 and RFC 5034), so a transcript never
 * holds a password however malformed the line is: an unclosed quote, `PASS<TAB>secret`, lower case, extra
 * spaces, or a secret glued to the verb (`PASSsecret` is not a command we know, but it is a password sent).
 * Everything after the verb is replaced, except an AUTH mechanism name, which the lessons show.
 */

export const REDACTED = '[redacted]';

/** A verb that starts like one of these carries a secret after it (AUTH also covers AUTHENTICATE). */
const CREDENTIAL_VERB = /^(AUTHENTICATE|AUTH|LOGIN|PASS)/i;
/**
 * SASL mechanisms a client may name (IANA's SASL registry, the ones mail clients use). Only these are shown:
 * any other word after AUTH might be the password typed in the wrong place.
 */
const MECHANISM = /^(PLAIN|LOGIN|CRAM-MD5|DIGEST-MD5|XOAUTH2|OAUTHBEARER|SCRAM-SHA-1(-PLUS)?|SCRAM-SHA-256(-PLUS)?|GSSAPI|NTLM|EXTERNAL|ANONYMOUS)$/i;

/** True when a command verb (as typed, any case) is, or starts like, a credential command. */
export function isCredentialVerb(verb: string): boolean {
	return CREDENTIAL_VERB.test(verb);
}

/**
 * The line as a transcript may show it, or null when it carries no credentials. `tagged`: the line starts
 * with an IMAP tag before the verb.
 */
export function redactCredentialLine(line: string, options: { tagged?: boolean } = {}): string | null {
	// Most lines (every MAIL, RCPT and DATA of an SMTP transcript) carry no credentials: an untagged line's
	// verb starts where the trimmed line does, so one anchored test says so before any splitting.
	if (!options.tagged && !CREDENTIAL_VERB.test(line.trimStart())) return null;
	const tokens = line.trim().split(/\s+/);
	const tag = options.tagged ? tokens.shift() : undefined;
	const verb = tokens[0] ?? '';
	const matched = CREDENTIAL_VERB.exec(verb)?.[1];
	if (matched === undefined) return null;
	// The verb as the client spelled it (a transcript shows what was sent), cut where a glued secret begins.
	const shown = verb.slice(0, matched.length);
	const prefix = tag === undefined ? '' : `${tag} `;
	// The verb alone ("PASS", "AUTH"): nothing secret was sent.
	if (verb.length === matched.length && tokens.length === 1) return `${prefix}${shown}`;
	if (verb.length === matched.length && matched.toUpperCase().startsWith('AUTH') && MECHANISM.test(tokens[1] ?? '')) {
		const mechanism = tokens[1]!;
		return tokens.length > 2 ? `${prefix}${shown} ${mechanism} ${REDACTED}` : `${prefix}${shown} ${mechanism}`;
	}
	return `${prefix}${shown} ${REDACTED}`;
}
