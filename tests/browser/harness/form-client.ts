/**
 * A browser stand-in for tests that need what a browser will not do (send a forged Host header) or would do
 * too slowly (thousands of requests): node:http with a cookie jar, forms read from the page's HTML (the CSRF
 * token in its hidden field) and posted back with the Origin a browser would send. Redirects are not
 * followed, so a test sees each 302/303 and its cookies.
 */
import { request } from 'node:http';

export interface Reply {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	location: string | null;
}

export interface FormClientOptions {
	/** Where the server listens, e.g. `http://127.0.0.1:40123/`. */
	server: string;
	/** The Host header to send (default: the server's own host:port). */
	host?: string;
}

export class FormClient {
	readonly cookies = new Map<string, string>();
	readonly #server: URL;
	host: string;

	constructor(options: FormClientOptions) {
		this.#server = new URL(options.server);
		this.host = options.host ?? this.#server.host;
	}

	get(path: string): Promise<Reply> {
		return this.#send('GET', path);
	}

	/** Posts `fields` to `path` with the CSRF token found in `page` (the form's own page), as a browser would. */
	post(path: string, fields: Record<string, string>, page?: string): Promise<Reply> {
		const token = page ? csrfTokenIn(page) : null;
		const body = new URLSearchParams({ ...fields, ...(token ? { csrfmiddlewaretoken: token } : {}) }).toString();
		return this.#send('POST', path, body);
	}

	/** GETs a form's page, then posts `fields` to it with that page's CSRF token. */
	async submit(path: string, fields: Record<string, string>): Promise<Reply> {
		const page = await this.get(path);
		if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}: ${page.text.slice(0, 300)}`);
		return this.post(path, fields, page.text);
	}

	#send(method: string, path: string, body?: string): Promise<Reply> {
		const headers: Record<string, string> = { host: this.host };
		if (this.cookies.size > 0) headers['cookie'] = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
		if (body !== undefined) {
			headers['content-type'] = 'application/x-www-form-urlencoded';
			headers['origin'] = `http://${this.host}`;
			headers['content-length'] = String(Buffer.byteLength(body));
		}
		return new Promise((resolve, reject) => {
			const req = request({ host: this.#server.hostname, port: this.#server.port, path, method, headers }, (res) => {
				for (const line of res.headers['set-cookie'] ?? []) {
					const [pair = '', ...attributes] = line.split(';');
					const eq = pair.indexOf('=');
					const name = pair.slice(0, eq).trim();
					const value = pair.slice(eq + 1).trim();
					const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '' || value === 'deleted';
					if (expired) this.cookies.delete(name);
					else this.cookies.set(name, value);
				}
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						text: Buffer.concat(chunks).toString('utf8'),
						location: typeof res.headers.location === 'string' ? res.headers.location : null,
					}),
				);
			});
			req.on('error', reject);
			req.end(body);
		});
	}
}

export function csrfTokenIn(html: string): string | null {
	return /name="csrfmiddlewaretoken" value="([^"]*)"/.exec(html)?.[1] ?? /value="([^"]*)" name="csrfmiddlewaretoken"/.exec(html)?.[1] ?? null;
}
