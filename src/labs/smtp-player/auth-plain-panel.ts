/**
 * Browser side of the "AUTH PLAIN is only base64" panel: encodes the made-up user and password the learner
 * types, and decodes the result back, on every keystroke. Nothing leaves the page.
 */
import { fill } from '../../inbox/element';
import { decodeAuthPlain, encodeAuthPlain, visibleNul } from './auth-plain';

export function startAuthPlainPanel(root: HTMLElement): void {
	const strings = JSON.parse(root.dataset['strings'] ?? '{}') as Record<string, string>;
	const user = root.querySelector<HTMLInputElement>('[data-auth-user]');
	const password = root.querySelector<HTMLInputElement>('[data-auth-password]');
	const bytes = root.querySelector<HTMLElement>('[data-auth-bytes]');
	const line = root.querySelector<HTMLElement>('[data-auth-line]');
	const decoded = root.querySelector<HTMLElement>('[data-auth-decoded]');
	if (!user || !password || !bytes || !line || !decoded) return;
	const update = () => {
		const blob = encodeAuthPlain(user.value, password.value);
		bytes.textContent = visibleNul(`\0${user.value}\0${password.value}`);
		line.textContent = `AUTH PLAIN ${blob}`;
		const back = decodeAuthPlain(blob);
		decoded.textContent = back ? fill(strings['labs2.auth.decodedValue'] ?? '', { user: back.user, password: back.password }) : '';
	};
	user.addEventListener('input', update);
	password.addEventListener('input', update);
	update();
}
