/**
 * Where a console's dialogue stands (greeted, said EHLO, encrypted, logged in, inside a message, mailbox
 * selected…), read from the lines the bridge shows, and the next sensible commands for the "what can I
 * type?" list. Pure functions, so the suggestions are tested without a browser.
 */
import type { ConsoleProtocol } from '../../../sandbox/console/console-wire.ts';

export interface DialogueState {
	protocol: ConsoleProtocol;
	greeted: boolean;
	/** SMTP: EHLO answered since the connection (or TLS) began. */
	helloed: boolean;
	tls: boolean;
	loggedIn: boolean;
	/** SMTP: MAIL FROM accepted, RCPT TO accepted, inside DATA. */
	mail: boolean;
	rcpt: boolean;
	inData: boolean;
	/** SMTP: a message was accepted on this connection. */
	sent: boolean;
	/** IMAP: a mailbox is selected. */
	selected: boolean;
	/** POP3/IMAP: the newest message's number, once the server said it (STAT, LIST, EXISTS). */
	newest: number | null;
	/** Client lines not answered yet, oldest first (commands may be pipelined; answers come in order). */
	pending: readonly string[];
	/** POP3: the verb whose answer's lines are arriving. */
	answering: string;
	/** IMAP: the next tag to suggest. */
	nextTag: number;
	closed: boolean;
}

export function initialState(protocol: ConsoleProtocol): DialogueState {
	return { protocol, greeted: false, helloed: false, tls: false, loggedIn: false, mail: false, rcpt: false, inData: false, sent: false, selected: false, newest: null, pending: [], answering: '', nextTag: 1, closed: false };
}

const verbOf = (state: DialogueState, line: string): string => {
	const tokens = line.trim().split(/\s+/);
	return ((state.protocol === 'imap' ? tokens[1] : tokens[0]) ?? '').toUpperCase();
};

/** The state after one more line of the dialogue (or the TLS upgrade). */
export function advance(state: DialogueState, from: 'client' | 'server' | 'tls', line = ''): DialogueState {
	const s = { ...state };
	if (from === 'tls') {
		// RFC 3207 §4.2: everything learnt before TLS is forgotten, EHLO is due again.
		return { ...s, tls: true, helloed: false, loggedIn: false, mail: false, rcpt: false };
	}
	if (from === 'client') {
		if (s.inData) {
			if (line === '.') {
				s.inData = false;
				s.pending = [...s.pending, '.'];
			}
			return s;
		}
		s.pending = [...s.pending, line];
		if (s.protocol === 'imap') {
			const tag = /^[A-Za-z]*(\d+)\s/.exec(line);
			if (tag) s.nextTag = Math.max(s.nextTag, Number(tag[1]) + 1);
		}
		return s;
	}
	switch (s.protocol) {
		case 'smtp': {
			if (/^\d{3}-/.test(line)) return s;
			const code = Number(line.slice(0, 3));
			if (!s.greeted && code === 220) return { ...s, greeted: true };
			const [command = '', ...rest] = s.pending;
			s.pending = rest;
			const verb = verbOf(s, command);
			const ok = code >= 200 && code < 400;
			if ((verb === 'EHLO' || verb === 'HELO') && ok) s.helloed = true;
			if (code === 235) s.loggedIn = true;
			if (verb === 'MAIL' && ok) s.mail = true;
			if (verb === 'RCPT' && ok) s.rcpt = true;
			if (verb === 'DATA' && code === 354) s.inData = true;
			if (verb === 'RSET' && ok) s.mail = s.rcpt = false;
			if (command === '.' && code === 250) {
				s.sent = true;
				s.mail = s.rcpt = false;
			}
			if (code === 221 || code === 421) s.closed = true;
			return s;
		}
		case 'pop3': {
			if (!s.greeted && line.startsWith('+OK')) return { ...s, greeted: true };
			// The oldest unanswered command owns a status line; the lines after it are its body.
			let verb = verbOf(s, s.pending[0] ?? '');
			if (/^[+-](OK|ERR)/.test(line)) {
				s.pending = s.pending.slice(1);
				s.answering = verb;
			} else {
				verb = s.answering;
			}
			if (verb === 'PASS' && line.startsWith('+OK')) {
				s.loggedIn = true;
				// Many servers (this sandbox too) say the mailbox's size in the login's answer.
				const size = /^\+OK (\d+) messages?\b/i.exec(line);
				if (size) s.newest = Number(size[1]);
			}
			const stat = /^\+OK (\d+) \d+/.exec(line);
			if (verb === 'STAT' && stat) s.newest = Number(stat[1]);
			const row = /^(\d+) \d+$/.exec(line);
			if (verb === 'LIST' && row) s.newest = Math.max(s.newest ?? 0, Number(row[1]));
			if (verb === 'QUIT' && line.startsWith('+OK')) s.closed = true;
			return s;
		}
		case 'imap': {
			if (!s.greeted && /^\* (OK|PREAUTH)/i.test(line)) return { ...s, greeted: true };
			const tagOf = (command: string) => command.trim().split(/\s+/)[0] ?? '';
			const owner = s.pending.find((command) => tagOf(command) === /^(\S+)/.exec(line)?.[1]);
			const verb = verbOf(s, owner ?? '');
			if (owner) s.pending = s.pending.filter((command) => command !== owner);
			const exists = /^\* (\d+) EXISTS/i.exec(line);
			if (exists) s.newest = Number(exists[1]);
			const tagged = /^(\S+) (OK|NO|BAD)\b/i.exec(line);
			if (tagged && tagged[1] !== '*' && tagged[2]!.toUpperCase() === 'OK') {
				if (verb === 'LOGIN' || verb === 'AUTHENTICATE') s.loggedIn = true;
				if (verb === 'SELECT' || verb === 'EXAMINE') s.selected = true;
			}
			if (/^\* BYE/i.test(line)) s.closed = true;
			return s;
		}
	}
}

/** One entry of the "what can I type?" list: a line to put in the input, or the login helper. */
export type Suggestion = { kind: 'line'; line: string } | { kind: 'login' };

const EXAMPLE_FROM = 'me@example.com';
const EXAMPLE_TO = 'you@example.com';

/** The next sensible commands, most likely first. */
export function suggestions(state: DialogueState): Suggestion[] {
	const line = (text: string): Suggestion => ({ kind: 'line', line: text });
	const login: Suggestion = { kind: 'login' };
	if (state.closed) return [];
	switch (state.protocol) {
		case 'smtp': {
			if (state.inData) return [line(`From: ${EXAMPLE_FROM}`), line(`To: ${EXAMPLE_TO}`), line('Subject: Hello by hand'), line(''), line('Typed in the Postlab console.'), line('.')];
			if (!state.helloed) return [line('EHLO django.local')];
			if (state.rcpt) return [line('DATA'), line('RCPT TO:<another@example.com>')];
			if (state.mail) return [line(`RCPT TO:<${EXAMPLE_TO}>`)];
			const start = [line(`MAIL FROM:<${EXAMPLE_FROM}>`)];
			const extra = state.sent ? [line('QUIT')] : [line(`RCPT TO:<${EXAMPLE_TO}>`), line(`MAIL FROM:<${EXAMPLE_FROM}> SIZE=999999999`)];
			if (!state.tls) return [line('STARTTLS'), ...start, login, ...extra];
			if (!state.loggedIn) return [login, ...start, ...extra];
			return [...start, ...extra];
		}
		case 'pop3': {
			const n = state.newest ?? 1;
			if (!state.loggedIn) return state.tls ? [login, line('CAPA')] : [line('CAPA'), line('STLS'), login];
			return [line('STAT'), line('LIST'), line(`RETR ${n}`), line(`TOP ${n} 0`), line(`DELE ${n}`), line('QUIT')];
		}
		case 'imap': {
			const tag = `a${state.nextTag}`;
			const n = state.newest ?? 1;
			if (!state.loggedIn) return state.tls ? [login, line(`${tag} CAPABILITY`)] : [line(`${tag} CAPABILITY`), line(`${tag} STARTTLS`), login];
			if (!state.selected) return [line(`${tag} SELECT INBOX`), line(`${tag} LIST "" "*"`)];
			return [
				line(`${tag} FETCH ${n} (BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)])`),
				line(`${tag} FETCH ${n} (FLAGS)`),
				line(`${tag} STORE ${n} +FLAGS (\\Seen)`),
				line(`${tag} LOGOUT`),
			];
		}
	}
}
