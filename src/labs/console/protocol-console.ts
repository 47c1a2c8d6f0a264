/**
 * Browser side of <ProtocolConsole> (src/components/labs/ProtocolConsole.astro): a terminal-like panel on
 * a WebSocket to the console bridge (sandbox/console/console-bridge.ts), which holds a real session with
 * the sandbox's own SMTP, POP3 or IMAP server. Each line is shown with its explanation; the screen is a
 * `role="log"` live region, so replies are announced. Enter sends, ↑/↓ walk the history (login lines are
 * never kept), a pasted block goes as one batch of lines, the "what can I type?" list fills the input with
 * the next sensible command, and the login helper explains what AUTH puts on the wire. One session per tab:
 * connecting a console disconnects any other on the page.
 */
import type { ConsoleProtocol, ConsoleServerMessage, GoalReport } from '../../../sandbox/console/console-wire.ts';
import { CONSOLE_PATH, MAX_LINES_PER_BATCH } from '../../../sandbox/console/console-wire.ts';
import type { Lang } from '../../../sandbox/outbound/settings/problem.ts';
import { isCredentialVerb } from '../../../sandbox/smtp/credential-lines.ts';
import { el, fill } from '../../inbox/element';
import { encodeAuthPlain } from '../smtp-player/auth-plain';
import { isGoalRecorded, recordGoal } from './console-progress';
import { advance, initialState, suggestions, type DialogueState } from './console-state';
import { LineExplainer } from './line-explanation';

/** Lines kept for ↑/↓. */
const MAX_HISTORY = 100;
/** Lines kept on screen; older ones scroll away (the copy holds the same). */
const MAX_SCREEN_LINES = 1500;

let activeTab: { disconnect: () => void } | null = null;

export function startProtocolConsole(root: HTMLElement): void {
	const protocol = (root.dataset['protocol'] ?? 'smtp') as ConsoleProtocol;
	const lang: Lang = root.dataset['lang'] === 'ko' ? 'ko' : 'en';
	const lesson = root.dataset['lesson'] ?? '';
	const strings = JSON.parse(root.dataset['strings'] ?? '{}') as Record<string, string>;
	const text = (key: string, values: Record<string, string | number> = {}) => fill(strings[key] ?? key, values);
	const $ = <T extends HTMLElement = HTMLElement>(selector: string) => root.querySelector<T>(selector)!;

	const panel = $('[data-panel]');
	const status = $('[data-status]');
	const wire = $('[data-wire]');
	const screen = $<HTMLOListElement>('[data-screen]');
	const form = $<HTMLFormElement>('[data-form]');
	const input = $<HTMLInputElement>('[data-input]');
	const sendButton = $<HTMLButtonElement>('[data-send]');
	const connectButton = $<HTMLButtonElement>('[data-connect]');
	const copyButton = $<HTMLButtonElement>('[data-copy]');
	const clearButton = $<HTMLButtonElement>('[data-clear]');
	const suggestionList = $<HTMLUListElement>('[data-suggestions]');
	const login = $<HTMLDetailsElement>('[data-login]');
	const loginForm = $<HTMLFormElement>('[data-login-form]');
	const loginUser = $<HTMLInputElement>('[data-login-user]');
	const loginPassword = $<HTMLInputElement>('[data-login-password]');
	const loginMechanism = root.querySelector<HTMLSelectElement>('[data-login-mechanism]');
	const loginPreview = $('[data-login-preview]');
	const loginClassroom = $('[data-login-classroom]');
	const loginFields = $('[data-login-fields]');
	$('[data-needs-js]').hidden = true;
	panel.hidden = false;

	const explainer = new LineExplainer(protocol, lang);
	let ws: WebSocket | null = null;
	let state: DialogueState = initialState(protocol);
	let transcript: string[] = [];
	const history: string[] = [];
	let historyAt = 0;
	/** The server's last line asked for a SASL answer (SMTP 334, POP3/IMAP `+ `): the next line is a secret. */
	let challenged = false;

	// --- goals ---
	for (const item of root.querySelectorAll<HTMLElement>('[data-goal]')) {
		if (isGoalRecorded(lesson, item.dataset['goal'] ?? '')) markGoal(item, true, text('console.goal.doneEarlier'));
	}
	function markGoal(item: HTMLElement, done: boolean, note: string): void {
		item.dataset['done'] = String(done);
		item.querySelector('[data-goal-mark]')!.textContent = done ? `✓ ${text('console.goal.done')}` : text('console.goal.todo');
		item.querySelector('[data-goal-hint]')!.textContent = note;
	}
	function showGoals(goals: GoalReport[]): void {
		for (const goal of goals) {
			const item = root.querySelector<HTMLElement>(`[data-goal="${goal.id}"]`);
			if (!item) continue;
			const hint = goal.hint?.[lang] ?? '';
			if (goal.done) {
				const first = item.dataset['done'] !== 'true' || !isGoalRecorded(lesson, goal.id);
				markGoal(item, true, hint);
				if (first) {
					recordGoal(lesson, goal.id);
					announce(`${text('console.goal.reached')} ${item.querySelector('[data-goal-label]')?.textContent ?? ''}`);
				}
			} else if (item.dataset['done'] !== 'true') {
				markGoal(item, false, hint);
			}
		}
	}

	// --- screen ---
	function show(kind: 'client' | 'server' | 'tls' | 'note', line: string, explanation?: string): void {
		const who = kind === 'client' ? text('console.you') : kind === 'server' ? text('console.server') : '';
		const item =
			kind === 'client' || kind === 'server'
				? el(
						'li',
						{ class: `from-${kind}` },
						el('span', { class: 'who' }, `${who}:`),
						' ',
						el('code', { class: 'wire-line' }, line === '' ? ' ' : line),
						explanation ? el('span', { class: 'explain' }, explanation) : null,
					)
				: el('li', { class: kind }, line);
		screen.append(item);
		while (screen.childElementCount > MAX_SCREEN_LINES) screen.firstElementChild?.remove();
		screen.scrollTop = screen.scrollHeight;
		transcript.push(kind === 'client' ? `C: ${line}` : kind === 'server' ? `S: ${line}` : `-- ${line}`);
		if (transcript.length > MAX_SCREEN_LINES) transcript = transcript.slice(-MAX_SCREEN_LINES);
	}
	const announcer = $('[data-announce]');
	function announce(message: string): void {
		announcer.textContent = message;
	}

	// --- suggestions ---
	function renderSuggestions(): void {
		const items = suggestions(state).map((s) => {
			if (s.kind === 'login') {
				const button = el('button', { type: 'button', class: 'suggestion' }, text('console.login.suggest'));
				button.addEventListener('click', () => {
					login.open = true;
					// In class there is nothing to type: the helper's own button logs in as the learner.
					(root.dataset['classroom'] ? loginForm.querySelector<HTMLElement>('button[type="submit"]')! : loginUser).focus();
				});
				return el('li', {}, button);
			}
			const explained = explainer_preview(s.line);
			const button = el('button', { type: 'button', class: 'suggestion' }, el('code', {}, s.line === '' ? text('console.blankLine') : s.line));
			button.addEventListener('click', () => {
				input.value = s.line;
				input.focus();
			});
			return el('li', {}, button, explained ? el('span', { class: 'explain' }, explained) : null);
		});
		suggestionList.replaceChildren(...items);
	}
	/** What a suggested command does, from the same tables as the screen (without moving the screen's step). */
	function explainer_preview(line: string): string | null {
		if (state.inData || line === '') return null;
		return new LineExplainer(protocol, lang).explain('client', line, false)?.text ?? null;
	}

	// --- connection ---
	function setConnected(open: boolean): void {
		connectButton.textContent = open ? text('console.disconnect') : text('console.connect');
		connectButton.setAttribute('aria-pressed', String(open));
		input.disabled = !open;
		sendButton.disabled = !open;
		for (const button of loginForm.querySelectorAll<HTMLButtonElement>('button')) button.disabled = !open;
	}
	setConnected(false);

	function disconnect(): void {
		ws?.send(JSON.stringify({ t: 'close' }));
		ws?.close();
	}

	function connect(): void {
		activeTab?.disconnect();
		state = initialState(protocol);
		explainer.reset();
		wire.dataset['encrypted'] = 'false';
		wire.textContent = text('console.wire.plain');
		status.textContent = text('console.status.connecting');
		const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
		const socket = new WebSocket(`${scheme}://${location.host}${CONSOLE_PATH}?protocol=${protocol}`);
		ws = socket;
		let opened = false;
		const me = { disconnect };
		activeTab = me;
		socket.addEventListener('message', (event) => {
			let message: ConsoleServerMessage;
			try {
				message = JSON.parse(String(event.data)) as ConsoleServerMessage;
			} catch (error) {
				// The bridge sends JSON only; anything else is not a message to show.
				if (!(error instanceof SyntaxError)) throw error;
				return;
			}
			if (message.t === 'open') opened = true;
			receive(message);
		});
		socket.addEventListener('close', () => {
			if (ws !== socket) return;
			ws = null;
			if (activeTab === me) activeTab = null;
			setConnected(false);
			status.textContent = opened ? text('console.status.closed') : text('console.status.unavailable');
			state = { ...state, closed: true };
			renderSuggestions();
		});
	}

	function receive(message: ConsoleServerMessage): void {
		switch (message.t) {
			case 'open':
				setConnected(true);
				status.textContent = text('console.status.open', { idle: Math.round(message.idleSeconds / 60), login: message.loginSeconds });
				if (message.classroom) {
					root.dataset['classroom'] = 'true';
					loginFields.hidden = true;
					loginClassroom.hidden = false;
					loginClassroom.textContent = text('console.login.classroom', { user: message.user ?? '' });
				}
				show('note', text('console.connected'));
				input.focus();
				break;
			case 'line': {
				if (message.from === 'server') challenged = /^334[ -]/.test(`${message.line} `) || (protocol !== 'smtp' && /^\+ /.test(`${message.line} `) && !message.line.startsWith('+OK'));
				const inData = state.inData;
				const explanation = explainer.explain(message.from, message.line, message.from === 'client' && inData);
				state = advance(state, message.from, message.line);
				show(message.from, message.line, explanation ? `${explanation.text} (${explanation.ref})` : undefined);
				renderSuggestions();
				break;
			}
			case 'tls':
				state = advance(state, 'tls');
				wire.dataset['encrypted'] = 'true';
				wire.textContent = text('console.wire.tls', { version: message.version });
				show('tls', `🔒 ${text('console.tlsMarker', { version: message.version, cipher: message.cipher })}`);
				announce(text('console.wire.tls', { version: message.version }));
				renderSuggestions();
				break;
			case 'note':
				show('note', text(`console.note.${message.key}`, { count: message.count ?? 0 }));
				break;
			case 'goals':
				showGoals(message.goals);
				break;
			case 'closed':
				break;
		}
	}

	// --- input ---
	function send(lines: string[]): void {
		if (!ws || ws.readyState !== WebSocket.OPEN) return;
		ws.send(JSON.stringify({ t: 'lines', lines }));
	}
	form.addEventListener('submit', (event) => {
		event.preventDefault();
		const line = input.value;
		send([line]);
		const tokens = line.trim().split(/\s+/);
		const verb = (protocol === 'imap' ? tokens[1] : tokens[0]) ?? '';
		// A login typed by hand stays out of the history, like the transcript keeps it out of sight.
		if (line.trim() !== '' && !isCredentialVerb(verb) && !state.inData && !challenged) {
			if (history.at(-1) !== line) history.push(line);
			if (history.length > MAX_HISTORY) history.shift();
		}
		historyAt = history.length;
		input.value = '';
	});
	input.addEventListener('keydown', (event) => {
		if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
		if (history.length === 0) return;
		event.preventDefault();
		historyAt = Math.max(0, Math.min(history.length, historyAt + (event.key === 'ArrowUp' ? -1 : 1)));
		input.value = history[historyAt] ?? '';
		input.setSelectionRange(input.value.length, input.value.length);
	});
	input.addEventListener('paste', (event) => {
		const pasted = event.clipboardData?.getData('text') ?? '';
		if (!/[\r\n]/.test(pasted)) return;
		event.preventDefault();
		const lines = pasted.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
		lines[0] = input.value + lines[0];
		for (let i = 0; i < lines.length; i += MAX_LINES_PER_BATCH) send(lines.slice(i, i + MAX_LINES_PER_BATCH));
		input.value = '';
	});
	connectButton.addEventListener('click', () => (ws ? disconnect() : connect()));
	clearButton.addEventListener('click', () => {
		screen.replaceChildren();
		transcript = [];
		input.focus();
	});
	copyButton.addEventListener('click', () => {
		const done = () => announce(text('console.copied'));
		navigator.clipboard?.writeText(transcript.join('\n')).then(done, () => announce(text('console.copyFailed')));
	});

	// --- login helper ---
	function renderLoginPreview(): void {
		const user = loginUser.value;
		const masked = '•'.repeat(loginPassword.value.length);
		const mechanism = loginMechanism?.value ?? 'PLAIN';
		let lines: string[];
		if (protocol === 'smtp' && mechanism === 'PLAIN') {
			lines = [`␀${user}␀${masked}`, `AUTH PLAIN ${encodeAuthPlain(user, loginPassword.value)}`];
		} else if (protocol === 'smtp') {
			lines = ['AUTH LOGIN', btoa(String.fromCharCode(...new TextEncoder().encode(user))), text('console.login.passwordBase64')];
		} else if (protocol === 'pop3') {
			lines = [`USER ${user}`, `PASS ${masked}`];
		} else {
			lines = [`a LOGIN "${user}" "${masked}"`];
		}
		loginPreview.replaceChildren(...lines.map((line) => el('code', {}, line)));
	}
	loginUser.addEventListener('input', renderLoginPreview);
	loginPassword.addEventListener('input', renderLoginPreview);
	loginMechanism?.addEventListener('change', renderLoginPreview);
	renderLoginPreview();
	loginForm.addEventListener('submit', (event) => {
		event.preventDefault();
		if (!ws || ws.readyState !== WebSocket.OPEN) return;
		ws.send(JSON.stringify({ t: 'login', mechanism: loginMechanism?.value === 'LOGIN' ? 'LOGIN' : 'PLAIN', user: loginUser.value, password: loginPassword.value }));
		loginPassword.value = '';
		renderLoginPreview();
		input.focus();
	});

	renderSuggestions();
}
